package io.catchment.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * File tags: string keys; values are a string or a list of strings (anything else is turned
 * into its string form, as Carbon does). Some keys are reserved for Carbon's own use.
 */
public final class Tags {
    public static final Set<String> RESERVED = Set.of("db_embedding_id", "organization_id", "user_id",
            "organization_user_file_id");

    private Tags() {}

    /** Normalises values: scalars to strings, arrays to arrays of strings; null values dropped. */
    public static ObjectNode normalise(JsonNode tags) {
        ObjectNode out = Json.object();
        tags.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v == null || v.isNull()) return;
            if (v.isArray()) {
                ArrayNode arr = out.putArray(e.getKey());
                v.forEach(x -> arr.add(text(x)));
            } else {
                out.put(e.getKey(), text(v));
            }
        });
        return out;
    }

    /** The (key, value) rows the {@code file_tags} table holds for these tags. */
    static List<Map.Entry<String, String>> rows(ObjectNode tags) {
        List<Map.Entry<String, String>> rows = new ArrayList<>();
        tags.fields().forEachRemaining(e -> {
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> rows.add(Map.entry(e.getKey(), v.asText())));
            } else {
                rows.add(Map.entry(e.getKey(), e.getValue().asText()));
            }
        });
        return rows.stream().distinct().toList();
    }

    private static String text(JsonNode v) {
        return v.isTextual() ? v.textValue() : v.toString();
    }
}
