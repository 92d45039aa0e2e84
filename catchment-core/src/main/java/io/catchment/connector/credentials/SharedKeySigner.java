package io.catchment.connector.credentials;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Azure Storage "Shared Key" authorization for the Blob service (version 2009-09-19 and later):
 * {@code Authorization: SharedKey <account>:<base64 HMAC-SHA256 of the string to sign>}, keyed
 * with the base64-decoded account key.
 *
 * <p>String to sign: the verb, then the values of Content-Encoding, Content-Language,
 * Content-Length (empty when 0), Content-MD5, Content-Type, Date, If-Modified-Since, If-Match,
 * If-None-Match, If-Unmodified-Since and Range, each followed by a newline (empty when absent);
 * then the canonicalized headers (every {@code x-ms-} header, lower-cased, sorted, value trimmed,
 * {@code name:value\n}); then the canonicalized resource: {@code /account} and the encoded URI
 * path, then for each query parameter (name lower-cased, sorted) {@code \nname:value}, values
 * URL-decoded and, when a name repeats, sorted and joined with commas.
 *
 * <p>Instances never show the key.
 */
public final class SharedKeySigner {
    private static final List<String> STANDARD = List.of("content-encoding", "content-language", "content-length",
            "content-md5", "content-type", "date", "if-modified-since", "if-match", "if-none-match",
            "if-unmodified-since", "range");

    private final String account;
    private final byte[] key;

    /**
     * @param base64Key the storage account key as the portal shows it
     * @throws IllegalArgumentException when the key is not base64 or is empty
     */
    public SharedKeySigner(String account, String base64Key) {
        this.account = Objects.requireNonNull(account, "account");
        this.key = Base64.getDecoder().decode(Objects.requireNonNull(base64Key, "base64Key"));
        if (key.length == 0) {
            throw new IllegalArgumentException("the account key is empty");
        }
    }

    /** The {@code Authorization} header value for a request with these headers. */
    public String authorization(String method, URI uri, Map<String, String> headers) {
        return "SharedKey " + account + ":" + signature(stringToSign(method, account, uri, headers));
    }

    /** The base64 HMAC-SHA256 of {@code stringToSign} under this account's key. */
    public String signature(String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The string to sign for a request; header names in any case. */
    public static String stringToSign(String method, String account, URI uri, Map<String, String> headers) {
        TreeMap<String, String> lower = new TreeMap<>();
        headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
        StringBuilder sb = new StringBuilder(method.toUpperCase(Locale.ROOT)).append('\n');
        for (String name : STANDARD) {
            String value = lower.getOrDefault(name, "");
            if (name.equals("content-length") && value.strip().equals("0")) {
                value = ""; // since version 2015-02-21, a zero length is signed as empty
            }
            sb.append(value).append('\n');
        }
        lower.forEach((name, value) -> {
            if (name.startsWith("x-ms-")) {
                sb.append(name).append(':').append(value.strip().replaceAll("\\s*\\R\\s*", " ")).append('\n');
            }
        });
        sb.append(canonicalizedResource(account, uri));
        return sb.toString();
    }

    static String canonicalizedResource(String account, URI uri) {
        String path = uri.getRawPath();
        StringBuilder sb = new StringBuilder("/").append(account).append(path == null || path.isEmpty() ? "/" : path);
        TreeMap<String, List<String>> params = new TreeMap<>();
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String part : query.split("&")) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String name = decode(eq < 0 ? part : part.substring(0, eq)).toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : decode(part.substring(eq + 1));
                params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        params.forEach((name, values) -> {
            List<String> sorted = new ArrayList<>(values);
            sorted.sort(null);
            sb.append('\n').append(name).append(':').append(String.join(",", sorted));
        });
        return sb.toString();
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "SharedKeySigner[" + account + "]";
    }
}
