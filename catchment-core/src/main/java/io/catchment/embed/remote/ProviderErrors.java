package io.catchment.embed.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.json.Json;
import java.util.List;

/** Turns a provider's error body into one short line, with every secret blanked out. */
final class ProviderErrors {
    private static final int MAX_MESSAGE = 300;

    private ProviderErrors() {}

    /**
     * The message in the body's usual places ({@code error.message} for OpenAI, Azure and Vertex,
     * {@code message} for Cohere, {@code detail} for Jina, OAuth's {@code error} and
     * {@code error_description}, a string {@code error}), else the start of
     * the body itself.
     */
    static String message(String body, List<String> secrets) {
        String text = fromJson(body);
        if (text == null) text = body == null ? "" : body.strip();
        text = text.replaceAll("\\s+", " ");
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) text = text.replace(secret, "[redacted]");
        }
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...";
    }

    private static String fromJson(String body) {
        if (body == null || body.isBlank()) return null;
        JsonNode node;
        try {
            node = Json.mapper().readTree(body);
        } catch (Exception notJson) {
            return null;
        }
        if (node == null || !node.isObject()) return null;
        JsonNode description = node.get("error_description");
        if (description != null && description.isTextual()) {
            // OAuth token endpoints: {"error": "invalid_grant", "error_description": "..."}
            JsonNode code = node.get("error");
            return (code != null && code.isTextual() ? code.asText() + ": " : "") + description.asText();
        }
        for (String path : List.of("/error/message", "/message", "/detail", "/error", "/detail/0/msg", "/errors/0/message")) {
            JsonNode at = node.at(path);
            if (at.isTextual() && !at.asText().isBlank()) return at.asText();
        }
        JsonNode detail = node.get("detail");
        return detail != null && !detail.isMissingNode() ? detail.toString() : null;
    }
}
