package io.catchment.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a token endpoint granted.
 *
 * @param accessToken the token API calls carry (Slack user-scope installs: {@code authed_user}'s;
 *     Intercom: {@code token} when there is no {@code access_token}; Zotero: the API key)
 * @param refreshToken present only when this response carried one; after a refresh without one the
 *     caller keeps the refresh token it had
 * @param expiresAt when the access token expires, from {@code expires_in}; empty when the provider
 *     gave no lifetime (Salesforce, Notion, Intercom, Slack without rotation)
 * @param scope the granted scopes as the provider wrote them
 * @param response the provider's whole answer, for the extras some providers put there
 *     ({@code instance_url}, {@code api_base_url_for_customer}, {@code workspace_id}, {@code team},
 *     {@code authed_user}, {@code userID}, ...). It holds the tokens too: store
 *     {@link #responseWithoutSecrets()} where secrets must not go.
 */
public record TokenSet(String accessToken, Optional<String> refreshToken, Optional<Instant> expiresAt,
                       Optional<String> scope, ObjectNode response) {
    /** Fields of token responses that hold secrets (at any depth, e.g. Slack's {@code authed_user}). */
    private static final Set<String> SECRET_FIELDS = Set.of("access_token", "refresh_token", "id_token", "token",
            "oauth_token", "oauth_token_secret", "signature", "code", "client_secret");

    public TokenSet {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(scope, "scope");
        response = Objects.requireNonNull(response, "response").deepCopy();
    }

    /** A copy of the provider's answer (the record's own stays unchanged). */
    @Override
    public ObjectNode response() {
        return response.deepCopy();
    }

    /** The provider's answer with every token and secret field removed, at any depth. */
    public ObjectNode responseWithoutSecrets() {
        ObjectNode copy = response.deepCopy();
        strip(copy);
        return copy;
    }

    /** True when the access token expires within {@code margin} of {@code now} (never, without an expiry). */
    public boolean expiresWithin(java.time.Duration margin, Instant now) {
        return expiresAt.map(at -> !at.isAfter(now.plus(margin))).orElse(false);
    }

    /** This set, with the refresh token it replaces kept when the provider sent no new one. */
    public TokenSet keepingRefreshToken(Optional<String> previous) {
        return refreshToken.isPresent() ? this : new TokenSet(accessToken, previous, expiresAt, scope, response);
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(SECRET_FIELDS);
            object.forEach(TokenSet::strip);
        } else if (node.isArray()) {
            node.forEach(TokenSet::strip);
        }
    }

    @Override
    public String toString() {
        return "TokenSet[accessToken=***, refreshToken=" + (refreshToken.isPresent() ? "***" : "none")
                + ", expiresAt=" + expiresAt.map(Instant::toString).orElse("never") + ", scope=" + scope.orElse("") + "]";
    }
}
