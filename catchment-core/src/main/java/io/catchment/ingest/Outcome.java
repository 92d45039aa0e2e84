package io.catchment.ingest;

import java.time.Duration;

/** What one run of the pipeline did with a file. */
public sealed interface Outcome {
    /** The file reached a final state (READY, READY_TO_SYNC or SYNC_ERROR). */
    record Finished(String status) implements Outcome {}

    /** A transient failure: the pipeline should run again later. */
    record Retry(String reason) implements Outcome {}

    /** The source rate-limited the fetch: run again after {@code delay}, without counting an attempt. */
    record RetryAfter(String reason, Duration delay) implements Outcome {}

    /** The work was for an older generation of the file, or the file is gone: nothing done. */
    record Stale() implements Outcome {}
}
