package io.catchment.testing.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request as the fake received it. Header names are lower case.
 *
 * @param json the body parsed as JSON, or a missing node when it is not JSON
 */
public record RecordedRequest(String method, String path, Optional<String> query, Map<String, List<String>> headers,
                              byte[] body, JsonNode json) {

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Decoded {@code application/x-www-form-urlencoded} fields of the body. */
    public Map<String, String> form() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String pair : bodyText().split("&")) {
            if (pair.isEmpty()) continue;
            String[] kv = pair.split("=", 2);
            out.put(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }
}
