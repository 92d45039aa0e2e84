package io.catchment.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A provider's answer: status, headers (names lower-cased) and the body's bytes. */
public record ProviderResponse(int status, Map<String, List<String>> headers, byte[] body) {
    public ProviderResponse {
        headers = Map.copyOf(headers);
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as JSON; an empty or non-JSON body reads as an empty object. */
    public JsonNode json() {
        if (body.length == 0) return Json.object();
        try {
            return Json.mapper().readTree(body);
        } catch (java.io.IOException e) {
            return Json.object();
        }
    }
}
