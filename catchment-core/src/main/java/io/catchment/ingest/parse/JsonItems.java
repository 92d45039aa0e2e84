package io.catchment.ingest.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON flattened to one {@code path: value} line per leaf. Paths join object keys and array
 * indexes (integers from 0) with dots: {@code a.b.0.c: value}. A top-level array gives one item
 * per element, its paths relative to the element (an element that is a plain value is just that
 * value); any other top-level value is one item. Values are written as in the file: strings
 * unquoted, numbers as written, {@code true}/{@code false}/{@code null}; an empty object or
 * array is the leaf {@code {}} / {@code []}. Keys are used as they are, dots included.
 */
final class JsonItems {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    private JsonItems() {}

    static List<String> items(Path file, CharBudget budget) throws IOException, ParseFailure {
        // The tree is built in memory: refuse files that could not fit the budget even as UTF-8 bytes.
        if (Files.size(file) > 4 * budget.max()) throw ParseFailure.tooLong(budget.max());
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (StreamConstraintsException e) {
            throw new ParseFailure("JSON file exceeds a parser limit: " + e.getOriginalMessage(), false);
        } catch (JsonProcessingException e) {
            throw new ParseFailure("File is not valid JSON: " + describe(e), false);
        }
        if (root == null || root.isMissingNode()) throw ParseFailure.noText();
        List<String> items = new ArrayList<>();
        Iterable<JsonNode> elements = root.isArray() ? root : List.of(root);
        for (JsonNode element : elements) {
            List<String> lines = new ArrayList<>();
            flatten(element, "", lines, budget);
            items.add(String.join("\n", lines));
        }
        return items;
    }

    private static void flatten(JsonNode node, String path, List<String> lines, CharBudget budget) throws ParseFailure {
        if (node.isObject() && !node.isEmpty()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                flatten(field.getValue(), child(path, field.getKey()), lines, budget);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            for (int i = 0; i < node.size(); i++) flatten(node.get(i), child(path, Integer.toString(i)), lines, budget);
        } else {
            String value = node.isObject() ? "{}" : node.isArray() ? "[]" : node.asText();
            String line = path.isEmpty() ? value : path + ": " + value;
            budget.take(line.length() + 1L);
            lines.add(line);
        }
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message.length() > 200) message = message.substring(0, 200) + "…";
        var location = e.getLocation();
        return location == null || location.getLineNr() < 1 ? message
                : message + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
