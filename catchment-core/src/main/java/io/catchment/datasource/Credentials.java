package io.catchment.datasource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What a data source authenticates with; sealed at rest, never shown. */
public sealed interface Credentials {
    /** OAuth 2 tokens; {@code extras} keeps non-secret response fields (instance_url, api base, ...). */
    record OAuthTokens(String accessToken, Optional<String> refreshToken, Optional<Instant> expiresAt,
                       Optional<String> scope, Map<String, String> extras) implements Credentials {
        public OAuthTokens {
            extras = Map.copyOf(extras);
        }

        @Override
        public String toString() { return "OAuthTokens[expiresAt=" + expiresAt + "]"; }
    }

    /** OAuth 1.0a (Zotero): the token and its secret. */
    record OAuth1Token(String token, String secret, Map<String, String> extras) implements Credentials {
        public OAuth1Token {
            extras = Map.copyOf(extras);
        }

        @Override
        public String toString() { return "OAuth1Token[]"; }
    }

    /** Keys and secrets of a credential connector (api_key, access_key_secret, account_key, ...). */
    record Secrets(Map<String, String> fields) implements Credentials {
        public Secrets {
            fields = Map.copyOf(fields);
        }

        @Override
        public String toString() { return "Secrets" + fields.keySet(); }
    }

    static ObjectNode toJson(Credentials c) {
        ObjectNode n = Json.object();
        switch (c) {
            case OAuthTokens t -> {
                n.put("kind", "oauth2").put("access_token", t.accessToken());
                t.refreshToken().ifPresent(r -> n.put("refresh_token", r));
                t.expiresAt().ifPresent(e -> n.put("expires_at", e.toString()));
                t.scope().ifPresent(s -> n.put("scope", s));
                ObjectNode extras = n.putObject("extras");
                t.extras().forEach(extras::put);
            }
            case OAuth1Token t -> {
                n.put("kind", "oauth1").put("token", t.token()).put("secret", t.secret());
                ObjectNode extras = n.putObject("extras");
                t.extras().forEach(extras::put);
            }
            case Secrets s -> {
                n.put("kind", "secrets");
                ObjectNode fields = n.putObject("fields");
                s.fields().forEach(fields::put);
            }
        }
        return n;
    }

    static Credentials fromJson(ObjectNode n) {
        return switch (n.path("kind").asText()) {
            case "oauth2" -> new OAuthTokens(n.get("access_token").asText(), text(n, "refresh_token"),
                    text(n, "expires_at").map(Instant::parse), text(n, "scope"), strings(n.path("extras")));
            case "oauth1" -> new OAuth1Token(n.get("token").asText(), n.get("secret").asText(), strings(n.path("extras")));
            case "secrets" -> new Secrets(strings(n.path("fields")));
            default -> throw new IllegalStateException("unknown credentials kind " + n.path("kind").asText());
        };
    }

    private static Optional<String> text(ObjectNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }

    private static Map<String, String> strings(com.fasterxml.jackson.databind.JsonNode node) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
