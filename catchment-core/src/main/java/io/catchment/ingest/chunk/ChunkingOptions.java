package io.catchment.ingest.chunk;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Carbon's chunking options. Sizes are in cl100k tokens. {@code fileNameToPrepend} is present
 * when {@code prepend_filename_to_chunks} is set. {@code maxItemsPerChunk} and
 * {@code splitRows} apply to item-shaped documents (tables, JSON arrays) only.
 */
public record ChunkingOptions(int chunkSize, int chunkOverlap, boolean setPageAsBoundary,
                              Optional<String> fileNameToPrepend, OptionalInt maxItemsPerChunk, boolean splitRows) {
    public static final int DEFAULT_CHUNK_SIZE = 1500;
    public static final int DEFAULT_CHUNK_OVERLAP = 20;

    public ChunkingOptions {
        if (chunkSize < 1) throw new IllegalArgumentException("chunk_size must be at least 1");
        if (chunkOverlap < 0 || chunkOverlap >= chunkSize) {
            throw new IllegalArgumentException("chunk_overlap must be at least 0 and less than chunk_size");
        }
        if (maxItemsPerChunk.isPresent() && maxItemsPerChunk.getAsInt() < 1) {
            throw new IllegalArgumentException("max_items_per_chunk must be greater than 0");
        }
    }

    public static ChunkingOptions defaults() {
        return new ChunkingOptions(DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_OVERLAP, false, Optional.empty(),
                OptionalInt.empty(), false);
    }
}
