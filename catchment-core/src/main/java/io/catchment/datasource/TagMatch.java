package io.catchment.datasource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.files.TagFilter;

/** Evaluates a {@link TagFilter} against one data source's tags (a JSON object of values or lists). */
final class TagMatch {
    private TagMatch() {}

    static boolean matches(TagFilter filter, ObjectNode tags) {
        return switch (filter) {
            case TagFilter.And and -> and.all().stream().allMatch(f -> matches(f, tags));
            case TagFilter.Or or -> or.any().stream().anyMatch(f -> matches(f, tags));
            case TagFilter.Leaf leaf -> leaf.negate() != has(tags.get(leaf.key()), leaf);
        };
    }

    /** The tag has one of the leaf's values (a list-valued tag: any of its elements). */
    private static boolean has(JsonNode value, TagFilter.Leaf leaf) {
        if (value == null || value.isNull()) return false;
        if (value.isArray()) {
            for (JsonNode v : value) if (leaf.values().contains(v.asText())) return true;
            return false;
        }
        return leaf.values().contains(value.asText());
    }
}
