package io.catchment.testing.sources;

import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.net.URLConnection;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An S3-compatible endpoint (Amazon S3 or DigitalOcean Spaces) with one access key, holding
 * buckets of objects, addressed path-style:
 * <ul>
 *   <li>ListBuckets ({@code GET /}): {@code ListAllMyBucketsResult} XML, buckets in the order they
 *       were added;
 *   <li>ListObjectsV2 ({@code GET /{bucket}?list-type=2}): {@code ListBucketResult} with
 *       {@code max-keys} (at most 1000), {@code continuation-token} / {@code NextContinuationToken}
 *       (opaque base64 tokens; an unknown one is 400 {@code InvalidArgument}),
 *       {@code start-after}, {@code prefix}, {@code delimiter} ({@code CommonPrefixes}) and
 *       {@code encoding-type=url} (keys URL-encoded, space as {@code +}); keys in UTF-8 binary
 *       order;
 *   <li>GetBucketLocation ({@code GET /{bucket}?location});
 *   <li>GetObject ({@code GET /{bucket}/{key}}, key segments percent-encoded): the bytes with
 *       {@code ETag} (the quoted MD5 hex), {@code Last-Modified} and {@code Content-Type};
 *       404 {@code NoSuchKey} / {@code NoSuchBucket}.
 * </ul>
 * A bucket may live in another region than the endpoint's ({@link #addBucket(String, String)}):
 * a request for it signed for any other region gets 301 {@code PermanentRedirect} with the
 * {@code x-amz-bucket-region} header (and no {@code Location}), as S3's global endpoint answers;
 * signed for its own region, it is served (the fake has one address for every region).
 *
 * <p>Every request must carry an AWS Signature Version 4 {@code Authorization} header, which the
 * fake checks as S3 does, with its own implementation of the algorithm and the secret it was
 * given:
 * <ul>
 *   <li>no {@code Authorization}: 403 {@code AccessDenied} (nothing here is anonymous);
 *   <li>an unknown access key id: 403 {@code InvalidAccessKeyId};
 *   <li>no {@code x-amz-content-sha256}: 400 {@code InvalidRequest};
 *   <li>{@code x-amz-date} more than 15 minutes from the fake's clock: 403
 *       {@code RequestTimeTooSkewed};
 *   <li>a credential scope for another region (ListBuckets) or service: 400
 *       {@code AuthorizationHeaderMalformed};
 *   <li>a signature that does not match (recomputed from the request as received): 403
 *       {@code SignatureDoesNotMatch}, with the {@code StringToSign} and
 *       {@code CanonicalRequest} S3 reports;
 *   <li>a key without the ListAllMyBuckets permission ({@link #denyListBuckets()}) or without
 *       access to a bucket ({@link #denyBucket}): 403 {@code AccessDenied}.
 * </ul>
 * Errors are S3's XML {@code <Error><Code/><Message/>...<RequestId/><HostId/></Error>}. S3 has no
 * change feed, so mutations only change what listings and downloads show. Object content is
 * served as UTF-8 text (the fake server sends text bodies), so byte contents must be valid UTF-8.
 */
public final class FakeS3 extends FakeHttpApi {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final HexFormat HEX = HexFormat.of();
    private static final int MAX_KEYS = 1000;
    private static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";

    /** S3's order: keys compared as UTF-8 bytes, which is code point order. */
    static final Comparator<String> UTF8_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private final String accessKey;
    private final String secretKey;
    private final String region;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>();
    private final Map<String, Resume> continuationTokens = new ConcurrentHashMap<>();
    private final java.util.Set<String> deniedBuckets = ConcurrentHashMap.newKeySet();
    private volatile boolean listBucketsAllowed = true;

    private record Bucket(String name, String region, Instant created, NavigableMap<String, S3Object> objects) {
    }

    private record S3Object(String key, byte[] content, String etag, Instant lastModified, String contentType) {
    }

    /** Where a continuation token resumes: after {@code after}; past every key under it when it was a common prefix. */
    private record Resume(String bucket, String after, boolean commonPrefix) {
    }

    /** @param region the region requests must be signed for ({@code us-east-1} for s3.amazonaws.com) */
    public FakeS3(String accessKey, String secretKey, String region, Clock clock) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.region = region;
        this.clock = clock;
        get("/", this::listBuckets);
        prefix("GET", "/", this::bucketOrObject);
    }

    /** Adds empty buckets in the endpoint's region (existing ones are kept). */
    public FakeS3 withBuckets(String... names) {
        for (String name : names) {
            addBucket(name, region);
        }
        return this;
    }

    /** Adds an empty bucket in the endpoint's region (an existing one is kept). */
    public FakeS3 addBucket(String name) {
        return addBucket(name, region);
    }

    /** Adds an empty bucket in {@code bucketRegion}: requests for it must be signed for that region. */
    public synchronized FakeS3 addBucket(String name, String bucketRegion) {
        buckets.computeIfAbsent(name, n -> new Bucket(n, bucketRegion, clock.instant().truncatedTo(ChronoUnit.MILLIS),
                new ConcurrentSkipListMap<>(UTF8_ORDER)));
        return this;
    }

    /** Removes a bucket and everything in it. */
    public synchronized void deleteBucket(String name) {
        buckets.remove(name);
    }

    /** From now on the key authenticates but may not list buckets. */
    public void denyListBuckets() {
        listBucketsAllowed = false;
    }

    /** From now on every request about this bucket (listing, objects) is 403 {@code AccessDenied}. */
    public void denyBucket(String name) {
        deniedBuckets.add(bucket(name).name());
    }

    /** Adds or replaces an object, typed by its extension; returns its ETag (MD5 hex, without quotes). */
    public String putObject(String bucket, String key, String content) {
        return putObject(bucket, key, content.getBytes(StandardCharsets.UTF_8), guessType(key));
    }

    /** Adds or replaces an object; returns its ETag (MD5 hex, without quotes). */
    public String putObject(String bucket, String key, byte[] content, String contentType) {
        requireUtf8(content);
        String etag = HEX.formatHex(md5(content));
        bucket(bucket).objects().put(key, new S3Object(key, content.clone(), etag,
                clock.instant().truncatedTo(ChronoUnit.MILLIS), contentType));
        return etag;
    }

    /** A "folder" as the S3 console makes one: an empty object whose key ends in {@code /}. */
    public void addFolder(String bucket, String prefix) {
        String key = prefix.endsWith("/") ? prefix : prefix + "/";
        putObject(bucket, key, new byte[0], "application/x-directory");
    }

    /**
     * Adds {@code count} small text objects {@code <namePrefix><i>.txt} under {@code parent}, which is
     * a bucket name or {@code bucket/some/prefix/}; returns their keys.
     */
    public List<String> addFiles(String parent, int count, String namePrefix) {
        int slash = parent.indexOf('/');
        String bucketName = slash < 0 ? parent : parent.substring(0, slash);
        String prefix = slash < 0 ? "" : parent.substring(slash + 1);
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix += "/";
        }
        Bucket bucket = bucket(bucketName);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<String> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String key = prefix + namePrefix + i + ".txt";
            byte[] content = (namePrefix + " number " + i + "\n").getBytes(StandardCharsets.UTF_8);
            bucket.objects().put(key, new S3Object(key, content, HEX.formatHex(md5(content)), now, "text/plain"));
            keys.add(key);
        }
        return keys;
    }

    /** Replaces an existing object's content (new ETag and Last-Modified); returns the new ETag. */
    public String editObject(String bucket, String key, String content) {
        S3Object old = object(bucket, key);
        return putObject(bucket, key, content.getBytes(StandardCharsets.UTF_8), old.contentType());
    }

    /**
     * S3 has no rename: this copies the object to {@code toKey} (same content and ETag, a new
     * Last-Modified) and deletes the original. A move to another "folder" is the same call.
     */
    public void renameObject(String bucket, String fromKey, String toKey) {
        S3Object old = object(bucket, fromKey);
        Bucket b = bucket(bucket);
        b.objects().put(toKey, new S3Object(toKey, old.content(), old.etag(),
                clock.instant().truncatedTo(ChronoUnit.MILLIS), old.contentType()));
        b.objects().remove(fromKey);
    }

    public void deleteObject(String bucket, String key) {
        if (bucket(bucket).objects().remove(key) == null) {
            throw new IllegalArgumentException("no object " + key + " in " + bucket);
        }
    }

    public Optional<byte[]> content(String bucket, String key) {
        return Optional.ofNullable(bucket(bucket).objects().get(key)).map(o -> o.content().clone());
    }

    /** The object's ETag (MD5 hex, without quotes). */
    public Optional<String> etag(String bucket, String key) {
        return Optional.ofNullable(bucket(bucket).objects().get(key)).map(S3Object::etag);
    }

    public int objectCount(String bucket) {
        return bucket(bucket).objects().size();
    }

    /** Every continuation token handed out so far is refused from now on (400 {@code InvalidArgument}). */
    public void expireContinuationTokens() {
        continuationTokens.clear();
    }

    private synchronized Bucket bucket(String name) {
        Bucket bucket = buckets.get(name);
        if (bucket == null) {
            throw new IllegalArgumentException("no bucket " + name);
        }
        return bucket;
    }

    private synchronized Optional<Bucket> findBucket(String name) {
        return Optional.ofNullable(buckets.get(name));
    }

    private S3Object object(String bucket, String key) {
        S3Object object = bucket(bucket).objects().get(key);
        if (object == null) {
            throw new IllegalArgumentException("no object " + key + " in " + bucket);
        }
        return object;
    }

    private Reply listBuckets(RecordedRequest request) {
        Optional<Reply> refusal = authenticate(request, region);
        if (refusal.isPresent()) {
            return refusal.get();
        }
        if (!listBucketsAllowed) {
            return error(403, "AccessDenied", "Access Denied", Map.of());
        }
        List<Bucket> all;
        synchronized (this) {
            all = List.copyOf(buckets.values());
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<ListAllMyBucketsResult xmlns=\"").append(NS).append("\">")
                .append("<Owner><ID>").append(ownerId()).append("</ID><DisplayName>catchment-tests</DisplayName></Owner>")
                .append("<Buckets>");
        for (Bucket bucket : all) {
            xml.append("<Bucket><Name>").append(escape(bucket.name())).append("</Name>")
                    .append("<CreationDate>").append(ISO_MILLIS.format(bucket.created())).append("</CreationDate></Bucket>");
        }
        xml.append("</Buckets></ListAllMyBucketsResult>");
        return xml(200, xml.toString());
    }

    /** The canonical user id S3 reports for the owner: a stable 64-hex-digit value per access key. */
    public String ownerId() {
        return sha256Hex("owner:" + accessKey);
    }

    private Reply bucketOrObject(RecordedRequest request) {
        String path = request.path().substring(1);
        int slash = path.indexOf('/');
        String bucketName = percentDecode(slash < 0 ? path : path.substring(0, slash));
        String key = slash < 0 ? "" : percentDecode(path.substring(slash + 1));
        Map<String, List<String>> query = query(request.query().orElse(""));
        Optional<Bucket> found = findBucket(bucketName);
        if (query.containsKey("location") && key.isEmpty()) {
            // GetBucketLocation works from any region, signed for the endpoint's.
            Optional<Reply> refusal = authenticate(request, region);
            if (refusal.isPresent()) {
                return refusal.get();
            }
            if (found.isEmpty()) {
                return noSuchBucket(bucketName);
            }
            String where = found.get().region().equals("us-east-1") ? "" : escape(found.get().region());
            return xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"" + NS + "\">"
                    + where + "</LocationConstraint>");
        }
        if (found.isEmpty()) {
            Optional<Reply> refusal = authenticate(request, region);
            return refusal.orElseGet(() -> noSuchBucket(bucketName));
        }
        Bucket bucket = found.get();
        String signedRegion = signedRegion(request);
        if (signedRegion != null && !signedRegion.equals(bucket.region())) {
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("Endpoint", "s3." + bucket.region() + ".amazonaws.com");
            extra.put("Bucket", bucketName);
            return error(301, "PermanentRedirect", "The bucket you are attempting to access must be addressed using"
                    + " the specified endpoint. Please send all future requests to this endpoint.", extra)
                    .withHeader("x-amz-bucket-region", bucket.region());
        }
        Optional<Reply> refusal = authenticate(request, bucket.region());
        if (refusal.isPresent()) {
            return refusal.get();
        }
        if (deniedBuckets.contains(bucket.name())) {
            return error(403, "AccessDenied", "Access Denied", Map.of());
        }
        if (key.isEmpty()) {
            return listObjects(bucket, query);
        }
        S3Object object = bucket.objects().get(key);
        if (object == null) {
            return error(404, "NoSuchKey", "The specified key does not exist.", Map.of("Key", key));
        }
        return new Reply(200, Map.of("Content-Type", object.contentType(), "ETag", "\"" + object.etag() + "\"",
                "Last-Modified", RFC_1123.format(object.lastModified()), "Accept-Ranges", "bytes",
                "Server", "AmazonS3", "x-amz-request-id", requestId()),
                new String(object.content(), StandardCharsets.UTF_8));
    }

    private Reply listObjects(Bucket bucket, Map<String, List<String>> query) {
        String listType = first(query, "list-type");
        if (!listType.equals("2")) {
            return error(400, "InvalidArgument", "This fake implements ListObjectsV2 (list-type=2) only",
                    Map.of("ArgumentName", "list-type", "ArgumentValue", listType));
        }
        int maxKeys = MAX_KEYS;
        if (query.containsKey("max-keys")) {
            try {
                maxKeys = Math.min(MAX_KEYS, Integer.parseInt(first(query, "max-keys")));
            } catch (NumberFormatException e) {
                maxKeys = -1;
            }
            if (maxKeys < 0) {
                return error(400, "InvalidArgument", "Provided max-keys not an integer or within integer range",
                        Map.of("ArgumentName", "max-keys", "ArgumentValue", first(query, "max-keys")));
            }
        }
        String encodingType = first(query, "encoding-type");
        if (!encodingType.isEmpty() && !encodingType.equals("url")) {
            return error(400, "InvalidArgument", "Invalid Encoding Method specified in Request",
                    Map.of("ArgumentName", "encoding-type", "ArgumentValue", encodingType));
        }
        boolean encode = encodingType.equals("url");
        String prefix = first(query, "prefix");
        String delimiter = first(query, "delimiter");
        String startAfter = first(query, "start-after");
        String token = first(query, "continuation-token");
        Resume resume = null;
        if (query.containsKey("continuation-token")) {
            resume = continuationTokens.get(token);
            if (resume == null || !resume.bucket().equals(bucket.name())) {
                return error(400, "InvalidArgument", "The continuation token provided is incorrect",
                        Map.of("ArgumentName", "continuation-token", "ArgumentValue", token));
            }
        }
        NavigableMap<String, S3Object> view = bucket.objects();
        String after = resume != null ? resume.after() : startAfter;
        if (!after.isEmpty() && UTF8_ORDER.compare(after, prefix) >= 0) {
            view = view.tailMap(after, false);
        } else if (!prefix.isEmpty()) {
            view = view.tailMap(prefix, true);
        }
        List<S3Object> contents = new ArrayList<>();
        List<String> commonPrefixes = new ArrayList<>();
        String skipUnder = resume != null && resume.commonPrefix() ? resume.after() : null;
        String last = null;
        boolean lastWasPrefix = false;
        boolean truncated = false;
        for (S3Object object : view.values()) {
            String key = object.key();
            if (!key.startsWith(prefix)) {
                break;
            }
            if (skipUnder != null && key.startsWith(skipUnder)) {
                continue;
            }
            String common = null;
            if (!delimiter.isEmpty()) {
                int at = key.indexOf(delimiter, prefix.length());
                if (at >= 0) {
                    common = key.substring(0, at + delimiter.length());
                }
            }
            if (common != null && lastWasPrefix && common.equals(last)) {
                continue;
            }
            if (contents.size() + commonPrefixes.size() >= maxKeys) {
                truncated = true;
                break;
            }
            if (common != null) {
                commonPrefixes.add(common);
                last = common;
                lastWasPrefix = true;
                skipUnder = common;
            } else {
                contents.add(object);
                last = key;
                lastWasPrefix = false;
            }
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<ListBucketResult xmlns=\"").append(NS).append("\">")
                .append("<Name>").append(escape(bucket.name())).append("</Name>")
                .append("<Prefix>").append(field(prefix, encode)).append("</Prefix>");
        if (!delimiter.isEmpty()) {
            xml.append("<Delimiter>").append(field(delimiter, encode)).append("</Delimiter>");
        }
        if (!startAfter.isEmpty()) {
            xml.append("<StartAfter>").append(field(startAfter, encode)).append("</StartAfter>");
        }
        xml.append("<KeyCount>").append(contents.size() + commonPrefixes.size()).append("</KeyCount>")
                .append("<MaxKeys>").append(maxKeys).append("</MaxKeys>");
        if (encode) {
            xml.append("<EncodingType>url</EncodingType>");
        }
        xml.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
        if (resume != null) {
            xml.append("<ContinuationToken>").append(escape(token)).append("</ContinuationToken>");
        }
        if (truncated) {
            String next = Base64.getEncoder().encodeToString(randomBytes(48));
            continuationTokens.put(next, last == null ? new Resume(bucket.name(), after, resume != null && resume.commonPrefix())
                    : new Resume(bucket.name(), last, lastWasPrefix));
            xml.append("<NextContinuationToken>").append(escape(next)).append("</NextContinuationToken>");
        }
        for (S3Object object : contents) {
            xml.append("<Contents><Key>").append(field(object.key(), encode)).append("</Key>")
                    .append("<LastModified>").append(ISO_MILLIS.format(object.lastModified())).append("</LastModified>")
                    .append("<ETag>").append(escape("\"" + object.etag() + "\"")).append("</ETag>")
                    .append("<ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType>")
                    .append("<Size>").append(object.content().length).append("</Size>")
                    .append("<StorageClass>STANDARD</StorageClass></Contents>");
        }
        for (String common : commonPrefixes) {
            xml.append("<CommonPrefixes><Prefix>").append(field(common, encode)).append("</Prefix></CommonPrefixes>");
        }
        xml.append("</ListBucketResult>");
        return xml(200, xml.toString());
    }

    /** A value as S3 writes it into a listing: URL-encoded (space as {@code +}) with {@code encoding-type=url}. */
    private static String field(String value, boolean encode) {
        return encode ? URLEncoder.encode(value, StandardCharsets.UTF_8) : escape(value);
    }

    private static Reply noSuchBucket(String name) {
        return error(404, "NoSuchBucket", "The specified bucket does not exist", Map.of("BucketName", name));
    }

    /** The region of the request's credential scope, or null when there is none to read. */
    private static String signedRegion(RecordedRequest request) {
        String auth = request.header("authorization").orElse("");
        int at = auth.indexOf("Credential=");
        if (at < 0) {
            return null;
        }
        int end = auth.indexOf(',', at);
        String[] scope = auth.substring(at + "Credential=".length(), end < 0 ? auth.length() : end).strip().split("/");
        return scope.length == 5 ? scope[2] : null;
    }

    private Optional<Reply> authenticate(RecordedRequest request, String expectedRegion) {
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
        if (!scope[2].equals(expectedRegion)) {
            return Optional.of(error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; the"
                    + " region '" + scope[2] + "' is wrong; expecting '" + expectedRegion + "'",
                    Map.of("Region", expectedRegion)));
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

    private static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> params = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = percentDecode(eq < 0 ? "" : pair.substring(eq + 1));
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? "" : values.getFirst();
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
                .append(Base64.getEncoder().encodeToString(randomBytes(48))).append("</HostId></Error>");
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

    /** What an upload tool would set from the extension; S3's own default otherwise. */
    static String guessType(String name) {
        String type = URLConnection.guessContentTypeFromName(name.toLowerCase(Locale.ROOT));
        if (type == null && name.toLowerCase(Locale.ROOT).endsWith(".md")) {
            type = "text/markdown";
        }
        return type == null ? "binary/octet-stream" : type;
    }

    /** The fake server sends text bodies; bytes that are not UTF-8 would not come back as they went in. */
    static void requireUtf8(byte[] content) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the fake serves content as UTF-8 text; these bytes are not UTF-8");
        }
    }

    private static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
