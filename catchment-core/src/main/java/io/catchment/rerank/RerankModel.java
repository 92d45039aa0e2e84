package io.catchment.rerank;

import io.catchment.embed.EmbeddingGenerator.Provider;
import java.util.Optional;

/** The {@code rerank.model} values Carbon accepts, spelled as Carbon spells them. */
public enum RerankModel {
    COHERE_RERANK_MULTILINGUAL_V3(Optional.of(Provider.COHERE), "rerank-multilingual-v3.0"),
    JINA_RERANKER_MULTILINGUAL_V2(Optional.of(Provider.JINA), "jina-reranker-v2-base-multilingual"),
    /** Pongo's hosted reranker; the service is gone, so no server can offer it. */
    PONGO_RERANKER(Optional.empty(), "pongo");

    private final Optional<Provider> provider;
    private final String upstreamModel;

    RerankModel(Optional<Provider> provider, String upstreamModel) {
        this.provider = provider;
        this.upstreamModel = upstreamModel;
    }

    /** Who serves it; empty when nobody can. */
    public Optional<Provider> provider() {
        return provider;
    }

    /** The provider's own model id. */
    public String upstreamModel() {
        return upstreamModel;
    }
}
