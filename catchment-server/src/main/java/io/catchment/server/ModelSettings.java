package io.catchment.server;

import io.catchment.embed.EmbeddingGenerator.Provider;
import io.catchment.embed.LocalMiniLmModel;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.remote.RetryPolicy;
import java.util.Map;

/**
 * Embedding and rerank settings of a server.
 *
 * @param defaultEmbeddingModel used when a request names no {@code embedding_model}: the local
 *     model, or a remote one whose provider is in {@code credentials}
 * @param credentials server-wide provider credentials (organizations may store their own)
 * @param retry how provider calls are retried and how many run at once per provider and key
 */
public record ModelSettings(String defaultEmbeddingModel, Map<Provider, ModelCredentials> credentials,
                            RetryPolicy retry) {
    public ModelSettings {
        credentials = Map.copyOf(credentials);
    }

    /** The local model as default, no provider credentials. */
    public static ModelSettings localOnly() {
        return new ModelSettings(LocalMiniLmModel.NAME, Map.of(), RetryPolicy.defaults());
    }

    public ModelSettings withCredentials(Map<Provider, ModelCredentials> given) {
        return new ModelSettings(defaultEmbeddingModel, given, retry);
    }

    public ModelSettings withDefault(String model) {
        return new ModelSettings(model, credentials, retry);
    }

    public ModelSettings withRetry(RetryPolicy policy) {
        return new ModelSettings(defaultEmbeddingModel, credentials, policy);
    }
}
