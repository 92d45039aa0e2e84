package io.catchment.ingest;

import io.catchment.files.StoredFile;

/** The answer to "please ingest this file": accepted and queued, or refused by a limit. */
public sealed interface Submission {
    record Accepted(StoredFile file) implements Submission {}

    record Refused(String reason) implements Submission {}
}
