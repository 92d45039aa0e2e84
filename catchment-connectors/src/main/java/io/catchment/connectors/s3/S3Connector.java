package io.catchment.connectors.s3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.connector.Checkpoint;
import io.catchment.connector.Connection;
import io.catchment.connector.Connector;
import io.catchment.connector.CrawlPage;
import io.catchment.connector.DataSourceType;
import io.catchment.connector.Fetched;
import io.catchment.connector.ItemFailure;
import io.catchment.connector.ItemTypes;
import io.catchment.connector.SourceItem;
import io.catchment.connector.credentials.CredentialVerifiers.Endpoints;
import io.catchment.datasource.DataSource;
import io.catchment.http.Authenticator;
import io.catchment.http.ProviderRequest;
import io.catchment.http.ProviderResponse;
import io.catchment.http.RateLimitSignal;
import io.catchment.http.RetryAfter;
import io.catchment.http.SyncFailure;
import io.catchment.ingest.FileFormat;
import io.catchment.json.Json;
import io.catchment.xml.SafeXml;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import io.catchment.connectors.objectstore.KeyFolders;
import io.catchment.connectors.objectstore.ObjectLocation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamException;

/**
 * Amazon S3 and S3-compatible stores (DigitalOcean Spaces), with the keys the connect step
 * stored, every request signed with AWS Signature Version 4 ({@link #keyAuthenticator}).
 *
 * <p>Crawl: ListBuckets ({@code GET /}), then each bucket flat with ListObjectsV2
 * ({@code GET /{bucket}?list-type=2&max-keys=1000&encoding-type=url}, following
 * {@code NextContinuationToken}), path-style so any S3-compatible endpoint works. Buckets are
 * items of type {@value #BUCKET} (external id: the bucket name); "folders" are synthesized from
 * key prefixes ({@code bucket/a/b/}, {@link ItemTypes#FOLDER}), including the empty
 * {@code a/} objects consoles create; objects are files with external id {@code bucket/key} and
 * the ETag as version. A bucket in another region is found from S3's answer (301
 * {@code PermanentRedirect} or 400 {@code AuthorizationHeaderMalformed}, both with the region)
 * and asked again at that region's endpoint, signed for it. S3 has no change feed: the engine
 * crawls again and compares versions.
 *
 * <p>Fetch: GetObject ({@code GET /{bucket}/{key}}, each key segment percent-encoded as SigV4
 * canonicalizes it).
 */
public final class S3Connector implements Connector {
    /** Carbon's item type for a bucket. */
    public static final String BUCKET = "BUCKET";
    /** ListObjectsV2's largest page. */
    static final int PAGE_SIZE = 1000;
    /**
     * Names the region a request is to be signed for (a bucket elsewhere than the data source's
     * region); {@link S3Signer} removes it, so it never reaches the provider.
     */
    static final String REGION_HEADER = "X-Catchment-S3-Signing-Region";

    private static final Pattern REGION = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,40}[a-z0-9])?");
    private static final String AWS_GLOBAL_HOST = "s3.amazonaws.com";
    private static final String AWS_DEFAULT_REGION = "us-east-1";
    private static final Set<String> KEY_REJECTED = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
            "InvalidToken", "ExpiredToken", "TokenRefreshRequired", "InvalidSecurity");
    private static final Duration SLOW_DOWN_WAIT = Duration.ofSeconds(1);

    private final Endpoints endpoints;
    private final Clock clock;

    /**
     * @param endpoints where Amazon S3 ({@code awsS3}, the us-east-1 endpoint; other regions are
     *     {@code s3.<region>.amazonaws.com} when it is the real one, the same endpoint otherwise)
     *     and DigitalOcean Spaces ({@code digitalOceanSpaces}, a template with {@code {region}})
     *     are; the same value the credential verifiers use
     */
    public S3Connector(Endpoints endpoints) {
        this(endpoints, Clock.systemUTC());
    }

    /** @param clock dates the signatures */
    public S3Connector(Endpoints endpoints, Clock clock) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public DataSourceType type() {
        return DataSourceType.S3;
    }

    /** Signs with the stored {@code access_key} and {@code access_key_secret}; never renews. */
    @Override
    public Optional<Authenticator> keyAuthenticator(DataSource dataSource, Map<String, String> secrets) {
        return Optional.of(new S3Signer(secrets.get("access_key"), secrets.get("access_key_secret"),
                place(dataSource).region(), clock));
    }

    /** S3 answers "slow down" with 503 {@code SlowDown}, usually without Retry-After. */
    @Override
    public RateLimitSignal rateLimits() {
        return (response, now) -> {
            if (response.status() == 503 && response.text().contains("<Code>SlowDown</Code>")) {
                return Optional.of(RetryAfter.of(response, now).orElse(SLOW_DOWN_WAIT));
            }
            return Optional.empty();
        };
    }

    /**
     * Where a crawl stands: the buckets still to list (the first is being listed), the region it
     * answered from (null: the data source's), and where its listing goes on (the continuation
     * token, or failing that the last key listed).
     */
    record Crawl(List<String> buckets, String region, String continuationToken, String lastKey) {
        Crawl {
            buckets = List.copyOf(buckets);
        }
    }

    @Override
    public CrawlPage crawl(Connection c, Optional<Checkpoint> from) throws SyncFailure {
        Place place = place(c.dataSource());
        if (from.isEmpty()) {
            return listBuckets(c, place);
        }
        return listObjects(c, place, from.get().as(Crawl.class), true);
    }

    @Override
    public Fetched fetch(Connection c, SourceItem item, Path target) throws SyncFailure, ItemFailure {
        Place place = place(c.dataSource());
        ObjectLocation at = ObjectLocation.of(item, "bucket", "key", "an S3 object");
        String bucket = at.container();
        String key = at.key();
        String region = item.metadata().path("region").asText("");
        String b = bucket;
        String k = key;
        Sent sent = sendForBucket(c, place, region.isEmpty() ? place.region() : region,
                base -> objectUri(base, b, k), Optional.of(target));
        ProviderResponse r = sent.response();
        if (r.ok()) {
            return new Fetched(item.name(), r.header("content-type"));
        }
        String where = "s3://" + bucket + "/" + key;
        S3Error error = S3Error.of(r);
        if (r.status() == 404) {
            throw ItemFailure.gone(where + " no longer exists" + error.suffix());
        }
        if (r.status() == 413) {
            throw ItemFailure.of(r.text());
        }
        if (KEY_REJECTED.contains(error.code()) || error.code().equals("RequestTimeTooSkewed")) {
            throw failure(r, "read " + where);
        }
        if (error.code().equals("InvalidObjectState")) {
            throw ItemFailure.of(where + " is archived (" + item.metadata().path("storage_class").asText("GLACIER")
                    + "); restore it in S3 to sync it");
        }
        if (r.status() == 403) {
            throw ItemFailure.of("The access key may not read " + where + error.suffix());
        }
        throw ItemFailure.of("S3 answered HTTP " + r.status() + " for " + where + error.suffix());
    }

    private CrawlPage listBuckets(Connection c, Place place) throws SyncFailure {
        URI base = base(place, place.region());
        ProviderResponse r = c.http().send(request(URI.create(base + "/"), place.region()));
        if (!r.ok()) {
            throw failure(r, "list the buckets");
        }
        SafeXml.Node root = parse(r, "ListAllMyBucketsResult", "the bucket list");
        List<SourceItem> items = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (SafeXml.Node bucket : root.child("Buckets").map(b -> b.all("Bucket")).orElse(List.of())) {
            Optional<String> name = bucket.text("Name");
            if (name.isEmpty()) {
                continue;
            }
            names.add(name.get());
            ObjectNode metadata = Json.object().put("bucket", name.get());
            items.add(new SourceItem(name.get(), Optional.empty(), name.get(), name.get(), BUCKET, true, true,
                    Optional.empty(), Optional.of(base + "/" + encode(name.get())), Optional.empty(),
                    OptionalLong.empty(), bucket.text("CreationDate").flatMap(S3Connector::instant), Optional.empty(),
                    metadata));
        }
        Optional<Checkpoint> next = names.isEmpty() ? Optional.empty()
                : Optional.of(Checkpoint.of(new Crawl(names, null, null, null)));
        return new CrawlPage(items, next);
    }

    private CrawlPage listObjects(Connection c, Place place, Crawl state, boolean mayRecover) throws SyncFailure {
        if (state.buckets().isEmpty()) {
            return new CrawlPage(List.of(), Optional.empty());
        }
        String bucket = state.buckets().getFirst();
        Sent sent = sendForBucket(c, place, state.region() == null ? place.region() : state.region(),
                base -> listUri(base, bucket, state), Optional.empty());
        ProviderResponse r = sent.response();
        String region = sent.region();
        S3Error error = r.ok() ? S3Error.NONE : S3Error.of(r);
        if (r.status() == 404 && error.code().equals("NoSuchBucket")) {
            // Deleted since ListBuckets: its objects are gone, which is what the next crawl shows too.
            return new CrawlPage(List.of(), nextBucket(state));
        }
        if (r.status() == 400 && mayRecover && state.continuationToken() != null && error.code().equals("InvalidArgument")) {
            // The token is no longer accepted: go on after the last key listed, which S3 defines exactly.
            return listObjects(c, place, new Crawl(state.buckets(), state.region(), null, state.lastKey()), false);
        }
        if (!r.ok()) {
            throw failure(r, "list the objects of bucket '" + bucket + "'");
        }
        SafeXml.Node root = parse(r, "ListBucketResult", "the object list of bucket '" + bucket + "'");
        boolean urlEncoded = root.text("EncodingType").map("url"::equalsIgnoreCase).orElse(false);
        boolean truncated = root.text("IsTruncated").map("true"::equalsIgnoreCase).orElse(false);
        URI base = base(place, region);
        List<SourceItem> items = new ArrayList<>();
        String previous = state.lastKey();
        for (SafeXml.Node object : root.all("Contents")) {
            Optional<String> raw = object.rawText("Key");
            if (raw.isEmpty() || raw.get().isEmpty()) {
                continue;
            }
            String key = urlEncoded ? URLDecoder.decode(raw.get(), StandardCharsets.UTF_8) : raw.get();
            items.addAll(folders(bucket, key, previous));
            if (!key.endsWith("/")) {
                items.add(file(base, bucket, key, region, object));
            }
            previous = key;
        }
        if (truncated) {
            String token = root.text("NextContinuationToken").orElse(null);
            if (token != null || !Objects.equals(previous, state.lastKey())) {
                String kept = region.equals(place.region()) ? null : region;
                return new CrawlPage(items, Optional.of(Checkpoint.of(new Crawl(state.buckets(), kept, token, previous))));
            }
            // Truncated without a way on (a broken S3-compatible store): this bucket ends here.
        }
        return new CrawlPage(items, nextBucket(state));
    }

    private static Optional<Checkpoint> nextBucket(Crawl state) {
        List<String> rest = state.buckets().subList(1, state.buckets().size());
        return rest.isEmpty() ? Optional.empty() : Optional.of(Checkpoint.of(new Crawl(rest, null, null, null)));
    }

    /** The folders {@code key} is in that the listing (in key order) has not shown yet. */
    private static List<SourceItem> folders(String bucket, String key, String previous) {
        return KeyFolders.newPrefixes(key, Optional.ofNullable(previous)).stream()
                .map(prefix -> KeyFolders.folder(bucket, prefix, Optional.empty(),
                        Json.object().put("bucket", bucket).put("prefix", prefix)))
                .toList();
    }

    private static SourceItem file(URI base, String bucket, String key, String region, SafeXml.Node object) {
        int slash = key.lastIndexOf('/');
        String name = key.substring(slash + 1);
        String parent = slash < 0 ? bucket : bucket + "/" + key.substring(0, slash + 1);
        Optional<String> etag = object.text("ETag").map(S3Connector::unquote);
        OptionalLong size = object.text("Size").map(s -> {
            try {
                return OptionalLong.of(Long.parseLong(s));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }).orElse(OptionalLong.empty());
        String storageClass = object.text("StorageClass").orElse("STANDARD");
        ObjectNode metadata = Json.object().put("bucket", bucket).put("key", key).put("region", region)
                .put("storage_class", storageClass);
        etag.ifPresent(e -> metadata.put("etag", e));
        return new SourceItem(bucket + "/" + key, Optional.of(parent), bucket, name, ItemTypes.FILE, true, false,
                FileFormat.fromFileName(name).map(Enum::name), Optional.of(objectUri(base, bucket, key).toString()),
                etag, size, Optional.empty(), object.text("LastModified").flatMap(S3Connector::instant), metadata);
    }

    /** The answer, and the region that gave it. */
    private record Sent(ProviderResponse response, String region) {
    }

    /**
     * Sends a request about one bucket, signed for {@code region}; when S3 says the bucket lives in
     * another region, once more there.
     */
    private Sent sendForBucket(Connection c, Place place, String region, Function<URI, URI> uriFor,
                               Optional<Path> target) throws SyncFailure {
        ProviderResponse r = exchange(c, uriFor.apply(base(place, region)), region, target);
        Optional<String> moved = movedTo(r).filter(other -> !other.equals(region));
        if (moved.isEmpty()) {
            return new Sent(r, region);
        }
        return new Sent(exchange(c, uriFor.apply(base(place, moved.get())), moved.get(), target), moved.get());
    }

    private static ProviderResponse exchange(Connection c, URI uri, String region, Optional<Path> target)
            throws SyncFailure {
        ProviderRequest request = request(uri, region);
        return target.isPresent() ? c.http().download(request, target.get()) : c.http().send(request);
    }

    private static ProviderRequest request(URI uri, String region) {
        return ProviderRequest.get(uri).withHeader(REGION_HEADER, region);
    }

    /** The region S3 says the bucket is in, when the answer is "wrong region". */
    private static Optional<String> movedTo(ProviderResponse r) {
        boolean wrongRegion = r.status() == 301 || r.status() == 307
                || (r.status() == 400 && S3Error.of(r).code().equals("AuthorizationHeaderMalformed"));
        if (!wrongRegion) {
            return Optional.empty();
        }
        Optional<String> region = r.header("x-amz-bucket-region");
        if (region.isEmpty()) {
            try {
                region = SafeXml.parse(r.body()).text("Region");
            } catch (XMLStreamException e) {
                region = Optional.empty();
            }
        }
        return region.map(String::strip).filter(v -> REGION.matcher(v).matches());
    }

    private static URI listUri(URI base, String bucket, Crawl state) {
        StringBuilder uri = new StringBuilder(base.toString()).append('/').append(encode(bucket))
                .append("?list-type=2&max-keys=").append(PAGE_SIZE).append("&encoding-type=url");
        if (state.continuationToken() != null) {
            uri.append("&continuation-token=").append(encode(state.continuationToken()));
        } else if (state.lastKey() != null) {
            uri.append("&start-after=").append(encode(state.lastKey()));
        }
        return URI.create(uri.toString());
    }

    private static URI objectUri(URI base, String bucket, String key) {
        StringBuilder uri = new StringBuilder(base.toString()).append('/').append(encode(bucket));
        for (String segment : key.split("/", -1)) {
            uri.append('/').append(encode(segment));
        }
        return URI.create(uri.toString());
    }

    /** AWS's UriEncode: UTF-8, only {@code A-Z a-z 0-9 - _ . ~} left bare ({@code /} too is encoded). */
    static String encode(String text) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** Where a data source's buckets are: Amazon S3, or DigitalOcean Spaces, and the region signed for. */
    private record Place(boolean spaces, String region) {
    }

    /** From what the connect step stored: {@code provider}, {@code endpoint} and {@code region}. */
    private static Place place(DataSource dataSource) {
        ObjectNode metadata = dataSource.metadata();
        String provider = metadata.path("provider").asText("");
        String endpoint = metadata.path("endpoint").asText("");
        boolean spaces = provider.equals("DIGITALOCEAN_SPACES") || endpoint.endsWith(".digitaloceanspaces.com");
        String region = metadata.path("region").asText("");
        if (region.isBlank()) {
            region = spaces && endpoint.contains(".") ? endpoint.substring(0, endpoint.indexOf('.')) : AWS_DEFAULT_REGION;
        }
        return new Place(spaces, region);
    }

    /** The endpoint for {@code region}, path-style requests go under it. */
    private URI base(Place place, String region) throws SyncFailure {
        if (!REGION.matcher(region).matches()) {
            throw new SyncFailure.Config("'" + region + "' is not an S3 region; reconnect the data source");
        }
        if (place.spaces()) {
            return URI.create(trimSlash(endpoints.digitalOceanSpaces().replace("{region}", region)));
        }
        URI aws = endpoints.awsS3();
        if (AWS_GLOBAL_HOST.equalsIgnoreCase(aws.getHost()) && !region.equals(AWS_DEFAULT_REGION)) {
            return URI.create(aws.getScheme() + "://s3." + region + ".amazonaws.com");
        }
        return URI.create(trimSlash(aws.toString()));
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static SafeXml.Node parse(ProviderResponse r, String rootName, String what) throws SyncFailure {
        try {
            SafeXml.Node root = SafeXml.parse(r.body());
            if (root.name().equals(rootName)) {
                return root;
            }
        } catch (XMLStreamException e) {
            // reported below
        }
        throw new SyncFailure.Transient("S3 answered something that is not " + what + " (HTTP " + r.status() + ")");
    }

    /** A listing S3 refused: wrong keys end the grant; a missing permission is for the user to fix. */
    private static SyncFailure failure(ProviderResponse r, String what) {
        S3Error error = S3Error.of(r);
        if (KEY_REJECTED.contains(error.code())) {
            return new SyncFailure.Auth("S3 rejected the stored access key when asked to " + what + " ("
                    + error.code() + "); reconnect the data source with valid keys");
        }
        if (error.code().equals("RequestTimeTooSkewed")) {
            return new SyncFailure.Transient("S3 refused to " + what + " because this server's clock is off by more"
                    + " than 15 minutes");
        }
        if (r.status() == 403) {
            return new SyncFailure.Config("The access key may not " + what + error.suffix());
        }
        return new SyncFailure.Config("S3 answered HTTP " + r.status() + " when asked to " + what + error.suffix());
    }

    /** S3's {@code <Error><Code/><Message/>}; empty strings when the body is not one. */
    private record S3Error(String code, String message) {
        static final S3Error NONE = new S3Error("", "");

        static S3Error of(ProviderResponse r) {
            if (r.body().length == 0) {
                return NONE;
            }
            try {
                SafeXml.Node root = SafeXml.parse(r.body());
                if (!root.name().equals("Error")) {
                    return NONE;
                }
                String message = root.text("Message").map(m -> m.lines().findFirst().orElse(""))
                        .map(m -> m.length() > 300 ? m.substring(0, 300) + "…" : m).orElse("");
                return new S3Error(root.text("Code").orElse(""), message);
            } catch (XMLStreamException e) {
                return NONE;
            }
        }

        /** " (Code: Message)", or nothing. */
        String suffix() {
            if (code.isEmpty()) {
                return "";
            }
            return " (" + code + (message.isEmpty() ? "" : ": " + message) + ")";
        }
    }

    private static String unquote(String etag) {
        String e = etag.strip();
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            return e.substring(1, e.length() - 1);
        }
        return e;
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
