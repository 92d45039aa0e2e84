package io.catchment.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a token endpoint's JSON answer into a {@link TokenSet}, with each provider's field quirks. */
final class TokenResponses {
    private TokenResponses() {}

    /**
     * The token set in {@code json}: {@code access_token}, else Intercom's {@code token}, else (Slack
     * installs with user scopes only) {@code authed_user.access_token}. The refresh token, lifetime
     * and scope are read from the same object the access token came from.
     *
     * @throws OAuthException PROVIDER_ERROR when the answer holds no access token
     */
    static TokenSet parse(String what, ObjectNode json, Instant now) throws OAuthException {
        JsonNode holder = json;
        Optional<String> access = text(json, "access_token").or(() -> text(json, "token"));
        if (access.isEmpty()) {
            JsonNode user = json.path("authed_user");
            access = text(user, "access_token");
            if (access.isPresent()) holder = user;
        }
        if (access.isEmpty()) {
            List<String> fields = new ArrayList<>();
            json.fieldNames().forEachRemaining(fields::add);
            throw new OAuthException(OAuthException.Kind.PROVIDER_ERROR,
                    what + " answered without an access token (fields: " + String.join(", ", fields) + ")");
        }
        Optional<String> refresh = text(holder, "refresh_token");
        Optional<Instant> expires = seconds(holder.get("expires_in")).filter(s -> s > 0).map(now::plusSeconds);
        Optional<String> scope = scope(holder.get("scope"));
        return new TokenSet(access.get(), refresh, expires, scope, json);
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText())
                : Optional.empty();
    }

    /** {@code expires_in} as a number, or as a numeric string (some providers quote it). */
    private static Optional<Long> seconds(JsonNode value) {
        if (value == null || value.isNull()) return Optional.empty();
        if (value.isNumber()) return Optional.of(value.asLong());
        if (value.isTextual()) {
            try {
                return Optional.of(Long.parseLong(value.asText().strip()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<String> scope(JsonNode value) {
        if (value == null || value.isNull()) return Optional.empty();
        if (value.isArray()) {
            List<String> scopes = new ArrayList<>();
            value.forEach(s -> scopes.add(s.asText()));
            return scopes.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", scopes));
        }
        return value.asText().isBlank() ? Optional.empty() : Optional.of(value.asText());
    }
}
