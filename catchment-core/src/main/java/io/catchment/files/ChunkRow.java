package io.catchment.files;

import java.util.Map;
import java.util.Optional;

/** A chunk as the database stores it. */
public record ChunkRow(int index, String content, int tokens, Map<String, Object> metadata,
                       Optional<String> embeddingModel, Optional<float[]> embedding) {
    public ChunkRow {
        metadata = Map.copyOf(metadata);
    }
}
