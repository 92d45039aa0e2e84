package io.catchment.ingest.chunk;

import java.util.Map;

/**
 * One chunk of a file: its position, its text, its size in tokens, and chunk-level metadata
 * (e.g. {@code "page_numbers": [2, 3]} for paged documents, {@code "item_start"}/{@code "item_end"} for items).
 * Metadata values are JSON-friendly: strings, numbers, booleans, lists of those.
 */
public record Chunk(int index, String text, int tokens, Map<String, Object> metadata) {
    public Chunk {
        metadata = Map.copyOf(metadata);
    }
}
