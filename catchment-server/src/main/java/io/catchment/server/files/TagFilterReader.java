package io.catchment.server.files;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.files.TagFilter;
import io.catchment.server.http.BodyReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses Carbon's tags_v2 DSL: the top level is {@code {"AND": [...]}} or {@code {"OR": [...]}};
 * blocks nest up to 3 levels; a leaf is {@code {key, value | [values], negate?}}. Every mistake
 * is a 422 whose location names the offending part.
 */
final class TagFilterReader {
    private TagFilterReader() {}

    static TagFilter read(BodyReader b, String field, JsonNode node) {
        List<Object> path = new ArrayList<>(List.of(field));
        if (!node.isObject() || node.size() != 1 || !(node.has("AND") || node.has("OR"))) {
            return fail(b, path, "tags_v2 must be an object with a single key, AND or OR, holding a list of conditions", node);
        }
        return block(b, path, node, 1);
    }

    /** The deprecated flat {@code tags} map: every key must match (AND of leaves). */
    static TagFilter flat(BodyReader b, String field, JsonNode node) {
        if (!node.isObject()) return fail(b, List.of(field), "tags must be an object of key: value pairs", node);
        List<TagFilter> leaves = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            leaves.add(new TagFilter.Leaf(e.getKey(), values(e.getValue()), false));
        }
        return new TagFilter.And(leaves);
    }

    private static TagFilter block(BodyReader b, List<Object> path, JsonNode node, int depth) {
        String op = node.has("AND") ? "AND" : "OR";
        JsonNode list = node.get(op);
        List<Object> here = append(path, op);
        if (!list.isArray()) return fail(b, here, op + " must hold a list of conditions", list);
        if (depth > TagFilter.MAX_DEPTH) {
            return fail(b, here, "tags_v2 nests AND/OR blocks more than " + TagFilter.MAX_DEPTH + " levels deep", list);
        }
        List<TagFilter> parts = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) parts.add(part(b, append(here, i), list.get(i), depth));
        return op.equals("AND") ? new TagFilter.And(parts) : new TagFilter.Or(parts);
    }

    private static TagFilter part(BodyReader b, List<Object> path, JsonNode node, int depth) {
        if (!node.isObject()) return fail(b, path, "A condition must be an object", node);
        if (node.size() == 1 && (node.has("AND") || node.has("OR"))) return block(b, path, node, depth + 1);
        JsonNode key = node.get("key");
        if (key == null || !key.isTextual()) return fail(b, append(path, "key"), "A condition needs a string 'key'", node);
        JsonNode value = node.get("value");
        if (value == null || value.isNull()) return fail(b, append(path, "value"), "A condition needs a 'value' (or a list of values)", node);
        if (value.isObject()) return fail(b, append(path, "value"), "A condition's value must be a string, number, boolean or a list of them", value);
        JsonNode negate = node.get("negate");
        if (negate != null && !negate.isBoolean()) return fail(b, append(path, "negate"), "negate must be true or false", negate);
        for (String k : iterable(node.fieldNames())) {
            if (!List.of("key", "value", "negate").contains(k)) {
                return fail(b, append(path, k), "Unknown field '" + k + "' in a condition (expected key, value, negate)", node);
            }
        }
        return new TagFilter.Leaf(key.textValue(), values(value), negate != null && negate.booleanValue());
    }

    private static List<String> values(JsonNode value) {
        List<String> out = new ArrayList<>();
        if (value.isArray()) value.forEach(v -> out.add(v.isTextual() ? v.textValue() : v.toString()));
        else out.add(value.isTextual() ? value.textValue() : value.toString());
        return out;
    }

    private static TagFilter fail(BodyReader b, List<Object> path, String msg, JsonNode input) {
        return b.problemAt(path, msg, "value_error", input, new TagFilter.And(List.of()));
    }

    private static List<Object> append(List<Object> path, Object part) {
        List<Object> out = new ArrayList<>(path);
        out.add(part);
        return out;
    }

    private static Iterable<String> iterable(java.util.Iterator<String> it) {
        return () -> it;
    }
}
