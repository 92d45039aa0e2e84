package io.catchment.ingest;

/** A step failed; {@code retryable} when another attempt may succeed. Internal to the pipeline. */
final class PipelineFailure extends Exception {
    final boolean retryable;
    /** Present when the source rate-limited us: wait this long, and do not count the attempt. */
    final java.util.Optional<java.time.Duration> retryAfter;

    PipelineFailure(String message, boolean retryable) {
        this(message, retryable, java.util.Optional.empty());
    }

    private PipelineFailure(String message, boolean retryable, java.util.Optional<java.time.Duration> retryAfter) {
        super(message, null, false, false);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    static PipelineFailure rateLimited(String message, java.time.Duration wait) {
        return new PipelineFailure(message, true, java.util.Optional.of(wait));
    }
}
