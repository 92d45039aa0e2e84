package io.catchment.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** One API request as a handler sees it: who calls, and the means to read what was sent. */
public record Call(Context ctx, Caller caller, long maxBodyBytes) {

    /** Reads the JSON body with {@code reader}; throws {@link ValidationFailed} on any problem. */
    public <T> T body(Function<BodyReader, T> reader) {
        JsonNode root = parseBody();
        List<Problem> problems = new ArrayList<>();
        if (!(root instanceof ObjectNode object)) {
            throw new ValidationFailed(List.of(new Problem(List.of("body"),
                    "Input should be a valid dictionary or object to extract fields from", "model_attributes_type", root)));
        }
        T value = reader.apply(BodyReader.root(object, problems));
        if (!problems.isEmpty()) throw new ValidationFailed(problems);
        return value;
    }

    /**
     * Reads a JSON array body of objects (e.g. {@code /white_label/create}), each with
     * {@code reader}; problems are located at {@code ["body", index, ...]}. More than
     * {@code maxItems} elements is a 422 before any element is read.
     */
    public <T> List<T> bodyList(int maxItems, Function<BodyReader, T> reader) {
        JsonNode root = parseBody();
        if (!root.isArray()) {
            throw new ValidationFailed(List.of(new Problem(List.of("body"), "Input should be a valid list", "list_type", root)));
        }
        if (root.size() > maxItems) {
            // The input shown is the length, not the body: elements may hold secrets.
            throw new ValidationFailed(List.of(new Problem(List.of("body"), "List should have at most " + maxItems
                    + " items after validation, not " + root.size(), "too_long", Json.tree(root.size()))));
        }
        List<Problem> problems = new ArrayList<>();
        BodyReader body = BodyReader.root(Json.object(), problems);
        List<T> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            out.add(body.objectAt(List.of(i), root.get(i), reader, null));
        }
        if (!problems.isEmpty()) throw new ValidationFailed(problems);
        return out;
    }

    /** Reads the query string with {@code reader} (problems located under "query"). */
    public <T> T query(Function<BodyReader, T> reader) {
        ObjectNode params = Json.object();
        ctx.queryParamMap().forEach((k, v) -> {
            if (!v.isEmpty()) params.put(k, v.getFirst());
        });
        List<Problem> problems = new ArrayList<>();
        T value = reader.apply(BodyReader.query(params, problems));
        if (!problems.isEmpty()) throw new ValidationFailed(problems);
        return value;
    }

    public Caller.CustomerScoped customer() {
        if (caller instanceof Caller.CustomerScoped c) return c;
        throw new IllegalStateException("route is not customer-scoped: " + ctx.path());
    }

    private JsonNode parseBody() {
        byte[] bytes = readLimited();
        if (bytes.length == 0 || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new ValidationFailed(List.of(new Problem(List.of("body"), "Field required", "missing",
                    com.fasterxml.jackson.databind.node.NullNode.getInstance())));
        }
        try {
            return Json.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            long offset = where == null ? 0 : Math.max(0, where.getCharOffset() >= 0 ? where.getCharOffset() : where.getByteOffset());
            ObjectNode error = Json.object().put("error", e.getOriginalMessage());
            throw new ValidationFailed(List.of(new Problem(List.of("body", offset), "JSON decode error", "json_invalid",
                    Json.object(), java.util.Optional.of(error))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] readLimited() {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.bodyInputStream()) {
            if (declared > maxBodyBytes) throw tooLarge(in);
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (bytes.length > maxBodyBytes) throw tooLarge(in);
            return bytes;
        } catch (IOException e) {
            throw new ApiError(400, "Could not read the request body: " + e.getMessage());
        }
    }

    /**
     * The 413, after reading (and dropping) a moderate remainder of the body: a client that is
     * still sending then reads our answer instead of a reset connection.
     */
    private ApiError tooLarge(InputStream in) throws IOException {
        long drained = 0;
        byte[] sink = new byte[64 * 1024];
        int n;
        while (drained < DRAIN_LIMIT && (n = in.read(sink)) > 0) drained += n;
        return tooLarge();
    }

    private static final long DRAIN_LIMIT = 16L << 20;

    /** A 413 with {@code message}, after dropping a moderate rest of the body (see above). */
    public ApiError tooLarge(String message) {
        try (InputStream in = ctx.bodyInputStream()) {
            tooLarge(in);
        } catch (IOException e) {
            // the client went away; the answer no longer matters
        }
        return new ApiError(413, message);
    }

    private ApiError tooLarge() {
        return new ApiError(413, "Request body too large: the limit for this endpoint is " + maxBodyBytes + " bytes");
    }
}
