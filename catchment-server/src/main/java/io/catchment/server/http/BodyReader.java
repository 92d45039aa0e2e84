package io.catchment.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.WireNamed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Reads one JSON object of a request the way FastAPI's pydantic models do (lax mode: "5" is
 * an int, "true" a bool), collecting every problem with its location instead of stopping at
 * the first. Readers of nested objects share the problem list.
 *
 * <p>Use through {@link Call#body}: it runs a reader and throws {@link ValidationFailed} when
 * anything was wrong, so request records never see half-valid input.
 */
public final class BodyReader {
    private final ObjectNode node;
    private final List<Object> loc;
    private final List<Problem> problems;

    private BodyReader(ObjectNode node, List<Object> loc, List<Problem> problems) {
        this.node = node;
        this.loc = loc;
        this.problems = problems;
    }

    static BodyReader root(ObjectNode node, List<Problem> problems) {
        return new BodyReader(node, List.of("body"), problems);
    }

    /**
     * Fields this body leaves out take {@code defaults}' values (a data source's connect-time sync
     * settings under a files/sync request). Problems with a default are reported at its field name.
     */
    public BodyReader withDefaults(ObjectNode defaults) {
        defaults.fields().forEachRemaining(e -> {
            if (!node.has(e.getKey()) || node.get(e.getKey()).isNull()) node.set(e.getKey(), e.getValue().deepCopy());
        });
        return this;
    }

    // ---- strings

    public String requiredString(String field) {
        JsonNode v = node.get(field);
        if (v == null) return missing(field, "");
        if (!v.isTextual()) return problem(field, "Input should be a valid string", "string_type", v, "");
        return v.textValue();
    }

    public Optional<String> optionalString(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isTextual()) return problem(field, "Input should be a valid string", "string_type", v, Optional.empty());
        return Optional.of(v.textValue());
    }

    // ---- numbers and booleans

    public boolean bool(String field, boolean fallback) {
        JsonNode v = node.get(field);
        if (v == null) return fallback;
        return Coerce.bool(v).orElseGet(() -> problem(field, "Input should be a valid boolean", "bool_type", v, fallback));
    }

    /** An integer within {@code min..max}; {@code fallback} when absent. */
    public long integer(String field, long fallback, long min, long max) {
        JsonNode v = node.get(field);
        if (v == null) return fallback;
        return bounded(field, v, min, max).orElse(fallback);
    }

    /** An integer of at least {@code min}; empty when absent or null. */
    public OptionalInt optionalInt(String field, int min) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return OptionalInt.empty();
        return bounded(field, v, min, Integer.MAX_VALUE).map(x -> OptionalInt.of(x.intValue())).orElse(OptionalInt.empty());
    }

    // ---- enums

    /** A value of {@code type} by its wire name ({@link WireNamed}, else the constant name). */
    public <E extends Enum<E>> E enumValue(String field, Class<E> type, E fallback) {
        JsonNode v = node.get(field);
        if (v == null) return fallback;
        return parseEnum(field, v, type).orElse(fallback);
    }

    public <E extends Enum<E>> E requiredEnum(String field, Class<E> type) {
        JsonNode v = node.get(field);
        if (v == null) return missing(field, type.getEnumConstants()[0]);
        return parseEnum(field, v, type).orElse(type.getEnumConstants()[0]);
    }

    // ---- lists

    public Optional<List<String>> optionalStringList(String field, int maxItems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        return Optional.of(stringList(field, v, maxItems));
    }

    public List<String> requiredStringList(String field, int maxItems) {
        JsonNode v = node.get(field);
        if (v == null) return missing(field, List.of());
        return stringList(field, v, maxItems);
    }

    public Optional<List<Long>> optionalLongList(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isArray()) return problem(field, "Input should be a valid list", "list_type", v, Optional.empty());
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            BodyReader element = at(field);
            element.intValue(i, v.get(i)).ifPresent(out::add);
        }
        return Optional.of(out);
    }

    public List<Long> requiredLongList(String field) {
        JsonNode v = node.get(field);
        if (v == null) return missing(field, List.of());
        if (!v.isArray()) return problem(field, "Input should be a valid list", "list_type", v, List.of());
        return optionalLongList(field).orElse(List.of());
    }

    // ---- nested objects

    /** A nested object read by {@code reader}; {@code fallback} when absent. */
    public <T> T object(String field, Function<BodyReader, T> reader, T fallback) {
        JsonNode v = node.get(field);
        if (v == null) return fallback;
        if (!(v instanceof ObjectNode object)) {
            return problem(field, "Input should be a valid dictionary or object to extract fields from",
                    "model_attributes_type", v, fallback);
        }
        return reader.apply(new BodyReader(object, append(loc, field), problems));
    }

    /** A nested object found inside a free-form field, read with its location {@code path} below this one. */
    public <T> T objectAt(List<Object> path, JsonNode value, Function<BodyReader, T> reader, T fallback) {
        if (!(value instanceof ObjectNode object)) {
            return problemAt(path, "Input should be a valid dictionary or object to extract fields from",
                    "model_attributes_type", value, fallback);
        }
        List<Object> full = new ArrayList<>(loc);
        full.addAll(path);
        return reader.apply(new BodyReader(object, List.copyOf(full), problems));
    }

    /** Like {@link #object} but JSON null also means absent. */
    public <T> T nullableObject(String field, Function<BodyReader, T> reader, T fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : object(field, reader, fallback);
    }

    /** A free-form JSON object (Carbon's "obj"). */
    public ObjectNode requiredObjectNode(String field) {
        JsonNode v = node.get(field);
        if (v == null) return missing(field, io.catchment.json.Json.object());
        if (!(v instanceof ObjectNode object)) {
            return problem(field, "Input should be a valid dictionary", "dict_type", v, io.catchment.json.Json.object());
        }
        return object;
    }

    /** Whether the field is present at all (JSON null included). */
    public boolean has(String field) {
        return node.has(field);
    }

    /** The raw value of a field whose shape the caller checks itself (see {@link #problem}). */
    public Optional<JsonNode> raw(String field) {
        return Optional.ofNullable(node.get(field)).filter(v -> !v.isNull());
    }

    /** Reports a problem found by the caller at {@code field}; returns {@code fallback}. */
    public <T> T problem(Object field, String msg, String type, JsonNode input, T fallback) {
        problems.add(new Problem(append(loc, field), msg, type, input));
        return fallback;
    }

    /** Reports a problem at a path below this object (e.g. inside a free-form field). */
    public <T> T problemAt(List<Object> path, String msg, String type, JsonNode input, T fallback) {
        List<Object> full = new ArrayList<>(loc);
        full.addAll(path);
        problems.add(new Problem(full, msg, type, input));
        return fallback;
    }

    /** A reader of the same object whose problems are reported under {@code "query"} (query strings). */
    static BodyReader query(ObjectNode params, List<Problem> problems) {
        return new BodyReader(params, List.of("query"), problems);
    }

    // ---- internals

    private <T> T missing(String field, T fallback) {
        return problem(field, "Field required", "missing", node, fallback);
    }

    private Optional<Long> bounded(String field, JsonNode v, long min, long max) {
        return intValue(field, v).flatMap(value -> {
            if (value < min) {
                return problem(field, "Input should be greater than or equal to " + min, "greater_than_equal", v, Optional.empty());
            }
            if (value > max) {
                return problem(field, "Input should be less than or equal to " + max, "less_than_equal", v, Optional.empty());
            }
            return Optional.of(value);
        });
    }

    private Optional<Long> intValue(Object field, JsonNode v) {
        return switch (Coerce.integer(v)) {
            case Coerce.IntResult.Ok ok -> Optional.of(ok.value());
            case Coerce.IntResult.Bad bad -> problem(field, bad.msg(), bad.type(), v, Optional.empty());
        };
    }

    private <E extends Enum<E>> Optional<E> parseEnum(String field, JsonNode v, Class<E> type) {
        E[] constants = type.getEnumConstants();
        if (v.isTextual()) {
            for (E c : constants) {
                if (wire(c).equals(v.textValue())) return Optional.of(c);
            }
        }
        List<String> names = new ArrayList<>();
        for (E c : constants) names.add("'" + wire(c) + "'");
        String expected = names.size() == 1 ? names.getFirst()
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
        return problem(field, "Input should be " + expected, "enum", v, Optional.empty());
    }

    private List<String> stringList(String field, JsonNode v, int maxItems) {
        if (!v.isArray()) return problem(field, "Input should be a valid list", "list_type", v, List.of());
        if (v.size() > maxItems) {
            return problem(field, "List should have at most " + maxItems + " items after validation, not " + v.size(),
                    "too_long", v, List.of());
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (e.isTextual()) out.add(e.textValue());
            else at(field).problem(i, "Input should be a valid string", "string_type", e, null);
        }
        return out;
    }

    private BodyReader at(String field) {
        return new BodyReader(node, append(loc, field), problems);
    }

    static String wire(Enum<?> c) {
        return c instanceof WireNamed w ? w.wireName() : c.name();
    }

    private static List<Object> append(List<Object> loc, Object field) {
        List<Object> out = new ArrayList<>(loc);
        out.add(field);
        return List.copyOf(out);
    }
}
