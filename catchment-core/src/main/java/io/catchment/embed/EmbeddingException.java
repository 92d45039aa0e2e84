package io.catchment.embed;

import java.util.OptionalInt;

/**
 * Embedding (or reranking) failed; {@code retryable} when another try may succeed (timeouts,
 * rate limits, 5xx). {@link #httpStatus()} is the provider's answer when it refused a request.
 */
public final class EmbeddingException extends Exception {
    private final boolean retryable;
    private final OptionalInt httpStatus;

    public EmbeddingException(String message, boolean retryable, Throwable cause) {
        this(message, retryable, cause, OptionalInt.empty());
    }

    public EmbeddingException(String message, boolean retryable, Throwable cause, OptionalInt httpStatus) {
        super(message, cause);
        this.retryable = retryable;
        this.httpStatus = httpStatus;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The HTTP status the provider refused the request with, when that is what happened. */
    public OptionalInt httpStatus() {
        return httpStatus;
    }
}
