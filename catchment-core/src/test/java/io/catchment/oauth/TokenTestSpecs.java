package io.catchment.oauth;

import io.catchment.oauth.ProviderSpec.BodyFormat;
import io.catchment.oauth.ProviderSpec.ClientAuth;
import io.catchment.oauth.ProviderSpec.IdentitySpec;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bundled catalogue's specs pointed at a fake (the fake's {@code urls()} as URL overrides, the
 * way the server's tests do it), variants of them, and the browser half of a consent.
 */
final class TokenTestSpecs {
    static final ClientApp APP = new ClientApp("client-id-4d2a", "client-secret-9f8e7d6c5b4a");
    static final String REDIRECT = "https://catchment.example.com/integrations/callback";

    private TokenTestSpecs() {}

    /** The catalogue's spec of {@code service} with the URLs a fake reports. */
    static ProviderSpec spec(OAuthService service, Map<String, String> urls) {
        return ProviderCatalog.bundled().withOverrides(Map.of(service, UrlOverrides.fromMap(urls))).spec(service);
    }

    /** The spec with another client authentication and body format. */
    static ProviderSpec withWire(ProviderSpec s, ClientAuth auth, BodyFormat format) {
        return new ProviderSpec(s.service(), s.authMode(), s.authorizeUrl(), s.tokenUrl(), s.requestTokenUrl(),
                s.defaultScopes(), s.scopeSeparator(), s.scopeParameter(), s.authorizeParameters(), auth, format, s.pkce(),
                s.refresh(), s.identity(), s.revokeUrl(), s.revokeStyle(), s.callbackSlug(), s.requiredFields(), s.apiBaseUrl());
    }

    static ProviderSpec withIdentity(ProviderSpec s, IdentitySpec identity) {
        return new ProviderSpec(s.service(), s.authMode(), s.authorizeUrl(), s.tokenUrl(), s.requestTokenUrl(),
                s.defaultScopes(), s.scopeSeparator(), s.scopeParameter(), s.authorizeParameters(), s.clientAuth(),
                s.tokenBodyFormat(), s.pkce(), s.refresh(), identity, s.revokeUrl(), s.revokeStyle(), s.callbackSlug(), s.requiredFields(),
                s.apiBaseUrl());
    }

    static ProviderSpec withScopes(ProviderSpec s, String scopeParameter, List<String> scopes) {
        return new ProviderSpec(s.service(), s.authMode(), s.authorizeUrl(), s.tokenUrl(), s.requestTokenUrl(),
                scopes, s.scopeSeparator(), scopeParameter, s.authorizeParameters(), s.clientAuth(),
                s.tokenBodyFormat(), s.pkce(), s.refresh(), s.identity(), s.revokeUrl(), s.revokeStyle(), s.callbackSlug(),
                s.requiredFields(), s.apiBaseUrl());
    }

    static ProviderSpec withRevokeUrl(ProviderSpec s, Optional<String> revokeUrl) {
        return new ProviderSpec(s.service(), s.authMode(), s.authorizeUrl(), s.tokenUrl(), s.requestTokenUrl(),
                s.defaultScopes(), s.scopeSeparator(), s.scopeParameter(), s.authorizeParameters(), s.clientAuth(),
                s.tokenBodyFormat(), s.pkce(), s.refresh(), s.identity(), revokeUrl, s.revokeStyle(), s.callbackSlug(),
                s.requiredFields(), s.apiBaseUrl());
    }

    /** The authorize URL the server would send the browser to (default scopes, PKCE when the spec uses it). */
    static String authorizeUrl(ProviderSpec spec, TemplateValues values, String state, Optional<Pkce> pkce) {
        return AuthorizeUrls.build(spec, APP, REDIRECT, state, pkce.map(Pkce::challenge), spec.defaultScopes(), values)
                .toString();
    }

    /** A whole connection: consent in the fake's browser, then the code exchange (PKCE when the spec uses it). */
    static TokenSet connect(TokenClient client, io.catchment.testing.oauth.FakeOAuthProvider fake, ProviderSpec spec,
                            TemplateValues values) throws OAuthException {
        Optional<Pkce> pkce = spec.pkce() ? Optional.of(Pkce.generate()) : Optional.empty();
        Map<String, String> callback = query(fake.authorize(authorizeUrl(spec, values, "state-c", pkce)));
        String code = callback.get("code");
        if (code == null) throw new IllegalStateException("consent failed: " + callback);
        return client.exchangeCode(spec, APP, values, code, REDIRECT, pkce.map(Pkce::verifier));
    }

    /** The decoded query of a callback URL. */
    static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = URI.create(url).getRawQuery();
        if (raw == null) return out;
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }
}
