package io.catchment.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth 2.0 token endpoints: the authorization-code exchange, refresh and revocation, each in the
 * provider's own wire format as its {@link ProviderSpec} declares (form or JSON body, client
 * credentials in the body or as HTTP Basic) plus the quirks no spec field covers:
 * <ul>
 *   <li>Slack answers HTTP 200 with {@code {"ok": false, "error": ...}}, and user-scope installs
 *       carry the token in {@code authed_user};
 *   <li>Intercom may send {@code token} without {@code access_token};
 *   <li>Salesforce sends no {@code expires_in} ({@link TokenSet#expiresAt()} is empty);
 *   <li>Zendesk's token request names the scope; Gong's names the client id beside Basic auth;
 *   <li>revocation is RFC 7009 (form {@code token}) except where the provider revokes the token
 *       that authenticates the call (Dropbox, Slack, Zendesk, Intercom, Zotero), takes JSON
 *       (Notion) or the token in the query (ServiceNow).
 * </ul>
 * Transient failures (connection, timeout, 5xx) are retried twice with backoff; 429 is not retried.
 * Keeps no state: a refresh answer without a refresh token gives a {@link TokenSet} without one,
 * and the caller keeps the old ({@link TokenSet#keepingRefreshToken}). Thread-safe.
 */
public final class TokenClient {
    private static final Logger log = LoggerFactory.getLogger(TokenClient.class);

    private final TokenHttp http;
    private final Clock clock;

    public TokenClient(HttpClient http, Clock clock) {
        this(http, clock, TokenHttp.DEFAULT_TIMEOUT, TokenHttp.DEFAULT_BACKOFF);
    }

    /** With a request timeout and the waits between attempts (tests use short ones). */
    TokenClient(HttpClient http, Clock clock, Duration timeout, List<Duration> backoff) {
        this.http = new TokenHttp(Objects.requireNonNull(http, "http"), timeout, backoff);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Exchanges an authorization code.
     *
     * @param redirectUri the redirect URI the authorize request carried (providers compare them)
     * @param codeVerifier the PKCE verifier, when the authorize request carried a challenge
     */
    public TokenSet exchangeCode(ProviderSpec spec, ClientApp app, TemplateValues values, String code,
                                 String redirectUri, Optional<String> codeVerifier) throws OAuthException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "authorization_code");
        params.put("code", code);
        params.put("redirect_uri", redirectUri);
        codeVerifier.ifPresent(v -> params.put("code_verifier", v));
        if (spec.service() == OAuthService.ZENDESK && !spec.defaultScopes().isEmpty()) {
            // Zendesk's token request names the scope it grants (its documented request does).
            params.put("scope", String.join(" ", spec.defaultScopes()));
        }
        List<String> secrets = new ArrayList<>(List.of(code, app.clientSecret()));
        codeVerifier.ifPresent(secrets::add);
        return post(spec, app, values, params, secrets, "code exchange");
    }

    /** Refreshes; the answer's refresh token, if any, replaces the old one (rotation). */
    public TokenSet refresh(ProviderSpec spec, ClientApp app, TemplateValues values, String refreshToken)
            throws OAuthException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "refresh_token");
        params.put("refresh_token", refreshToken);
        return post(spec, app, values, params, List.of(refreshToken, app.clientSecret()), "refresh");
    }

    /**
     * Revokes {@code token} at the provider; does nothing when the spec has no revoke URL. A token
     * the provider already considers invalid or revoked counts as revoked.
     */
    public void revoke(ProviderSpec spec, ClientApp app, TemplateValues values, String token) throws OAuthException {
        if (spec.revokeUrl().isEmpty()) return;
        String what = TokenHttp.display(spec.service()) + " revoke endpoint";
        URI uri = TokenHttp.uri(values.fill(spec.revokeUrl().get()), what);
        List<String> secrets = List.of(token, app.clientSecret());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "application/json");
        switch (spec.revokeStyle()) {
            case BEARER_POST_JSON_NULL -> request.header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("null"));
            case BEARER_POST -> request.header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody());
            case BEARER_DELETE -> request.header("Authorization", "Bearer " + token).DELETE();
            case API_KEY_DELETE -> request.header("Zotero-API-Key", token).header("Zotero-API-Version", "3").DELETE();
            case TOKEN_QUERY_GET -> request.uri(URI.create(uri + (uri.getRawQuery() == null ? "?" : "&") + "token="
                    + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8))).GET();
            case JSON_BASIC -> {
                ObjectNode body = Json.object().put("token", token);
                request.header("Authorization", TokenHttp.basic(app)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
                if (spec.service() == OAuthService.NOTION) request.header("Notion-Version", IdentityClient.NOTION_VERSION);
            }
            case RFC7009 -> {
                // The token in a form, the client authenticated as at the token endpoint.
                Map<String, String> form = new LinkedHashMap<>();
                form.put("token", token);
                if (spec.clientAuth() == ProviderSpec.ClientAuth.BASIC) {
                    request.header("Authorization", TokenHttp.basic(app));
                } else {
                    form.put("client_id", app.clientId());
                    form.put("client_secret", app.clientSecret());
                }
                request.header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(TokenHttp.form(form)));
            }
        }
        TokenHttp.Answer answer = http.send(request, what, secrets);
        Optional<ObjectNode> json = object(answer.body());
        boolean slackRefused = json.map(j -> j.path("ok").isBoolean() && !j.path("ok").asBoolean()).orElse(false);
        if (answer.ok() && !slackRefused) return;
        OAuthException refusal = TokenHttp.refusal(what, answer, secrets);
        // Where the token authenticates its own revocation, a dead token is refused like any dead token.
        boolean alreadyGone = refusal.kind() == OAuthException.Kind.INVALID_GRANT
                || (spec.revokeStyle().authenticatesWithToken() && (answer.status() == 401 || answer.status() == 403))
                || refusal.providerError().filter(e -> e.equals("invalid_auth") || e.equals("not_authed")
                        || e.equals("account_inactive")).isPresent();
        if (alreadyGone) {
            log.atInfo().addKeyValue("service", spec.service()).addKeyValue("status", answer.status())
                    .log("token was already invalid at revocation");
            return;
        }
        throw refusal;
    }

    private TokenSet post(ProviderSpec spec, ClientApp app, TemplateValues values, Map<String, String> params,
                          List<String> secrets, String step) throws OAuthException {
        String what = TokenHttp.display(spec.service()) + " token endpoint (" + step + ")";
        URI uri = TokenHttp.uri(values.fill(spec.tokenUrl()), what);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "application/json");
        if (spec.clientAuth() == ProviderSpec.ClientAuth.BASIC) {
            request.header("Authorization", TokenHttp.basic(app));
            // Gong's documented token request names the client id beside Basic credentials.
            if (spec.service() == OAuthService.GONG) params.put("client_id", app.clientId());
        } else {
            params.put("client_id", app.clientId());
            params.put("client_secret", app.clientSecret());
        }
        if (spec.tokenBodyFormat() == ProviderSpec.BodyFormat.JSON) {
            ObjectNode body = Json.object();
            params.forEach(body::put);
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        } else {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(TokenHttp.form(params)));
        }
        TokenHttp.Answer answer = http.send(request, what, secrets);
        Optional<ObjectNode> json = object(answer.body());
        if (!answer.ok()) {
            OAuthException refusal = TokenHttp.refusal(what, answer, secrets);
            logRefusal(spec, step, refusal);
            throw refusal;
        }
        if (json.isEmpty()) {
            throw new OAuthException(OAuthException.Kind.PROVIDER_ERROR, what + " answered HTTP " + answer.status()
                    + " with something that is not a JSON object");
        }
        ObjectNode body = json.get();
        // Slack answers every call with HTTP 200; failures say ok:false. Others may put an error in a 200.
        boolean refused = (body.path("ok").isBoolean() && !body.path("ok").asBoolean())
                || (body.path("error").isTextual() && body.path("access_token").isMissingNode());
        if (refused) {
            OAuthException refusal = TokenHttp.refusal(what, answer, secrets);
            logRefusal(spec, step, refusal);
            throw refusal;
        }
        return TokenResponses.parse(what, body, clock.instant());
    }

    private static void logRefusal(ProviderSpec spec, String step, OAuthException e) {
        log.atInfo().addKeyValue("service", spec.service()).addKeyValue("step", step).addKeyValue("kind", e.kind())
                .addKeyValue("provider_error", e.providerError().orElse("")).log("token request refused");
    }

    static Optional<ObjectNode> object(String body) {
        if (body == null || body.isBlank()) return Optional.empty();
        try {
            JsonNode node = Json.mapper().readTree(body);
            return node instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
