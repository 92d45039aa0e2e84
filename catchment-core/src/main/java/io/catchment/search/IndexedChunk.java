package io.catchment.search;

import java.util.Map;
import java.util.Optional;

/**
 * A chunk as the index holds it: which tenant and file it belongs to, its text, and its vector
 * with the model that made it (absent for files ingested without embeddings).
 */
public record IndexedChunk(long organizationId, long customerId, long fileId, int chunkIndex, String text,
                           Optional<String> embeddingModel, Optional<float[]> vector, Map<String, Object> metadata) {
    public IndexedChunk {
        metadata = Map.copyOf(metadata);
    }
}
