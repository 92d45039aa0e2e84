package io.catchment.connector.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.json.Json;
import io.catchment.xml.SafeXml;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.xml.stream.XMLStreamException;

/**
 * The human part of a provider's error body, scrubbed: the message fields of the JSON shapes the
 * connectors' providers use ({@code message}, {@code description}, {@code error} as a string or
 * object, {@code errors[]}, {@code code}), or {@code Code: Message} of an XML {@code <Error>}.
 * HTML and other bodies give nothing (an error page is noise in a message).
 */
final class ErrorText {
    private static final Set<String> FIELDS = Set.of("message", "description", "error_description", "detail");

    private ErrorText() {
    }

    static String of(String body, String... secrets) {
        if (body == null) {
            return "";
        }
        String text = body.strip();
        Optional<String> found = Optional.empty();
        if (text.startsWith("{")) {
            found = fromJson(text);
        } else if (text.startsWith("<?xml") || text.startsWith("<Error")) {
            found = fromXml(text);
        }
        // A trailing full stop would double up with the one the verifier's sentence ends with.
        return found.map(t -> Redact.scrub(t, secrets).replaceAll("[.\\s]+$", "")).orElse("");
    }

    private static Optional<String> fromJson(String text) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        if (node.path("code").isTextual()) {
            parts.add(node.path("code").asText());
        }
        collect(node, parts);
        JsonNode error = node.path("error");
        if (error.isTextual()) {
            parts.add(error.asText());
        } else if (error.isObject()) {
            collect(error, parts);
        }
        JsonNode errors = node.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            JsonNode first = errors.get(0);
            if (first.isTextual()) {
                parts.add(first.asText());
            } else {
                collect(first, parts);
            }
        }
        List<String> distinct = parts.stream().map(String::strip).filter(p -> !p.isEmpty()).distinct().toList();
        return distinct.isEmpty() ? Optional.empty() : Optional.of(String.join(": ", distinct));
    }

    private static void collect(JsonNode node, List<String> parts) {
        node.properties().forEach(e -> {
            if (FIELDS.contains(e.getKey()) && e.getValue().isTextual()) {
                parts.add(e.getValue().asText());
            }
        });
    }

    private static Optional<String> fromXml(String text) {
        try {
            SafeXml.Node root = SafeXml.parse(text);
            Optional<String> code = root.text("Code");
            Optional<String> message = root.text("Message").map(m -> m.lines().findFirst().orElse(m));
            if (code.isEmpty() && message.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(code.map(c -> message.map(m -> c + ": " + m).orElse(c)).orElseGet(message::orElseThrow));
        } catch (XMLStreamException e) {
            return Optional.empty();
        }
    }
}
