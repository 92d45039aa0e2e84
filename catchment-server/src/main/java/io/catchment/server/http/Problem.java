package io.catchment.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One entry of a 422 response, as FastAPI/pydantic v2 writes it: where ({@code loc}), what
 * ({@code msg}), the error {@code type}, and the offending {@code input}.
 */
public record Problem(List<Object> loc, String msg, String type, JsonNode input) {
    public Problem {
        loc = List.copyOf(loc);
    }
}
