package io.catchment.connector.credentials;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for requests sent with the signature in the {@code Authorization}
 * header (the form S3 and S3-compatible services such as DigitalOcean Spaces accept).
 *
 * <p>Canonical request: method, canonical URI (each path segment percent-encoded with only
 * {@code A-Z a-z 0-9 - _ . ~} left bare; encoded once for {@code s3}, twice for other services),
 * canonical query (names and values encoded the same way, {@code /} included, sorted by name then
 * value), canonical headers (lower-case names, values trimmed with inner runs of spaces collapsed,
 * sorted), the signed header names, and the hex SHA-256 of the payload. String to sign:
 * {@code AWS4-HMAC-SHA256}, the {@code x-amz-date}, the scope
 * {@code yyyyMMdd/region/service/aws4_request} and the hex SHA-256 of the canonical request. The
 * key is {@code HMAC("AWS4" + secret, date)} chained through region, service and
 * {@code aws4_request}.
 *
 * <p>{@code host} and {@code x-amz-date} are always signed; for {@code s3} so is
 * {@code x-amz-content-sha256}, which S3 requires. Paths are not normalised (S3 does not).
 * Instances are immutable and never show the secret.
 */
public final class SigV4 {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** The SHA-256 of an empty payload, for GET requests. */
    public static final String EMPTY_PAYLOAD_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private final String accessKeyId;
    private final String secretAccessKey;
    private final String region;
    private final String service;

    public SigV4(String accessKeyId, String secretAccessKey, String region, String service) {
        this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
        this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        this.region = Objects.requireNonNull(region, "region");
        this.service = Objects.requireNonNull(service, "service");
    }

    /**
     * Every intermediate of one signature.
     *
     * @param headers what to send: the given headers plus {@code x-amz-date},
     *                {@code x-amz-content-sha256} (s3) and {@code Authorization}; not
     *                {@code Host}, which the HTTP client derives from the URI exactly as signed
     */
    public record Signed(String canonicalRequest, String stringToSign, String signingKeyHex, String signature,
                         String authorization, Map<String, String> headers) {
        @Override
        public String toString() {
            // The signing key is as good as the secret for a day; keep it out of logs.
            return "Signed[authorization=" + authorization + "]";
        }
    }

    /**
     * Signs a request.
     *
     * @param headers       further headers to sign and send (names in any case)
     * @param payloadSha256 hex SHA-256 of the body ({@link #EMPTY_PAYLOAD_SHA256} for none)
     */
    public Signed sign(String method, URI uri, Map<String, String> headers, String payloadSha256, Instant time) {
        String amzDate = AMZ_DATE.format(time);
        String date = amzDate.substring(0, 8);
        Map<String, String> toSend = new LinkedHashMap<>(headers);
        toSend.put("x-amz-date", amzDate);
        if (service.equals("s3")) {
            toSend.put("x-amz-content-sha256", payloadSha256);
        }
        TreeMap<String, String> canonicalHeaders = new TreeMap<>();
        toSend.forEach((name, value) -> canonicalHeaders.put(name.toLowerCase(Locale.ROOT), headerValue(value)));
        canonicalHeaders.put("host", hostHeader(uri));
        StringBuilder headerBlock = new StringBuilder();
        canonicalHeaders.forEach((name, value) -> headerBlock.append(name).append(':').append(value).append('\n'));
        String signedHeaders = String.join(";", canonicalHeaders.keySet());

        String canonicalRequest = method.toUpperCase(Locale.ROOT) + '\n'
                + canonicalUri(uri, service.equals("s3")) + '\n'
                + canonicalQuery(uri.getRawQuery()) + '\n'
                + headerBlock + '\n'
                + signedHeaders + '\n'
                + payloadSha256;
        String scope = date + '/' + region + '/' + service + "/aws4_request";
        String stringToSign = ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + sha256Hex(canonicalRequest);
        byte[] key = signingKey(date);
        String signature = HEX.formatHex(hmac(key, stringToSign));
        String authorization = ALGORITHM + " Credential=" + accessKeyId + '/' + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature;
        toSend.put("Authorization", authorization);
        return new Signed(canonicalRequest, stringToSign, HEX.formatHex(key), signature, authorization,
                Collections.unmodifiableMap(toSend));
    }

    private byte[] signingKey(String date) {
        byte[] kDate = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
        byte[] kRegion = hmac(kDate, region);
        byte[] kService = hmac(kRegion, service);
        return hmac(kService, "aws4_request");
    }

    /** {@code host[:port]} as the JDK client sends it: the port only when it is not the scheme's default. */
    static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean secure = "https".equalsIgnoreCase(uri.getScheme());
        boolean defaultPort = port == -1 || (secure ? port == 443 : port == 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    static String canonicalUri(URI uri, boolean encodeOnce) {
        String raw = uri.getRawPath();
        if (raw == null || raw.isEmpty()) {
            return "/";
        }
        String[] segments = raw.split("/", -1);
        List<String> out = new ArrayList<>(segments.length);
        for (String segment : segments) {
            String once = encode(percentDecode(segment), false);
            out.add(encodeOnce ? once : encode(once, false));
        }
        return String.join("/", out);
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            pairs.add(new String[] {encode(percentDecode(name), true), encode(percentDecode(value), true)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder sb = new StringBuilder();
        for (String[] pair : pairs) {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(pair[0]).append('=').append(pair[1]);
        }
        return sb.toString();
    }

    /** Trimmed, with every run of spaces inside collapsed to one (AWS's "Trimall"). */
    private static String headerValue(String value) {
        return value.strip().replaceAll("\\s+", " ");
    }

    /** AWS's UriEncode: UTF-8 bytes, unreserved characters bare, {@code /} bare only in paths. */
    static String encode(String text, boolean encodeSlash) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~';
            if (unreserved || (c == '/' && !encodeSlash)) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** Decodes {@code %XX} escapes as UTF-8 (and nothing else: {@code +} stays a plus). */
    static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && Character.digit(text.charAt(i + 1), 16) >= 0
                    && Character.digit(text.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 2;
                continue;
            }
            if (bytes.size() > 0) {
                out.append(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
            }
            out.append(c);
        }
        if (bytes.size() > 0) {
            out.append(bytes.toString(StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    static String sha256Hex(String text) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "SigV4[" + accessKeyId + ", " + region + ", " + service + "]";
    }
}
