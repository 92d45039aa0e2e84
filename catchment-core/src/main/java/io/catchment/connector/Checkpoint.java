package io.catchment.connector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.json.Json;

/**
 * Where a crawl or a change feed stands, stored by the engine after every page so a sync resumes
 * there after a crash. Connectors keep their own record type inside ({@link #of}, {@link #as});
 * the engine only stores the JSON.
 */
public record Checkpoint(JsonNode value) {
    public static Checkpoint of(Record state) {
        return new Checkpoint(Json.mapper().valueToTree(state));
    }

    public <T extends Record> T as(Class<T> type) {
        try {
            return Json.mapper().treeToValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored checkpoint is not a " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    public String json() {
        return Json.write(value);
    }

    public static Checkpoint parse(String json) {
        return new Checkpoint(Json.read(json));
    }
}
