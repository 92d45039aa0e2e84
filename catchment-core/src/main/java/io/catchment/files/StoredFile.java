package io.catchment.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A file's stored record. {@code generation} grows each time the file is (re)queued; work
 * carries the generation it was queued for, so stale work is recognised and dropped.
 */
public record StoredFile(
        long id,
        long organizationId,
        long customerId,
        OptionalLong dataSourceId,
        String source,
        String externalFileId,
        Optional<String> externalUrl,
        String name,
        OptionalLong parentId,
        Optional<String> fileFormat,
        FileStatus status,
        Optional<String> syncErrorMessage,
        Optional<Instant> lastSync,
        ObjectNode tags,
        ObjectNode fileMetadata,
        IngestOptions options,
        Optional<String> embeddingModel,
        Optional<String> rawBlob,
        Optional<String> parsedBlob,
        FileStatistics statistics,
        Optional<String> requestId,
        Optional<String> uploadId,
        int attempts,
        long generation,
        long indexedGeneration,
        boolean contentsDeleted,
        Optional<Instant> sourceCreatedAt,
        Instant createdAt,
        Instant updatedAt) {}
