package io.catchment.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;

/** A response as tests see it: status, headers, parsed JSON (MissingNode when not JSON). */
public record Reply(int status, HttpHeaders headers, String text, JsonNode json) {
    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
        return status + " " + text;
    }
}
