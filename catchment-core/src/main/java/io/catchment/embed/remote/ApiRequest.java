package io.catchment.embed.remote;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One POST to a provider; the answer is always JSON.
 *
 * @param provider the provider's display name, used in messages ("OpenAI", "Cohere", ...)
 * @param uri where to send it
 * @param headers authentication and the like; never logged
 * @param body JSON, or a form (token endpoints)
 * @param limitKey requests with the same key share one concurrency limit (provider + key fingerprint)
 * @param secrets strings that must never appear in an error message (API keys, tokens)
 */
public record ApiRequest(String provider, URI uri, Map<String, String> headers, Body body, String limitKey,
                         List<String> secrets) {
    public ApiRequest {
        headers = Map.copyOf(headers);
        secrets = List.copyOf(secrets);
    }

    /** A JSON body. */
    public static ApiRequest json(String provider, URI uri, Map<String, String> headers, JsonNode body,
                                  String limitKey, List<String> secrets) {
        return new ApiRequest(provider, uri, headers, new Body.Json(body), limitKey, secrets);
    }

    /** What is sent. */
    public sealed interface Body {
        String contentType();

        byte[] bytes();

        record Json(JsonNode node) implements Body {
            public String contentType() { return "application/json"; }

            public byte[] bytes() { return io.catchment.json.Json.write(node).getBytes(StandardCharsets.UTF_8); }
        }

        /** {@code application/x-www-form-urlencoded}, fields in the given order. */
        record Form(Map<String, String> fields) implements Body {
            public Form {
                fields = new LinkedHashMap<>(fields);
            }

            public String contentType() { return "application/x-www-form-urlencoded"; }

            public byte[] bytes() {
                return fields.entrySet().stream()
                        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&")).getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    @Override
    public String toString() {
        return "ApiRequest[" + provider + " POST " + uri + "]";
    }
}
