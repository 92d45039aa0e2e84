package io.catchment.oauth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the provider URL a user's browser is sent to for consent.
 *
 * <p>Parameters come in a fixed order (the standard ones, then the catalogue's extra parameters
 * sorted by name) so the same inputs always give the same URL. Names and values are percent-encoded
 * per RFC 3986: everything but {@code A-Z a-z 0-9 - . _ ~} is escaped, so a space is {@code %20},
 * never {@code +} (some providers read {@code +} literally).
 */
public final class AuthorizeUrls {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private AuthorizeUrls() {}

    /**
     * An OAuth 2 authorization-code URL: {@code response_type=code}, {@code client_id},
     * {@code redirect_uri}, {@code state}, the scopes joined by the spec's separator in the spec's scope
     * parameter (left out when {@code scopes} is empty), {@code code_challenge} and
     * {@code code_challenge_method=S256} when the spec uses PKCE and a challenge is given, then the
     * spec's extra parameters.
     *
     * @param scopes the scopes to request, exactly; see {@link #scopesFor}
     * @throws IllegalArgumentException for an OAuth 1.0a spec, a blank redirect URI or state, a scope
     *     that is blank or holds whitespace or the separator, or a template without a value
     */
    public static URI build(ProviderSpec spec, ClientApp app, String redirectUri, String state,
                            Optional<String> codeChallenge, List<String> scopes, TemplateValues values) {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(codeChallenge, "codeChallenge");
        if (spec.authMode() != ProviderSpec.AuthMode.OAUTH2) {
            throw new IllegalArgumentException(spec.service() + " uses OAuth 1.0a; use buildOAuth1");
        }
        requireText("redirect_uri", redirectUri);
        requireText("state", state);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", app.clientId());
        params.put("redirect_uri", redirectUri);
        params.put("state", state);
        if (!scopes.isEmpty()) params.put(spec.scopeParameter(), joinScopes(spec, scopes));
        if (spec.pkce() && codeChallenge.isPresent()) {
            params.put("code_challenge", codeChallenge.get());
            params.put("code_challenge_method", Pkce.method());
        }
        addExtras(spec, params);
        return withQuery(values.fill(spec.authorizeUrl()), params);
    }

    /**
     * An OAuth 1.0a authorize URL (Zotero): the request token as {@code oauth_token}, then the spec's
     * extra parameters.
     *
     * @throws IllegalArgumentException for an OAuth 2 spec or a blank request token
     */
    public static URI buildOAuth1(ProviderSpec spec, String requestToken, TemplateValues values) {
        if (spec.authMode() != ProviderSpec.AuthMode.OAUTH1A) {
            throw new IllegalArgumentException(spec.service() + " uses OAuth 2; use build");
        }
        requireText("oauth_token", requestToken);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("oauth_token", requestToken);
        addExtras(spec, params);
        return withQuery(values.fill(spec.authorizeUrl()), params);
    }

    /**
     * The scopes to request: {@code requested} exactly when it names any (Carbon's {@code scopes}
     * replaces the defaults, it does not add to them), else the spec's read-only defaults.
     */
    public static List<String> scopesFor(ProviderSpec spec, List<String> requested) {
        return requested.isEmpty() ? spec.defaultScopes() : List.copyOf(requested);
    }

    private static String joinScopes(ProviderSpec spec, List<String> scopes) {
        for (String scope : scopes) {
            // One element is one scope: a space or separator inside would silently request several.
            if (scope == null || scope.isBlank() || scope.chars().anyMatch(Character::isWhitespace)
                    || scope.contains(spec.scopeSeparator())) {
                throw new IllegalArgumentException("Each scope must be one non-blank scope without spaces or '"
                        + spec.scopeSeparator() + "': '" + scope + "'");
            }
        }
        return String.join(spec.scopeSeparator(), scopes);
    }

    private static void addExtras(ProviderSpec spec, Map<String, String> params) {
        // The catalogue loader already refuses extras that shadow these; a hand-built spec could not.
        for (Map.Entry<String, String> e : new TreeMap<>(spec.authorizeParameters()).entrySet()) {
            if (params.containsKey(e.getKey()) || ProviderCatalog.RESERVED_PARAMETERS.contains(e.getKey())) {
                throw new IllegalArgumentException(spec.service() + "'s extra parameter " + e.getKey() + " would replace a standard one");
            }
            params.put(e.getKey(), e.getValue());
        }
    }

    private static URI withQuery(String base, Map<String, String> params) {
        // An overridden authorize URL may carry a query of its own (a proxy's routing key): keep it.
        StringBuilder url = new StringBuilder(base);
        boolean open = base.endsWith("?") || base.endsWith("&");
        String first = open ? "" : base.indexOf('?') >= 0 ? "&" : "?";
        String joiner = first;
        for (Map.Entry<String, String> e : params.entrySet()) {
            url.append(joiner).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            joiner = "&";
        }
        return URI.create(url.toString());
    }

    /** RFC 3986 percent-encoding of UTF-8 bytes; only unreserved characters stay as they are. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " is required");
    }
}
