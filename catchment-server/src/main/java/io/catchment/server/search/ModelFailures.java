package io.catchment.server.search;

import io.catchment.embed.EmbeddingException;
import io.catchment.server.http.ApiError;

/** A model provider failing during a request: 503 when trying again later may work, else 502. */
public final class ModelFailures {
    private ModelFailures() {}

    public static ApiError apiError(String what, EmbeddingException e) {
        return new ApiError(e.retryable() ? 503 : 502, what + ": " + e.getMessage());
    }
}
