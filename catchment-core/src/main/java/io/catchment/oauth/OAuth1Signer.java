package io.catchment.oauth;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OAuth 1.0a request signing with HMAC-SHA1 (RFC 5849 §3.4): the signature base string from the
 * method, the base string URI and the normalized parameters (query, form body and {@code oauth_*}),
 * signed with {@code consumer secret & token secret}, sent in an {@code Authorization: OAuth ...}
 * header. Thread-safe.
 */
public final class OAuth1Signer {
    /** One request parameter, decoded. */
    public record Param(String name, String value) {
        public Param {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    private final Clock clock;
    private final Supplier<String> nonces;

    /** @param nonces a fresh nonce per call (tests fix it to reproduce published examples) */
    public OAuth1Signer(Clock clock, Supplier<String> nonces) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nonces = Objects.requireNonNull(nonces, "nonces");
    }

    /** The system clock and 128-bit random nonces. */
    public OAuth1Signer() {
        this(Clock.systemUTC(), randomNonces());
    }

    private static Supplier<String> randomNonces() {
        SecureRandom random = new SecureRandom();
        return () -> {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        };
    }

    /**
     * The {@code Authorization} header for a request.
     *
     * @param uri the request URI; its query parameters are signed
     * @param formParams the form body's parameters (signed), empty for other bodies
     * @param token the token ({@code oauth_token}), absent for the request-token call
     * @param tokenSecret the token's secret, empty when there is none yet
     * @param extra further protocol parameters: {@code oauth_callback}, {@code oauth_verifier}
     */
    public String authorization(String method, URI uri, List<Param> formParams, String consumerKey,
                                String consumerSecret, Optional<String> token, String tokenSecret,
                                Map<String, String> extra) {
        Map<String, String> protocol = new LinkedHashMap<>();
        protocol.put("oauth_consumer_key", consumerKey);
        protocol.put("oauth_nonce", nonces.get());
        protocol.put("oauth_signature_method", "HMAC-SHA1");
        protocol.put("oauth_timestamp", Long.toString(clock.instant().getEpochSecond()));
        token.ifPresent(t -> protocol.put("oauth_token", t));
        protocol.put("oauth_version", "1.0");
        protocol.putAll(extra);
        List<Param> signed = new ArrayList<>(formParams);
        protocol.forEach((k, v) -> signed.add(new Param(k, v)));
        protocol.put("oauth_signature", sign(baseString(method, uri, signed), consumerSecret, tokenSecret));
        return "OAuth " + protocol.entrySet().stream()
                .map(e -> percentEncode(e.getKey()) + "=\"" + percentEncode(e.getValue()) + "\"")
                .collect(Collectors.joining(", "));
    }

    /**
     * The signature base string (RFC 5849 §3.4.1): {@code METHOD&enc(base URI)&enc(normalized
     * parameters)}, where the parameters are {@code uri}'s query plus {@code params} (body and
     * protocol parameters, without {@code oauth_signature} and {@code realm}).
     */
    public static String baseString(String method, URI uri, List<Param> params) {
        List<Param> all = new ArrayList<>(query(uri));
        for (Param p : params) {
            if (!p.name().equals("oauth_signature") && !p.name().equals("realm")) all.add(p);
        }
        String normalized = all.stream()
                .map(p -> new Param(percentEncode(p.name()), percentEncode(p.value())))
                .sorted(Comparator.comparing(Param::name).thenComparing(Param::value))
                .map(p -> p.name() + "=" + p.value())
                .collect(Collectors.joining("&"));
        return method.toUpperCase(Locale.ROOT) + "&" + percentEncode(baseUri(uri)) + "&" + percentEncode(normalized);
    }

    /** HMAC-SHA1 over the base string, keyed {@code enc(consumer secret)&enc(token secret)}, base64. */
    public static String sign(String baseString, String consumerSecret, String tokenSecret) {
        String key = percentEncode(consumerSecret) + "&" + percentEncode(tokenSecret);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available in this JVM", e);
        }
    }

    /**
     * RFC 3986 percent-encoding as RFC 5849 §3.6 requires: everything but {@code A-Z a-z 0-9 - . _ ~}
     * encoded as UTF-8 bytes with upper-case hex (so a space is {@code %20}, never {@code +}).
     */
    public static String percentEncode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Scheme and host in lower case, the port only when it is not the scheme's default, the path. */
    static String baseUri(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
    }

    /** The query's parameters, decoded as a form (so {@code +} is a space, RFC 5849 §3.4.1.3.1). */
    static List<Param> query(URI uri) {
        String raw = uri.getRawQuery();
        List<Param> out = new ArrayList<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            String[] kv = pair.split("=", 2);
            out.add(new Param(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : ""));
        }
        return out;
    }
}
