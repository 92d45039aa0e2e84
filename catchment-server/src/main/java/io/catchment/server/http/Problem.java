package io.catchment.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * One entry of a 422 response, as FastAPI/pydantic v2 writes it: where ({@code loc}), what
 * ({@code msg}), the error {@code type}, the offending {@code input}, and sometimes a
 * {@code ctx} with details.
 */
public record Problem(List<Object> loc, String msg, String type, JsonNode input, Optional<JsonNode> ctx) {
    public Problem {
        loc = List.copyOf(loc);
    }

    public Problem(List<Object> loc, String msg, String type, JsonNode input) {
        this(loc, msg, type, input, Optional.empty());
    }
}
