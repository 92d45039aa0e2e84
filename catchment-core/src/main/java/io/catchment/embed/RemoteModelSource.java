package io.catchment.embed;

import java.util.Optional;

/**
 * Where {@link EmbeddingModels} gets models served by providers: built from the organization's
 * own credentials when it stored some, else from the server's. Implemented by
 * {@code io.catchment.embed.providers.RemoteModels}.
 */
public interface RemoteModelSource {
    /** The model as this organization may use it; empty when neither it nor the server has credentials. */
    Optional<EmbeddingModel> find(long organizationId, EmbeddingGenerator generator);

    /** True when the server itself has credentials for the generator's provider. */
    boolean configuredServerWide(EmbeddingGenerator generator);

    /** No remote models at all. */
    RemoteModelSource NONE = new RemoteModelSource() {
        @Override
        public Optional<EmbeddingModel> find(long organizationId, EmbeddingGenerator generator) {
            return Optional.empty();
        }

        @Override
        public boolean configuredServerWide(EmbeddingGenerator generator) {
            return false;
        }
    };
}
