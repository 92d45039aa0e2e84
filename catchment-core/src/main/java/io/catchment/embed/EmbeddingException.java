package io.catchment.embed;

/** Embedding failed; {@code retryable} when another try may succeed (timeouts, rate limits, 5xx). */
public final class EmbeddingException extends Exception {
    private final boolean retryable;

    public EmbeddingException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
