package io.catchment.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The OAuth 1.0a key exchange (Zotero): a request token for our callback, the user's consent at
 * the authorize URL, then the access token for the verifier the callback brought. Zotero's access
 * token is an API key that never expires; it comes in both {@code oauth_token_secret} and
 * {@code oauth_token}, with {@code userID} and {@code username} beside it. Thread-safe.
 */
public final class OAuth1Client {
    /** A temporary credential; its secret signs the access-token call and must be kept until then. */
    public record RequestToken(String token, String secret) {
        public RequestToken {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String toString() {
            return "RequestToken[" + token + ", secret=***]";
        }
    }

    private final TokenHttp http;
    private final OAuth1Signer signer;

    public OAuth1Client(HttpClient http, OAuth1Signer signer) {
        this(http, signer, TokenHttp.DEFAULT_TIMEOUT, TokenHttp.DEFAULT_BACKOFF);
    }

    public OAuth1Client(HttpClient http) {
        this(http, new OAuth1Signer());
    }

    OAuth1Client(HttpClient http, OAuth1Signer signer, Duration timeout, List<Duration> backoff) {
        this.http = new TokenHttp(Objects.requireNonNull(http, "http"), timeout, backoff);
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    /**
     * Step 1: a request token whose consent will return to {@code callbackUrl}.
     *
     * @throws OAuthException PROVIDER_ERROR when the provider does not confirm the callback
     */
    public RequestToken requestToken(ProviderSpec spec, ClientApp app, String callbackUrl) throws OAuthException {
        String what = TokenHttp.display(spec.service()) + " request-token endpoint";
        URI uri = TokenHttp.uri(spec.requestTokenUrl().orElseThrow(() -> new OAuthException(
                OAuthException.Kind.PROVIDER_ERROR, what + " is not in the catalogue")), what);
        String authorization = signer.authorization("POST", uri, List.of(), app.clientId(), app.clientSecret(),
                Optional.empty(), "", Map.of("oauth_callback", callbackUrl));
        Map<String, String> answer = post(uri, authorization, what, List.of(app.clientSecret()));
        String token = answer.get("oauth_token");
        String secret = answer.get("oauth_token_secret");
        if (token == null || token.isEmpty() || secret == null) {
            throw new OAuthException(OAuthException.Kind.PROVIDER_ERROR, what + " answered without a request token");
        }
        if (!"true".equals(answer.get("oauth_callback_confirmed"))) {
            // OAuth 1.0a: a provider that does not confirm the callback speaks 1.0, whose flow can be hijacked.
            throw new OAuthException(OAuthException.Kind.PROVIDER_ERROR, what + " did not confirm the callback");
        }
        return new RequestToken(token, secret);
    }

    /**
     * Step 3 (after the browser's consent at {@link AuthorizeUrls#buildOAuth1}): the access token for the callback's {@code oauth_verifier}. For Zotero the API key is
     * {@link TokenSet#accessToken()}; {@link TokenSet#response()} holds {@code userID} and {@code username}.
     */
    public TokenSet accessToken(ProviderSpec spec, ClientApp app, RequestToken requestToken, String verifier)
            throws OAuthException {
        String what = TokenHttp.display(spec.service()) + " access-token endpoint";
        URI uri = TokenHttp.uri(spec.tokenUrl(), what);
        String authorization = signer.authorization("POST", uri, List.of(), app.clientId(), app.clientSecret(),
                Optional.of(requestToken.token()), requestToken.secret(), Map.of("oauth_verifier", verifier));
        Map<String, String> answer = post(uri, authorization, what,
                List.of(app.clientSecret(), requestToken.secret(), verifier));
        // Zotero puts the key in both fields; its own example reads oauth_token_secret.
        String key = Optional.ofNullable(answer.get("oauth_token_secret")).filter(s -> !s.isEmpty())
                .or(() -> Optional.ofNullable(answer.get("oauth_token")).filter(s -> !s.isEmpty()))
                .orElseThrow(() -> new OAuthException(OAuthException.Kind.PROVIDER_ERROR,
                        what + " answered without an access token"));
        ObjectNode response = Json.object();
        answer.forEach(response::put);
        return new TokenSet(key, Optional.empty(), Optional.empty(), Optional.empty(), response);
    }

    private Map<String, String> post(URI uri, String authorization, String what, List<String> secrets)
            throws OAuthException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.noBody());
        TokenHttp.Answer answer = http.send(request, what, secrets);
        if (!answer.ok()) {
            OAuthException refusal = TokenHttp.refusal(what, answer, secrets);
            // OAuth 1.0a servers report problems as form text (oauth_problem=...), not JSON.
            Map<String, String> form = form(answer.body());
            if (refusal.providerError().isPresent() || !form.containsKey("oauth_problem")) throw refusal;
            String problem = form.get("oauth_problem");
            OAuthException.Kind kind = switch (problem) {
                case "token_rejected", "token_expired", "token_revoked", "token_used", "verifier_invalid",
                     "permission_denied" -> OAuthException.Kind.INVALID_GRANT;
                case "consumer_key_unknown", "consumer_key_rejected", "signature_invalid" -> OAuthException.Kind.INVALID_CLIENT;
                default -> TokenHttp.kindOf(Optional.empty(), answer.status());
            };
            throw new OAuthException(kind, what + " refused the request (HTTP " + answer.status() + ", "
                    + TokenHttp.clean(problem, secrets) + ")", Optional.of(problem), java.util.OptionalInt.of(answer.status()),
                    Optional.empty());
        }
        return form(answer.body());
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.strip().split("&")) {
            if (pair.isEmpty()) continue;
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }
}
