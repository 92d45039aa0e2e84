package io.catchment.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.blob.BlobStore.StoredBlob;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A file entering the system, from an upload or (later) a connector. {@code blob} is absent
 * when the content is not fetched yet (connectors) or never will be ({@code skip_file_processing}).
 */
public record NewFile(
        long organizationId,
        long customerId,
        OptionalLong dataSourceId,
        String source,
        String externalFileId,
        Optional<String> externalUrl,
        String name,
        OptionalLong parentId,
        Optional<String> fileFormat,
        IngestOptions options,
        ObjectNode tags,
        ObjectNode fileMetadata,
        Optional<StoredBlob> blob,
        Optional<String> requestId,
        Optional<String> uploadId,
        Optional<Instant> sourceCreatedAt) {}
