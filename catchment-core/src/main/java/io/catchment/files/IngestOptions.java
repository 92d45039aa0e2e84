package io.catchment.files;

import io.catchment.ingest.chunk.ChunkingOptions;
import io.catchment.ingest.parse.ParseOptions;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a file is processed: Carbon's sync options with their defaults applied. Stored with the
 * file so a resync or a retry processes it the same way. {@code embeddingModel} is the
 * resolved model name (empty when no embeddings are made).
 */
public record IngestOptions(
        int chunkSize,
        int chunkOverlap,
        boolean skipEmbeddingGeneration,
        boolean setPageAsBoundary,
        Optional<String> embeddingModel,
        boolean useOcr,
        boolean generateSparseVectors,
        boolean prependFilenameToChunks,
        OptionalInt maxItemsPerChunk,
        boolean parsePdfTablesWithOcr,
        boolean splitRows,
        MediaType mediaType,
        boolean generateChunksOnly,
        boolean storeFileOnly,
        boolean skipFileProcessing,
        boolean enableColdStorage,
        OptionalInt hotStorageTimeToLive) {

    /** Whether chunks get vectors: Carbon's precedence, store_file_only over generate_chunks_only over skip. */
    public boolean embeds() {
        return !storeFileOnly && !generateChunksOnly && !skipEmbeddingGeneration && embeddingModel.isPresent();
    }

    public ParseOptions parseOptions() {
        return new ParseOptions(useOcr, parsePdfTablesWithOcr);
    }

    public ChunkingOptions chunking(String fileName) {
        return new ChunkingOptions(chunkSize, chunkOverlap, setPageAsBoundary,
                prependFilenameToChunks ? Optional.of(fileName) : Optional.empty(), maxItemsPerChunk, splitRows);
    }

    public IngestOptions withChunking(int size, int overlap) {
        return new IngestOptions(size, overlap, skipEmbeddingGeneration, setPageAsBoundary, embeddingModel, useOcr,
                generateSparseVectors, prependFilenameToChunks, maxItemsPerChunk, parsePdfTablesWithOcr, splitRows,
                mediaType, generateChunksOnly, storeFileOnly, skipFileProcessing, enableColdStorage, hotStorageTimeToLive);
    }

    public IngestOptions withSkipFileProcessing(boolean skip) {
        return new IngestOptions(chunkSize, chunkOverlap, skipEmbeddingGeneration, setPageAsBoundary, embeddingModel,
                useOcr, generateSparseVectors, prependFilenameToChunks, maxItemsPerChunk, parsePdfTablesWithOcr,
                splitRows, mediaType, generateChunksOnly, storeFileOnly, skip, enableColdStorage, hotStorageTimeToLive);
    }
}
