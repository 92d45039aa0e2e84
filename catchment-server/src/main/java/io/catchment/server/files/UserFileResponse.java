package io.catchment.server.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.files.IngestOptions;
import io.catchment.files.StoredFile;
import io.catchment.json.Json;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Carbon's {@code UserFile}. Presigned URLs are present only when asked for (or on upload). */
record UserFileResponse(
        long id,
        String source,
        long organizationId,
        long organizationUserId,
        String organizationSuppliedUserId,
        OptionalLong organizationUserDataSourceId,
        String externalFileId,
        Optional<String> externalUrl,
        String syncStatus,
        Optional<String> syncErrorMessage,
        Optional<Instant> lastSync,
        ObjectNode tags,
        Statistics fileStatistics,
        ObjectNode fileMetadata,
        Optional<ObjectNode> embeddingProperties,
        int chunkSize,
        int chunkOverlap,
        ChunkProperties chunkProperties,
        ObjectNode ocrProperties,
        Optional<Instant> ocrJobStartedAt,
        String name,
        OptionalLong parentId,
        Optional<Boolean> enableAutoSync,
        Optional<String> presignedUrl,
        Optional<String> parsedTextUrl,
        Optional<ObjectNode> additionalPresignedUrls,
        boolean skipEmbeddingGeneration,
        Optional<Instant> sourceCreatedAt,
        boolean generateSparseVectors,
        Optional<String> requestId,
        Optional<String> uploadId,
        ObjectNode syncProperties,
        ObjectNode messagesMetadata,
        boolean fileContentsDeleted,
        boolean supportsColdStorage,
        OptionalInt hotStorageTimeToLive,
        String embeddingStorageStatus,
        Instant createdAt,
        Instant updatedAt) {

    record Statistics(Optional<String> fileFormat, OptionalLong fileSize, OptionalLong numCharacters,
                      OptionalLong numTokens, OptionalLong numEmbeddings, Optional<String> mimeType) {}

    record ChunkProperties(boolean setPageAsBoundary, boolean prependFilenameToChunks, OptionalInt maxItemsPerChunk) {}

    /** Links to the raw and parsed content, when the caller wants them. */
    record Links(Optional<String> raw, Optional<String> parsed) {
        static final Links NONE = new Links(Optional.empty(), Optional.empty());
    }

    static UserFileResponse of(StoredFile f, String suppliedCustomerId, Links links) {
        IngestOptions o = f.options();
        var s = f.statistics();
        Optional<ObjectNode> embedding = f.embeddingModel().map(model -> {
            ObjectNode node = Json.object();
            node.putObject(model).put("chunk_size", o.chunkSize()).put("chunk_overlap", o.chunkOverlap());
            return node;
        });
        ObjectNode ocr = Json.object().put("use_ocr", o.useOcr()).put("parse_pdf_tables_with_ocr", o.parsePdfTablesWithOcr());
        return new UserFileResponse(f.id(), f.source(), f.organizationId(), f.customerId(), suppliedCustomerId,
                f.dataSourceId(), f.externalFileId(), f.externalUrl(), f.status().name(), f.syncErrorMessage(),
                f.lastSync(), f.tags(),
                new Statistics(s.fileFormat(), s.fileSize(), s.numCharacters(), s.numTokens(), s.numEmbeddings(), s.mimeType()),
                f.fileMetadata(), embedding, o.chunkSize(), o.chunkOverlap(),
                new ChunkProperties(o.setPageAsBoundary(), o.prependFilenameToChunks(), o.maxItemsPerChunk()),
                ocr, Optional.empty(), f.name(), f.parentId(), Optional.empty(), links.raw(), links.parsed(),
                Optional.empty(), !o.embeds(), f.sourceCreatedAt(), o.generateSparseVectors(), f.requestId(),
                f.uploadId(), Json.object(), Json.object(), f.contentsDeleted(), o.enableColdStorage(),
                o.hotStorageTimeToLive(), "HOT_STORAGE", f.createdAt(), f.updatedAt());
    }
}
