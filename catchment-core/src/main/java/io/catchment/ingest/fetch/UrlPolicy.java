package io.catchment.ingest.fetch;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link SafeUrlFetcher} may download.
 *
 * @param allowedHosts   host names or IP literals, compared exactly (case-insensitively, IPv6
 *                       with or without brackets) with the host as written in the URL, that may
 *                       be fetched even though they resolve to loopback, private, link-local or
 *                       other internal addresses; empty by default. Entries are normalised to
 *                       lower case without brackets.
 * @param maxBytes       the largest body that is downloaded; larger ones are refused
 * @param connectTimeout the limit for opening one connection
 * @param totalTimeout   the limit for the whole fetch: name resolution, every redirect hop and
 *                       the body
 * @param maxRedirects   how many redirects are followed (0 = none)
 */
public record UrlPolicy(Set<String> allowedHosts, long maxBytes, Duration connectTimeout,
                        Duration totalTimeout, int maxRedirects) {

    public static final long DEFAULT_MAX_BYTES = 100L * 1024 * 1024;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(120);
    public static final int DEFAULT_MAX_REDIRECTS = 5;

    public UrlPolicy {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(totalTimeout, "totalTimeout");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, not " + maxBytes);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, not " + connectTimeout);
        }
        if (totalTimeout.isNegative() || totalTimeout.isZero()) {
            throw new IllegalArgumentException("totalTimeout must be positive, not " + totalTimeout);
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must not be negative, not " + maxRedirects);
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (String host : allowedHosts == null ? Set.<String>of() : allowedHosts) {
            String normal = normalizeHost(Objects.requireNonNull(host, "allowed host"));
            if (!normal.isEmpty()) {
                hosts.add(normal);
            }
        }
        allowedHosts = Set.copyOf(hosts);
    }

    /** A policy with {@link #DEFAULT_MAX_REDIRECTS} redirects. */
    public UrlPolicy(Set<String> allowedHosts, long maxBytes, Duration connectTimeout, Duration totalTimeout) {
        this(allowedHosts, maxBytes, connectTimeout, totalTimeout, DEFAULT_MAX_REDIRECTS);
    }

    /** 100 MiB, 10 s to connect, 120 s in all, 5 redirects, no allowlist. */
    public static UrlPolicy defaults() {
        return new UrlPolicy(Set.of(), DEFAULT_MAX_BYTES, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT,
                DEFAULT_MAX_REDIRECTS);
    }

    public UrlPolicy withAllowedHosts(Set<String> hosts) {
        return new UrlPolicy(hosts, maxBytes, connectTimeout, totalTimeout, maxRedirects);
    }

    public UrlPolicy withAllowedHosts(String... hosts) {
        return withAllowedHosts(new LinkedHashSet<>(Arrays.asList(hosts)));
    }

    public UrlPolicy withMaxBytes(long bytes) {
        return new UrlPolicy(allowedHosts, bytes, connectTimeout, totalTimeout, maxRedirects);
    }

    public UrlPolicy withConnectTimeout(Duration timeout) {
        return new UrlPolicy(allowedHosts, maxBytes, timeout, totalTimeout, maxRedirects);
    }

    public UrlPolicy withTotalTimeout(Duration timeout) {
        return new UrlPolicy(allowedHosts, maxBytes, connectTimeout, timeout, maxRedirects);
    }

    public UrlPolicy withMaxRedirects(int redirects) {
        return new UrlPolicy(allowedHosts, maxBytes, connectTimeout, totalTimeout, redirects);
    }

    /** Whether {@code host}, as written in a URL, is allowlisted. */
    public boolean isAllowlisted(String host) {
        return host != null && allowedHosts.contains(normalizeHost(host));
    }

    /** Lower case, trimmed, without the brackets of an IPv6 literal. */
    static String normalizeHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.length() >= 2 && h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h;
    }
}
