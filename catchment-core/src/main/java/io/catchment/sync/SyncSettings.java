package io.catchment.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.files.IngestOptions;
import java.util.Optional;

/**
 * How the files under one selection are ingested: the options (chunking, model, OCR, ...), the
 * tags they get (the connection's, then the request's), the request id, and whether an unchanged
 * file is skipped on a later sync of the same selection ({@code incremental_sync}).
 */
public record SyncSettings(IngestOptions options, ObjectNode tags, Optional<String> requestId, boolean incremental) {
    public SyncSettings {
        tags = tags.deepCopy();
    }
}
