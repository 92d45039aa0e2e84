package io.catchment.testing.sources;

import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An S3-compatible endpoint (Amazon S3 or DigitalOcean Spaces) with one access key: ListBuckets
 * ({@code GET /}) answers {@code ListAllMyBucketsResult} XML. Every request must carry an AWS
 * Signature Version 4 {@code Authorization} header, which the fake checks as S3 does, with its
 * own implementation of the algorithm and the secret it was given:
 * <ul>
 *   <li>no {@code Authorization}: 403 {@code AccessDenied} (ListBuckets is never anonymous);
 *   <li>an unknown access key id: 403 {@code InvalidAccessKeyId};
 *   <li>no {@code x-amz-content-sha256}: 400 {@code InvalidRequest};
 *   <li>{@code x-amz-date} more than 15 minutes from the fake's clock: 403
 *       {@code RequestTimeTooSkewed};
 *   <li>a credential scope for another region or service: 400
 *       {@code AuthorizationHeaderMalformed};
 *   <li>a signature that does not match (recomputed from the request as received): 403
 *       {@code SignatureDoesNotMatch}, with the {@code StringToSign} and
 *       {@code CanonicalRequest} S3 reports;
 *   <li>a key without the ListAllMyBuckets permission ({@link #denyListBuckets()}): 403
 *       {@code AccessDenied}.
 * </ul>
 * Errors are S3's XML {@code <Error><Code/><Message/>...<RequestId/><HostId/></Error>}.
 */
public final class FakeS3 extends FakeHttpApi {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final HexFormat HEX = HexFormat.of();

    private final String accessKey;
    private final String secretKey;
    private final String region;
    private final Clock clock;
    private final List<String> buckets = new CopyOnWriteArrayList<>();
    private volatile boolean listBucketsAllowed = true;

    /** @param region the region requests must be signed for ({@code us-east-1} for s3.amazonaws.com) */
    public FakeS3(String accessKey, String secretKey, String region, Clock clock) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.region = region;
        this.clock = clock;
        get("/", this::listBuckets);
    }

    public FakeS3 withBuckets(String... names) {
        buckets.addAll(List.of(names));
        return this;
    }

    /** From now on the key authenticates but may not list buckets. */
    public void denyListBuckets() {
        listBucketsAllowed = false;
    }

    private Reply listBuckets(RecordedRequest request) {
        Optional<Reply> refusal = authenticate(request);
        if (refusal.isPresent()) {
            return refusal.get();
        }
        if (!listBucketsAllowed) {
            return error(403, "AccessDenied", "Access Denied", Map.of());
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
                .append("<Owner><ID>").append(ownerId()).append("</ID><DisplayName>catchment-tests</DisplayName></Owner>")
                .append("<Buckets>");
        for (String bucket : buckets) {
            xml.append("<Bucket><Name>").append(escape(bucket)).append("</Name>")
                    .append("<CreationDate>2025-06-23T18:37:48.000Z</CreationDate></Bucket>");
        }
        xml.append("</Buckets></ListAllMyBucketsResult>");
        return xml(200, xml.toString());
    }

    /** The canonical user id S3 reports for the owner: a stable 64-hex-digit value per access key. */
    public String ownerId() {
        return sha256Hex("owner:" + accessKey);
    }

    private Optional<Reply> authenticate(RecordedRequest request) {
        Optional<String> header = request.header("authorization");
        if (header.isEmpty()) {
            return Optional.of(error(403, "AccessDenied", "Access Denied", Map.of()));
        }
        String auth = header.get();
        if (!auth.startsWith("AWS4-HMAC-SHA256 ")) {
            return Optional.of(error(400, "InvalidArgument", "Unsupported Authorization Type",
                    Map.of("ArgumentName", "Authorization", "ArgumentValue", "[redacted]")));
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : auth.substring("AWS4-HMAC-SHA256 ".length()).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        String credential = parts.getOrDefault("Credential", "");
        String[] scope = credential.split("/");
        if (scope.length != 5 || !parts.containsKey("SignedHeaders") || !parts.containsKey("Signature")) {
            return Optional.of(error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed;"
                    + " the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".",
                    Map.of()));
        }
        if (!scope[0].equals(accessKey)) {
            return Optional.of(error(403, "InvalidAccessKeyId",
                    "The AWS Access Key Id you provided does not exist in our records.", Map.of("AWSAccessKeyId", scope[0])));
        }
        Optional<String> payloadHash = request.header("x-amz-content-sha256");
        if (payloadHash.isEmpty()) {
            return Optional.of(error(400, "InvalidRequest",
                    "Missing required header for this request: x-amz-content-sha256", Map.of()));
        }
        Optional<String> amzDate = request.header("x-amz-date");
        Instant requestTime;
        try {
            requestTime = LocalDateTime.parse(amzDate.orElse(""), AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return Optional.of(error(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header",
                    Map.of()));
        }
        Instant now = clock.instant();
        if (Duration.between(requestTime, now).abs().compareTo(MAX_SKEW) > 0) {
            return Optional.of(error(403, "RequestTimeTooSkewed",
                    "The difference between the request time and the current time is too large.",
                    Map.of("RequestTime", amzDate.get(), "ServerTime", now.toString(),
                            "MaxAllowedSkewMilliseconds", String.valueOf(MAX_SKEW.toMillis()))));
        }
        if (!scope[2].equals(region)) {
            return Optional.of(error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; the"
                    + " region '" + scope[2] + "' is wrong; expecting '" + region + "'", Map.of("Region", region)));
        }
        if (!scope[3].equals("s3") || !scope[4].equals("aws4_request")) {
            return Optional.of(error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed;"
                    + " incorrect service \"" + scope[3] + "\". This endpoint belongs to \"s3\".", Map.of()));
        }
        String hash = payloadHash.get();
        if (!hash.equals("UNSIGNED-PAYLOAD") && !hash.equals(HEX.formatHex(sha256(request.body())))) {
            return Optional.of(error(400, "XAmzContentSHA256Mismatch",
                    "The provided 'x-amz-content-sha256' header does not match what was computed.", Map.of()));
        }
        String signedHeaders = parts.get("SignedHeaders");
        List<String> names = List.of(signedHeaders.split(";"));
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : names) {
            Optional<String> value = request.header(name);
            if (value.isEmpty() || !names.contains("host") || !names.contains("x-amz-date")) {
                return Optional.of(signatureMismatch(request, scope[0], parts.get("Signature"), "", ""));
            }
            canonicalHeaders.append(name).append(':').append(value.get().strip().replaceAll("\\s+", " ")).append('\n');
        }
        String canonicalRequest = request.method() + '\n' + canonicalUri(request.path()) + '\n'
                + canonicalQuery(request.query().orElse("")) + '\n' + canonicalHeaders + '\n' + signedHeaders + '\n' + hash;
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate.get() + '\n' + scope[1] + '/' + scope[2] + '/' + scope[3]
                + "/aws4_request\n" + sha256Hex(canonicalRequest);
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), scope[1]);
        key = hmac(key, scope[2]);
        key = hmac(key, scope[3]);
        key = hmac(key, "aws4_request");
        String expected = HEX.formatHex(hmac(key, stringToSign));
        if (!scope[1].equals(amzDate.get().substring(0, 8)) || !expected.equals(parts.get("Signature"))) {
            return Optional.of(signatureMismatch(request, scope[0], parts.get("Signature"), stringToSign, canonicalRequest));
        }
        return Optional.empty();
    }

    private Reply signatureMismatch(RecordedRequest request, String keyId, String provided, String stringToSign,
                                    String canonicalRequest) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("AWSAccessKeyId", keyId);
        extra.put("StringToSign", stringToSign);
        extra.put("SignatureProvided", provided);
        extra.put("CanonicalRequest", canonicalRequest);
        return error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature"
                + " you provided. Check your key and signing method.", extra);
    }

    private static String canonicalUri(String rawPath) {
        if (rawPath.isEmpty()) {
            return "/";
        }
        List<String> out = new ArrayList<>();
        for (String segment : rawPath.split("/", -1)) {
            out.add(uriEncode(percentDecode(segment), false));
        }
        return String.join("/", out);
    }

    private static String canonicalQuery(String rawQuery) {
        TreeMap<String, List<String>> params = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = uriEncode(percentDecode(eq < 0 ? pair : pair.substring(0, eq)), true);
            String value = uriEncode(percentDecode(eq < 0 ? "" : pair.substring(eq + 1)), true);
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        List<String> out = new ArrayList<>();
        params.forEach((name, values) -> values.stream().sorted().forEach(v -> out.add(name + "=" + v)));
        return String.join("&", out);
    }

    private static String uriEncode(String text, boolean slash) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~".indexOf(c) >= 0
                    || (c == '/' && !slash)) {
                sb.append(c);
            } else {
                sb.append(String.format(Locale.ROOT, "%%%02X", b & 0xff));
            }
        }
        return sb.toString();
    }

    private static String percentDecode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && Character.digit(text.charAt(i + 1), 16) >= 0
                    && Character.digit(text.charAt(i + 2), 16) >= 0) {
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Reply error(int status, String code, String message, Map<String, String> extra) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>").append(code)
                .append("</Code><Message>").append(escape(message)).append("</Message>");
        extra.forEach((name, value) -> xml.append('<').append(name).append('>').append(escape(value))
                .append("</").append(name).append('>'));
        xml.append("<RequestId>").append(requestId()).append("</RequestId><HostId>")
                .append(java.util.Base64.getEncoder().encodeToString(randomBytes(48))).append("</HostId></Error>");
        return xml(status, xml.toString());
    }

    private static Reply xml(int status, String body) {
        return new Reply(status, Map.of("Content-Type", "application/xml", "Server", "AmazonS3",
                "x-amz-request-id", requestId()), body);
    }

    private static String requestId() {
        return HEX.formatHex(randomBytes(8)).toUpperCase(Locale.ROOT);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Hex(String text) {
        return HEX.formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return true; // S3 answers each kind of authentication failure differently; the route checks
    }

    @Override
    protected Reply unauthorized() {
        throw new IllegalStateException("not used");
    }
}
