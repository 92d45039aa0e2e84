package io.catchment.ingest;

/** A step failed; {@code retryable} when another attempt may succeed. Internal to the pipeline. */
final class PipelineFailure extends Exception {
    final boolean retryable;

    PipelineFailure(String message, boolean retryable) {
        super(message, null, false, false);
        this.retryable = retryable;
    }
}
