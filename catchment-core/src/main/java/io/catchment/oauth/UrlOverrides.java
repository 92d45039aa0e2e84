package io.catchment.oauth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replacement URLs for one service's catalogue entry: how tests point a provider at a fake, and how
 * operators route through a proxy or a sovereign cloud. An empty field keeps the catalogue's URL.
 * Values are absolute {@code http}/{@code https} URLs (plain http so local fakes work) and may use
 * the catalogue's templates ({@code {subdomain}}, {@code {tenant}}, {@code {instance}}, {@code {domain}}).
 */
public record UrlOverrides(
        Optional<String> authorizeUrl,
        Optional<String> tokenUrl,
        Optional<String> requestTokenUrl,
        Optional<String> identityUrl,
        Optional<String> revokeUrl,
        Optional<String> apiBaseUrl) {

    public static final UrlOverrides NONE = new UrlOverrides(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    /** The key names of {@link #fromMap} and, upper-cased, the suffixes of the environment variables. */
    public static final List<String> KEYS = List.of(
            "authorize_url", "token_url", "request_token_url", "identity_url", "revoke_url", "api_base_url");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Set<String> TEMPLATES = Set.of("subdomain", "tenant", "instance", "domain");

    public UrlOverrides {
        Objects.requireNonNull(authorizeUrl, "authorizeUrl");
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        Objects.requireNonNull(requestTokenUrl, "requestTokenUrl");
        Objects.requireNonNull(identityUrl, "identityUrl");
        Objects.requireNonNull(revokeUrl, "revokeUrl");
        Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
        authorizeUrl.ifPresent(u -> checkUrl("authorize_url", u));
        tokenUrl.ifPresent(u -> checkUrl("token_url", u));
        requestTokenUrl.ifPresent(u -> checkUrl("request_token_url", u));
        identityUrl.ifPresent(u -> checkUrl("identity_url", u));
        revokeUrl.ifPresent(u -> checkUrl("revoke_url", u));
        apiBaseUrl.ifPresent(u -> checkUrl("api_base_url", u));
    }

    /**
     * Overrides from a map keyed by {@link #KEYS} (the shape the testing module's fakes report their
     * URLs in). Blank values are ignored.
     *
     * @throws IllegalArgumentException for an unknown key or a value that is not an http(s) URL
     */
    public static UrlOverrides fromMap(Map<String, String> urls) {
        Map<String, String> byKey = new LinkedHashMap<>();
        urls.forEach((key, value) -> {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("Unknown URL override '" + key + "'; expected one of " + KEYS);
            }
            if (value != null && !value.isBlank()) byKey.put(key, value.strip());
        });
        return new UrlOverrides(
                Optional.ofNullable(byKey.get("authorize_url")),
                Optional.ofNullable(byKey.get("token_url")),
                Optional.ofNullable(byKey.get("request_token_url")),
                Optional.ofNullable(byKey.get("identity_url")),
                Optional.ofNullable(byKey.get("revoke_url")),
                Optional.ofNullable(byKey.get("api_base_url")));
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** {@code this} over {@code base}: a field set here wins. */
    public UrlOverrides orElse(UrlOverrides base) {
        return new UrlOverrides(
                authorizeUrl.or(base::authorizeUrl),
                tokenUrl.or(base::tokenUrl),
                requestTokenUrl.or(base::requestTokenUrl),
                identityUrl.or(base::identityUrl),
                revokeUrl.or(base::revokeUrl),
                apiBaseUrl.or(base::apiBaseUrl));
    }

    /**
     * The spec with these URLs in place. The identity URL only replaces an {@code ENDPOINT} identity's
     * URL: a service identified from its token response calls no endpoint, and a fake that reports an
     * identity URL for every service must not turn that into one.
     */
    public ProviderSpec applyTo(ProviderSpec spec) {
        ProviderSpec.IdentitySpec identity = spec.identity();
        if (identityUrl.isPresent() && identity.source() == ProviderSpec.IdentitySpec.Source.ENDPOINT) {
            identity = new ProviderSpec.IdentitySpec(identity.source(), identity.method(), identityUrl,
                    identity.idPointer(), identity.emailPointer(), identity.namePointer(), identity.bareToken());
        }
        return new ProviderSpec(
                spec.service(),
                spec.authMode(),
                authorizeUrl.orElse(spec.authorizeUrl()),
                tokenUrl.orElse(spec.tokenUrl()),
                requestTokenUrl.or(spec::requestTokenUrl),
                spec.defaultScopes(),
                spec.scopeSeparator(),
                spec.scopeParameter(),
                spec.authorizeParameters(),
                spec.clientAuth(),
                spec.tokenBodyFormat(),
                spec.pkce(),
                spec.refresh(),
                identity,
                revokeUrl.or(spec::revokeUrl),
                spec.revokeStyle(),
                spec.callbackSlug(),
                spec.requiredFields(),
                apiBaseUrl.orElse(spec.apiBaseUrl()));
    }

    /**
     * Checks {@code url} is an absolute http(s) URL with a host once its templates are filled, and
     * that it uses no template other than the four known ones.
     */
    static void checkUrl(String what, String url) {
        Matcher m = PLACEHOLDER.matcher(url);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            if (!TEMPLATES.contains(m.group(1))) {
                throw new IllegalArgumentException(what + " uses an unknown template {" + m.group(1) + "}: " + url);
            }
            m.appendReplacement(filled, "x");
        }
        m.appendTail(filled);
        URI uri;
        try {
            uri = new URI(filled.toString());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + " is not a valid URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new IllegalArgumentException(what + " must be an absolute http(s) URL: " + url);
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException(what + " must not have a fragment: " + url);
        }
    }
}
