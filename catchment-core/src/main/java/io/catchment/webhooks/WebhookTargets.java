package io.catchment.webhooks;

import io.catchment.ingest.fetch.AddressRules;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which webhook URLs may be called: http or https, no user info, and a host whose every address
 * is public unicast, unless the host (as written in the URL) is allowlisted. A webhook URL is
 * supplied by a tenant, so without this it would let them make the server call its own
 * loopback, the private network or a cloud metadata endpoint. The address rules are the URL
 * fetcher's ({@link AddressRules}). The dispatcher checks before every attempt: a name that was
 * public when the webhook was added can resolve elsewhere by now.
 */
final class WebhookTargets {
    private final Set<String> allowedHosts;

    /** @param allowedHosts host names or IP literals that may be internal (compared case-insensitively) */
    WebhookTargets(Set<String> allowedHosts) {
        this.allowedHosts = allowedHosts.stream().map(WebhookTargets::normalize).collect(Collectors.toUnmodifiableSet());
    }

    /** Why {@code url} must not be called, or empty when it may be (resolves the host name). */
    Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("the URL is not valid: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) return Optional.of("the URL must be http or https");
        if (uri.getRawUserInfo() != null) return Optional.of("the URL must not contain credentials");
        String host = uri.getHost();
        if (host == null || host.isBlank()) return Optional.of("the URL has no host");
        if (allowedHosts.contains(normalize(host))) return Optional.empty();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(normalize(host));
        } catch (UnknownHostException e) {
            return Optional.of("the host " + host + " does not resolve");
        }
        for (InetAddress a : addresses) {
            Optional<String> why = AddressRules.whyInternal(a);
            if (why.isPresent()) {
                return Optional.of("the host " + host + " resolves to " + AddressRules.literal(a) + ", which is "
                        + why.get() + " (allowlist the host in the server's configuration to permit it)");
            }
        }
        return Optional.empty();
    }

    private static String normalize(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
