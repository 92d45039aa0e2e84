package io.catchment.rerank;

import java.util.Optional;

/** The rerankers an organization may use (its own credentials, else the server's). */
public interface RerankerSource {
    Optional<Reranker> find(long organizationId, RerankModel model);

    RerankerSource NONE = (organizationId, model) -> Optional.empty();
}
