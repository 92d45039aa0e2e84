package io.catchment.testing.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the Google API fakes share: bearer-token checks against a predicate, Google's error
 * envelope ({@code {"error": {"code", "message", "errors": [{"domain", "reason", "message",
 * "location", "locationType"}], "status"}}}), RFC 3339 times with milliseconds, query parameters,
 * and the {@code fields} partial-response syntax ({@code nextPageToken,files(id,name)}).
 */
abstract class FakeGoogleApi extends FakeHttpApi {
    private static final DateTimeFormatter RFC3339_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Predicate<String> validToken;

    FakeGoogleApi(Predicate<String> validToken) {
        this.validToken = validToken;
    }

    /** True when the request carries {@code Authorization: Bearer <token>} and the predicate accepts the token. */
    final boolean bearerValid(RecordedRequest request) {
        Optional<String> header = request.header("authorization");
        if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        String token = header.get().substring(7).strip();
        return !token.isEmpty() && validToken.test(token);
    }

    /**
     * The answer Drive v3 gives a missing, expired or revoked access token: the long
     * {@code UNAUTHENTICATED} message on top, {@code Invalid Credentials} / {@code authError} in
     * {@code errors}, and a {@code WWW-Authenticate} challenge.
     */
    static Reply invalidCredentials() {
        return credentialsError("Request had invalid authentication credentials. Expected OAuth 2 access token, login"
                + " cookie or other valid authentication credential. See"
                + " https://developers.google.com/identity/sign-in/web/devconsole-project.", "UNAUTHENTICATED");
    }

    /** Cloud Storage's JSON API answer to bad credentials: {@code Invalid Credentials}, no {@code status}. */
    static Reply storageInvalidCredentials() {
        return credentialsError("Invalid Credentials", null);
    }

    private static Reply credentialsError(String message, String status) {
        ObjectNode item = JSON.createObjectNode();
        item.put("message", "Invalid Credentials");
        item.put("domain", "global");
        item.put("reason", "authError");
        item.put("locationType", "header");
        item.put("location", "Authorization");
        ObjectNode error = JSON.createObjectNode();
        error.put("code", 401);
        error.put("message", message);
        error.putArray("errors").add(item);
        if (status != null) error.put("status", status);
        ObjectNode body = JSON.createObjectNode();
        body.set("error", error);
        return Reply.json(401, body)
                .withHeader("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
    }

    /**
     * A rate-limit answer as Google sends it: {@code 403} with reason {@code userRateLimitExceeded}
     * or {@code rateLimitExceeded} (domain {@code usageLimits}), or {@code 429} (status
     * {@code RESOURCE_EXHAUSTED}); no {@code Retry-After} unless the test adds one.
     */
    public static Reply rateLimitReply(int status, String reason) {
        String message = reason.equals("userRateLimitExceeded") ? "User Rate Limit Exceeded" : "Rate Limit Exceeded";
        return error(status, message, "usageLimits", reason, null, null, status == 429 ? "RESOURCE_EXHAUSTED" : null);
    }

    /** Google's error envelope; {@code location}, {@code locationType} and {@code status} are left out when null. */
    static Reply error(int code, String message, String domain, String reason, String location, String locationType,
                       String status) {
        ObjectNode item = JSON.createObjectNode();
        item.put("message", message);
        item.put("domain", domain);
        item.put("reason", reason);
        if (location != null) item.put("location", location);
        if (locationType != null) item.put("locationType", locationType);
        ObjectNode error = JSON.createObjectNode();
        error.put("code", code);
        error.put("message", message);
        error.putArray("errors").add(item);
        if (status != null) error.put("status", status);
        ObjectNode body = JSON.createObjectNode();
        body.set("error", error);
        return Reply.json(code, body);
    }

    /** {@code 400 Invalid Value} for one query parameter, as Google's JSON APIs answer a malformed value. */
    static Reply invalidParameter(String name) {
        return error(400, "Invalid Value", "global", "invalid", name, "parameter", "INVALID_ARGUMENT");
    }

    /** {@code 400 Required parameter: name}. */
    static Reply requiredParameter(String name) {
        return error(400, "Required parameter: " + name, "global", "required", name, "parameter", "INVALID_ARGUMENT");
    }

    static String time(Instant instant) {
        return RFC3339_MILLIS.format(instant);
    }

    static Instant millis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    /** Decoded query parameters (first value wins for repeated names). */
    static Map<String, String> params(RecordedRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        if (request.query().isEmpty()) return out;
        for (String pair : request.query().get().split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1), true);
            out.putIfAbsent(name, value);
        }
        return out;
    }

    /**
     * Parses a page size: absent gives {@code fallback}; anything that is not an integer in
     * {@code [1, max]} is empty (the caller answers 400).
     */
    static Optional<Integer> pageSize(String raw, int fallback, int max) {
        if (raw == null) return Optional.of(fallback);
        try {
            int n = Integer.parseInt(raw);
            return n >= 1 && n <= max ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Percent-decoding as UTF-8; {@code plusIsSpace} for query strings. Malformed escapes stay as they are. */
    static String percentDecode(String text, boolean plusIsSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()
                    && Character.digit(text.charAt(i + 1), 16) >= 0 && Character.digit(text.charAt(i + 2), 16) >= 0) {
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Applies a {@code fields} selector to a response: {@code a,b(c,d),e/f}, {@code *} for every
     * field at a level. Arrays are filtered element by element. A malformed selector is empty.
     */
    static Optional<JsonNode> selectFields(JsonNode node, String fields) {
        Map<String, Object> mask;
        try {
            Parser p = new Parser(fields.replace(" ", ""));
            mask = p.list();
            if (p.pos != p.text.length()) return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(apply(node, mask));
    }

    @SuppressWarnings("unchecked")
    private static JsonNode apply(JsonNode node, Map<String, Object> mask) {
        if (mask == null || mask.containsKey("*")) return node;
        if (node instanceof ArrayNode array) {
            ArrayNode out = JSON.createArrayNode();
            array.forEach(e -> out.add(apply(e, mask)));
            return out;
        }
        if (!(node instanceof ObjectNode object)) return node;
        ObjectNode out = JSON.createObjectNode();
        for (Map.Entry<String, Object> e : mask.entrySet()) {
            JsonNode value = object.get(e.getKey());
            if (value != null) out.set(e.getKey(), apply(value, (Map<String, Object>) e.getValue()));
        }
        return out;
    }

    /** {@code list := item (',' item)*; item := name ('/' item | '(' list ')')?}. Values: null = whole field. */
    private static final class Parser {
        final String text;
        int pos;

        Parser(String text) {
            this.text = text;
        }

        Map<String, Object> list() {
            Map<String, Object> out = new LinkedHashMap<>();
            item(out);
            while (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
                item(out);
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        void item(Map<String, Object> into) {
            int start = pos;
            while (pos < text.length() && "(),/".indexOf(text.charAt(pos)) < 0) pos++;
            if (pos == start) throw new IllegalArgumentException("empty field name");
            String name = text.substring(start, pos);
            if (pos < text.length() && text.charAt(pos) == '/') {
                pos++;
                Map<String, Object> sub = into.get(name) instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
                item(sub);
                into.put(name, sub);
            } else if (pos < text.length() && text.charAt(pos) == '(') {
                pos++;
                Map<String, Object> sub = list();
                if (pos >= text.length() || text.charAt(pos) != ')') throw new IllegalArgumentException("unclosed (");
                pos++;
                into.put(name, sub);
            } else {
                into.put(name, null);
            }
        }
    }

    /** Splits {@code text} on {@code separator} (case-insensitive) outside single-quoted strings. */
    static List<String> splitOutsideQuotes(String text, String separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && text.regionMatches(true, i, separator, 0, separator.length())) {
                parts.add(text.substring(start, i).strip());
                start = i + separator.length();
                i = start - 1;
            }
        }
        parts.add(text.substring(start).strip());
        return parts;
    }
}
