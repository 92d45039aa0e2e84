package io.catchment.files;

/** Carbon's {@code ExternalFileSyncStatuses}. */
public enum FileStatus {
    DELAYED, QUEUED_FOR_SYNC, SYNCING, READY, SYNC_ERROR, EVALUATING_RESYNC, RATE_LIMITED, SYNC_ABORTED,
    QUEUED_FOR_OCR, READY_TO_SYNC;

    /** A state in which no work is pending for the file. */
    public boolean isFinal() {
        return this == READY || this == SYNC_ERROR || this == SYNC_ABORTED || this == READY_TO_SYNC;
    }

    /** A state in which the pipeline still owes the file work. */
    public boolean isQueued() {
        return this == QUEUED_FOR_SYNC || this == QUEUED_FOR_OCR || this == SYNCING || this == RATE_LIMITED
                || this == DELAYED || this == EVALUATING_RESYNC;
    }
}
