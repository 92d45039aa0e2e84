package io.catchment.search;

import java.util.Map;
import java.util.Optional;

/**
 * One found chunk. {@code score}: cosine similarity for semantic retrieval, the backend's
 * keyword score for keyword retrieval, the fused score for hybrid; higher is better.
 */
public record ChunkHit(long fileId, int chunkIndex, String text, Map<String, Object> metadata,
                       Optional<float[]> vector, double score) {
    public ChunkHit {
        metadata = Map.copyOf(metadata);
    }
}
