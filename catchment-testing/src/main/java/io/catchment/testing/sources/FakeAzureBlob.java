package io.catchment.testing.sources;

import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One Azure storage account's Blob service, holding containers of blobs:
 * <ul>
 *   <li>List Containers ({@code GET /?comp=list}, with {@code maxresults} and {@code marker}
 *       paging): {@code EnumerationResults} XML;
 *   <li>List Blobs ({@code GET /{container}?restype=container&comp=list}): flat
 *       {@code EnumerationResults} with {@code maxresults} (at most 5000), {@code marker} /
 *       {@code NextMarker} (opaque; an unknown one is 400 {@code InvalidQueryParameterValue}
 *       naming {@code marker}), {@code prefix}, {@code delimiter} ({@code BlobPrefix}) and
 *       {@code include} ({@code metadata} shows {@code <Metadata>}); names in UTF-8 binary order,
 *       {@code <Name Encoded="true">} for names XML cannot carry; directories of accounts with a
 *       hierarchical namespace ({@link #addDirectory}) have {@code ResourceType} {@code directory}
 *       and the {@code hdi_isfolder} metadata;
 *   <li>Get Container Properties ({@code GET /{container}?restype=container});
 *   <li>Get Blob ({@code GET /{container}/{blob}}): the bytes with {@code ETag},
 *       {@code Last-Modified}, {@code Content-MD5}, {@code x-ms-blob-type}; 404
 *       {@code BlobNotFound} / {@code ContainerNotFound}, 409 {@code BlobArchived} for a blob in
 *       the archive tier.
 * </ul>
 * Requests must be authorized with Shared Key, which the fake recomputes from the request as
 * received with its own implementation and the account key it was given, as Azure does:
 * <ul>
 *   <li>no {@code Authorization}: 401 {@code NoAuthenticationInformation};
 *   <li>no {@code x-ms-version}: 400 {@code MissingRequiredHeader};
 *   <li>no date, a date more than 15 minutes from the fake's clock, another account, or a
 *       signature that does not match: 403 {@code AuthenticationFailed}, whose
 *       {@code AuthenticationErrorDetail} says which (and, for a wrong signature, shows the
 *       string the server signed, as Azure does);
 *   <li>a container the key may not read ({@link #denyContainer}): 403
 *       {@code AuthorizationPermissionMismatch}.
 * </ul>
 * Errors are Azure's XML {@code <Error><Code/><Message/></Error>} with the code also in
 * {@code x-ms-error-code}. The Blob service's change feed is not modelled (mutations only change
 * listings and downloads). Content is served as UTF-8 text (the fake server sends text bodies),
 * so byte contents must be valid UTF-8.
 */
public final class FakeAzureBlob extends FakeHttpApi {
    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final List<String> STANDARD = List.of("content-encoding", "content-language", "content-length",
            "content-md5", "content-type", "date", "if-modified-since", "if-match", "if-none-match",
            "if-unmodified-since", "range");
    private static final int MAX_RESULTS = 5000;
    private static final Set<String> INCLUDES = Set.of("snapshots", "metadata", "uncommittedblobs", "copy", "deleted",
            "tags", "versions", "deletedwithversions", "immutabilitypolicy", "legalhold", "permissions");

    private final String account;
    private final byte[] key;
    private final Clock clock;
    private final NavigableMap<String, Container> containers = new ConcurrentSkipListMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final Map<String, Resume> markers = new ConcurrentHashMap<>();
    private final AtomicLong etags = new AtomicLong(0x8DC1A2B3C4D5E00L);

    private record Container(String name, String etag, Instant lastModified, NavigableMap<String, Blob> blobs) {
    }

    private record Blob(String name, byte[] content, String contentType, String etag, Instant created,
                        Instant lastModified, boolean directory, boolean archived) {
    }

    /** Where a List Blobs marker resumes: after {@code after}, past every name under it when it was a prefix. */
    private record Resume(String container, String after, boolean blobPrefix) {
    }

    /** @param base64Key the account key as the portal shows it */
    public FakeAzureBlob(String account, String base64Key, Clock clock) {
        this.account = account;
        this.key = Base64.getDecoder().decode(base64Key);
        this.clock = clock;
        get("/", this::service);
        prefix("GET", "/", this::containerOrBlob);
    }

    /** Adds empty containers (existing ones are kept). */
    public FakeAzureBlob withContainers(String... names) {
        for (String name : names) {
            addContainer(name);
        }
        return this;
    }

    /** Adds an empty container (an existing one is kept). */
    public FakeAzureBlob addContainer(String name) {
        containers.computeIfAbsent(name, n -> new Container(n, nextEtag(), now(),
                new ConcurrentSkipListMap<>(FakeS3.UTF8_ORDER)));
        return this;
    }

    /** Removes a container and its blobs. */
    public void deleteContainer(String name) {
        container(name);
        containers.remove(name);
    }

    /** From now on every request about this container is 403 {@code AuthorizationPermissionMismatch}. */
    public void denyContainer(String name) {
        denied.add(container(name).name());
    }

    /** Adds or replaces a block blob typed by its extension; returns its ETag ({@code 0x...}, without quotes). */
    public String putBlob(String container, String name, String content) {
        return putBlob(container, name, content.getBytes(StandardCharsets.UTF_8), contentType(name));
    }

    /** Adds or replaces a block blob; returns its ETag ({@code 0x...}, without quotes). */
    public String putBlob(String container, String name, byte[] content, String contentType) {
        FakeS3.requireUtf8(content);
        Container c = container(container);
        Blob old = c.blobs().get(name);
        String etag = nextEtag();
        Instant now = now();
        c.blobs().put(name, new Blob(name, content.clone(), contentType, etag, old == null ? now : old.created(), now,
                false, false));
        return etag;
    }

    /**
     * A directory of an account with a hierarchical namespace: an empty blob named {@code path}
     * (no trailing slash) with {@code ResourceType} {@code directory} and {@code hdi_isfolder=true}.
     */
    public void addDirectory(String container, String path) {
        String name = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        Instant now = now();
        container(container).blobs().put(name, new Blob(name, new byte[0], "application/octet-stream", nextEtag(), now,
                now, true, false));
    }

    /**
     * Adds {@code count} small text blobs {@code <namePrefix><i>.txt} under {@code parent}, which is a
     * container name or {@code container/some/path/}; returns their names.
     */
    public List<String> addFiles(String parent, int count, String namePrefix) {
        int slash = parent.indexOf('/');
        String containerName = slash < 0 ? parent : parent.substring(0, slash);
        String prefix = slash < 0 ? "" : parent.substring(slash + 1);
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix += "/";
        }
        Container c = container(containerName);
        Instant now = now();
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = prefix + namePrefix + i + ".txt";
            byte[] content = (namePrefix + " number " + i + "\n").getBytes(StandardCharsets.UTF_8);
            c.blobs().put(name, new Blob(name, content, "text/plain", nextEtag(), now, now, false, false));
            names.add(name);
        }
        return names;
    }

    /** Replaces an existing blob's content (new ETag and Last-Modified); returns the new ETag. */
    public String editBlob(String container, String name, String content) {
        Blob old = blob(container, name);
        return putBlob(container, name, content.getBytes(StandardCharsets.UTF_8), old.contentType());
    }

    /**
     * Blob storage has no rename: this copies the blob to {@code toName} (a new blob: new ETag and
     * Creation-Time) and deletes the original. A move to another "folder" is the same call.
     */
    public void renameBlob(String container, String fromName, String toName) {
        Blob old = blob(container, fromName);
        Container c = container(container);
        Instant now = now();
        c.blobs().put(toName, new Blob(toName, old.content(), old.contentType(), nextEtag(), now, now, false,
                old.archived()));
        c.blobs().remove(fromName);
    }

    public void deleteBlob(String container, String name) {
        blob(container, name);
        container(container).blobs().remove(name);
    }

    /** Moves the blob to the archive tier: it is still listed, but Get Blob answers 409 {@code BlobArchived}. */
    public void archiveBlob(String container, String name) {
        Blob b = blob(container, name);
        container(container).blobs().put(name, new Blob(b.name(), b.content(), b.contentType(), b.etag(), b.created(),
                b.lastModified(), b.directory(), true));
    }

    public Optional<byte[]> content(String container, String name) {
        return Optional.ofNullable(container(container).blobs().get(name)).map(b -> b.content().clone());
    }

    /** The blob's ETag ({@code 0x...}, without quotes). */
    public Optional<String> etag(String container, String name) {
        return Optional.ofNullable(container(container).blobs().get(name)).map(Blob::etag);
    }

    public int blobCount(String container) {
        return container(container).blobs().size();
    }

    /** Every List Blobs marker handed out so far is refused from now on. */
    public void expireMarkers() {
        markers.clear();
    }

    private Container container(String name) {
        Container c = containers.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no container " + name);
        }
        return c;
    }

    private Blob blob(String container, String name) {
        Blob b = container(container).blobs().get(name);
        if (b == null) {
            throw new IllegalArgumentException("no blob " + name + " in " + container);
        }
        return b;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private String nextEtag() {
        return String.format(Locale.ROOT, "0x%015X", etags.incrementAndGet());
    }

    private static String contentType(String name) {
        String type = FakeS3.guessType(name);
        return type.equals("binary/octet-stream") ? "application/octet-stream" : type;
    }

    private Reply service(RecordedRequest request) {
        Map<String, List<String>> query = query(request);
        Optional<Reply> refusal = authenticate(request, query);
        if (refusal.isPresent()) {
            return refusal.get();
        }
        if (!first(query, "comp").equals("list")) {
            return error(400, "InvalidQueryParameterValue", "Value for one of the query parameters specified in the"
                    + " request URI is invalid.", "");
        }
        int max = 5000;
        if (!first(query, "maxresults").isEmpty()) {
            try {
                max = Integer.parseInt(first(query, "maxresults"));
            } catch (NumberFormatException e) {
                max = 0;
            }
            if (max <= 0) {
                return error(400, "OutOfRangeQueryParameterValue", "One of the query parameters specified in the"
                        + " request URI is outside the permissible range.", "");
            }
        }
        List<Container> sorted = List.copyOf(containers.values());
        String marker = first(query, "marker");
        List<Container> from = sorted.stream().filter(c -> marker.isEmpty() || c.name().compareTo(marker) >= 0).toList();
        List<Container> page = from.subList(0, Math.min(max, from.size()));
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>")
                .append("<EnumerationResults ServiceEndpoint=\"https://").append(account)
                .append(".blob.core.windows.net/\">");
        if (!marker.isEmpty()) {
            xml.append("<Marker>").append(FakeS3.escape(marker)).append("</Marker>");
        }
        if (!first(query, "maxresults").isEmpty()) {
            xml.append("<MaxResults>").append(max).append("</MaxResults>");
        }
        xml.append("<Containers>");
        for (Container c : page) {
            xml.append("<Container><Name>").append(FakeS3.escape(c.name())).append("</Name><Properties>")
                    .append("<Last-Modified>").append(RFC_1123.format(c.lastModified())).append("</Last-Modified>")
                    .append("<Etag>\"").append(c.etag()).append("\"</Etag><LeaseStatus>unlocked</LeaseStatus>")
                    .append("<LeaseState>available</LeaseState><DefaultEncryptionScope>$account-encryption-key")
                    .append("</DefaultEncryptionScope><DenyEncryptionScopeOverride>false</DenyEncryptionScopeOverride>")
                    .append("<HasImmutabilityPolicy>false</HasImmutabilityPolicy><HasLegalHold>false</HasLegalHold>")
                    .append("</Properties></Container>");
        }
        xml.append("</Containers>");
        if (page.size() < from.size()) {
            xml.append("<NextMarker>").append(FakeS3.escape(from.get(page.size()).name())).append("</NextMarker>");
        } else {
            xml.append("<NextMarker />");
        }
        xml.append("</EnumerationResults>");
        return ok(request, xml.toString());
    }

    private Reply containerOrBlob(RecordedRequest request) {
        Map<String, List<String>> query = query(request);
        Optional<Reply> refusal = authenticate(request, query);
        if (refusal.isPresent()) {
            return refusal.get();
        }
        String path = request.path().substring(1);
        int slash = path.indexOf('/');
        String containerName = percentDecode(slash < 0 ? path : path.substring(0, slash));
        String blobName = slash < 0 ? "" : percentDecode(path.substring(slash + 1));
        Container c = containers.get(containerName);
        if (c == null) {
            return error(404, "ContainerNotFound", "The specified container does not exist.", "");
        }
        if (denied.contains(containerName)) {
            return error(403, "AuthorizationPermissionMismatch", "This request is not authorized to perform this"
                    + " operation using this permission.", "");
        }
        if (blobName.isEmpty()) {
            if (!first(query, "restype").equals("container")) {
                return error(400, "InvalidQueryParameterValue", "Value for one of the query parameters specified in"
                        + " the request URI is invalid.", "");
            }
            if (first(query, "comp").equals("list")) {
                return listBlobs(request, c, query);
            }
            if (!query.containsKey("comp")) {
                return new Reply(200, Map.of("ETag", "\"" + c.etag() + "\"", "Last-Modified",
                        RFC_1123.format(c.lastModified()), "x-ms-lease-status", "unlocked", "x-ms-lease-state",
                        "available", "x-ms-request-id", UUID.randomUUID().toString(), "x-ms-version",
                        request.header("x-ms-version").orElse("")), "");
            }
            return error(400, "InvalidQueryParameterValue", "Value for one of the query parameters specified in the"
                    + " request URI is invalid.", "");
        }
        Blob b = c.blobs().get(blobName);
        if (b == null) {
            return error(404, "BlobNotFound", "The specified blob does not exist.", "");
        }
        if (b.archived()) {
            return error(409, "BlobArchived", "This operation is not permitted on an archived blob.", "");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", b.contentType());
        headers.put("Content-MD5", Base64.getEncoder().encodeToString(md5(b.content())));
        headers.put("ETag", "\"" + b.etag() + "\"");
        headers.put("Last-Modified", RFC_1123.format(b.lastModified()));
        headers.put("Accept-Ranges", "bytes");
        headers.put("x-ms-blob-type", "BlockBlob");
        headers.put("x-ms-creation-time", RFC_1123.format(b.created()));
        headers.put("x-ms-lease-status", "unlocked");
        headers.put("x-ms-lease-state", "available");
        headers.put("x-ms-server-encrypted", "true");
        headers.put("x-ms-request-id", UUID.randomUUID().toString());
        headers.put("x-ms-version", request.header("x-ms-version").orElse(""));
        return new Reply(200, headers, new String(b.content(), StandardCharsets.UTF_8));
    }

    private Reply listBlobs(RecordedRequest request, Container c, Map<String, List<String>> query) {
        int max = MAX_RESULTS;
        String maxText = first(query, "maxresults");
        if (!maxText.isEmpty()) {
            try {
                max = Math.min(MAX_RESULTS, Integer.parseInt(maxText));
            } catch (NumberFormatException e) {
                max = 0;
            }
            if (max <= 0) {
                return invalidQuery(400, "OutOfRangeQueryParameterValue", "One of the query parameters specified in"
                        + " the request URI is outside the permissible range.", "maxresults", maxText, "");
            }
        }
        String include = first(query, "include");
        boolean metadata = false;
        if (!include.isEmpty()) {
            for (String part : include.split(",")) {
                if (!INCLUDES.contains(part.strip())) {
                    return invalidQuery(400, "InvalidQueryParameterValue", "Value for one of the query parameters"
                            + " specified in the request URI is invalid.", "include", include, "");
                }
                metadata |= part.strip().equals("metadata");
            }
        }
        String marker = first(query, "marker");
        Resume resume = null;
        if (!marker.isEmpty()) {
            resume = markers.get(marker);
            if (resume == null || !resume.container().equals(c.name())) {
                return invalidQuery(400, "InvalidQueryParameterValue", "Value for one of the query parameters"
                        + " specified in the request URI is invalid.", "marker", marker, "Invalid ListBlobs marker.");
            }
        }
        String prefix = first(query, "prefix");
        String delimiter = first(query, "delimiter");
        NavigableMap<String, Blob> view = c.blobs();
        if (resume != null && FakeS3.UTF8_ORDER.compare(resume.after(), prefix) >= 0) {
            view = view.tailMap(resume.after(), false);
        } else if (!prefix.isEmpty()) {
            view = view.tailMap(prefix, true);
        }
        List<Blob> blobs = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String skipUnder = resume != null && resume.blobPrefix() ? resume.after() : null;
        String last = null;
        boolean lastWasPrefix = false;
        boolean more = false;
        for (Blob b : view.values()) {
            String name = b.name();
            if (!name.startsWith(prefix)) {
                break;
            }
            if (skipUnder != null && name.startsWith(skipUnder)) {
                continue;
            }
            String common = null;
            if (!delimiter.isEmpty()) {
                int at = name.indexOf(delimiter, prefix.length());
                if (at >= 0) {
                    common = name.substring(0, at + delimiter.length());
                }
            }
            if (blobs.size() + prefixes.size() >= max) {
                more = true;
                break;
            }
            if (common != null) {
                prefixes.add(common);
                skipUnder = common;
                last = common;
                lastWasPrefix = true;
            } else {
                blobs.add(b);
                last = name;
                lastWasPrefix = false;
            }
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>")
                .append("<EnumerationResults ServiceEndpoint=\"https://").append(account)
                .append(".blob.core.windows.net/\" ContainerName=\"").append(FakeS3.escape(c.name())).append("\">");
        if (!prefix.isEmpty()) {
            xml.append("<Prefix>").append(FakeS3.escape(prefix)).append("</Prefix>");
        }
        if (!marker.isEmpty()) {
            xml.append("<Marker>").append(FakeS3.escape(marker)).append("</Marker>");
        }
        if (!maxText.isEmpty()) {
            xml.append("<MaxResults>").append(max).append("</MaxResults>");
        }
        if (!delimiter.isEmpty()) {
            xml.append("<Delimiter>").append(FakeS3.escape(delimiter)).append("</Delimiter>");
        }
        xml.append("<Blobs>");
        for (Blob b : blobs) {
            xml.append("<Blob>").append(nameElement(b.name())).append("<Properties>")
                    .append("<Creation-Time>").append(RFC_1123.format(b.created())).append("</Creation-Time>")
                    .append("<Last-Modified>").append(RFC_1123.format(b.lastModified())).append("</Last-Modified>")
                    .append("<Etag>").append(b.etag()).append("</Etag>");
            if (b.directory()) {
                xml.append("<ResourceType>directory</ResourceType>");
            }
            xml.append("<Content-Length>").append(b.content().length).append("</Content-Length>")
                    .append("<Content-Type>").append(FakeS3.escape(b.contentType())).append("</Content-Type>")
                    .append("<Content-Encoding /><Content-Language /><Content-CRC64 />")
                    .append("<Content-MD5>").append(Base64.getEncoder().encodeToString(md5(b.content())))
                    .append("</Content-MD5><Cache-Control /><Content-Disposition />")
                    .append("<BlobType>BlockBlob</BlobType>")
                    .append("<AccessTier>").append(b.archived() ? "Archive" : "Hot").append("</AccessTier>")
                    .append(b.archived() ? "" : "<AccessTierInferred>true</AccessTierInferred>")
                    .append("<LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState>")
                    .append("<ServerEncrypted>true</ServerEncrypted></Properties>");
            if (metadata) {
                xml.append(b.directory() ? "<Metadata><hdi_isfolder>true</hdi_isfolder></Metadata>" : "<Metadata />");
            }
            xml.append("</Blob>");
        }
        for (String p : prefixes) {
            xml.append("<BlobPrefix>").append(nameElement(p)).append("</BlobPrefix>");
        }
        xml.append("</Blobs>");
        if (more) {
            String next = "2!" + (72 + ThreadLocalRandom.current().nextInt(64)) + "!"
                    + Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            markers.put(next, last == null ? new Resume(c.name(), resume == null ? "" : resume.after(),
                    resume != null && resume.blobPrefix()) : new Resume(c.name(), last, lastWasPrefix));
            xml.append("<NextMarker>").append(FakeS3.escape(next)).append("</NextMarker>");
        } else {
            xml.append("<NextMarker />");
        }
        xml.append("</EnumerationResults>");
        return ok(request, xml.toString());
    }

    /** {@code <Name>}, percent-encoded with {@code Encoded="true"} when XML 1.0 cannot carry the name. */
    private static String nameElement(String name) {
        boolean encode = name.codePoints().anyMatch(cp -> (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
                || cp == 0xFFFE || cp == 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF));
        if (!encode) {
            return "<Name>" + FakeS3.escape(name) + "</Name>";
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int ch = b & 0xff;
            if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || "-_.~/".indexOf(ch) >= 0) {
                sb.append((char) ch);
            } else {
                sb.append(String.format(Locale.ROOT, "%%%02X", ch));
            }
        }
        return "<Name Encoded=\"true\">" + sb + "</Name>";
    }

    private static Reply ok(RecordedRequest request, String xml) {
        return new Reply(200, Map.of("Content-Type", "application/xml", "x-ms-request-id", UUID.randomUUID().toString(),
                "x-ms-version", request.header("x-ms-version").orElse("")), xml);
    }

    private Optional<Reply> authenticate(RecordedRequest request, Map<String, List<String>> query) {
        Optional<String> auth = request.header("authorization");
        if (auth.isEmpty()) {
            return Optional.of(error(401, "NoAuthenticationInformation", "Server failed to authenticate the request."
                    + " Please refer to the information in the www-authenticate header.", "")
                    .withHeader("WWW-Authenticate", "Bearer authorization_uri=https://login.microsoftonline.com/"
                            + "common/oauth2/authorize resource_id=https://storage.azure.com"));
        }
        if (request.header("x-ms-version").isEmpty()) {
            return Optional.of(error(400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request"
                    + " is not specified.", "").withHeader("x-ms-header-name", "x-ms-version"));
        }
        Optional<String> date = request.header("x-ms-date").or(() -> request.header("date"));
        Instant when;
        try {
            when = ZonedDateTime.parse(date.orElse(""), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return Optional.of(authenticationFailed("The Date header in the request is incorrect."));
        }
        Instant now = clock.instant();
        if (Duration.between(when, now).abs().compareTo(MAX_SKEW) > 0) {
            return Optional.of(authenticationFailed("Request date header too old: '" + date.get() + "'"));
        }
        String value = auth.get();
        if (!value.startsWith("SharedKey ") || value.indexOf(':') < 0) {
            return Optional.of(authenticationFailed("The authorization header is not in a valid format."));
        }
        String claimedAccount = value.substring("SharedKey ".length(), value.indexOf(':'));
        String signature = value.substring(value.indexOf(':') + 1);
        if (!claimedAccount.equals(account)) {
            return Optional.of(authenticationFailed("Issuer validation failed. Account name in the Authorization header"
                    + " does not match the account being accessed."));
        }
        String stringToSign = stringToSign(request, query);
        if (!sign(stringToSign).equals(signature)) {
            return Optional.of(authenticationFailed("The MAC signature found in the HTTP request '" + signature
                    + "' is not the same as any computed signature. Server used following string to sign: '"
                    + stringToSign + "'."));
        }
        return Optional.empty();
    }

    private String stringToSign(RecordedRequest request, Map<String, List<String>> query) {
        StringBuilder sb = new StringBuilder(request.method()).append('\n');
        for (String name : STANDARD) {
            String value = request.header(name).orElse("");
            sb.append(name.equals("content-length") && value.equals("0") ? "" : value).append('\n');
        }
        TreeMap<String, String> msHeaders = new TreeMap<>();
        request.headers().forEach((name, values) -> {
            if (name.startsWith("x-ms-")) {
                msHeaders.put(name, values.getFirst().strip());
            }
        });
        msHeaders.forEach((name, value) -> sb.append(name).append(':').append(value).append('\n'));
        sb.append('/').append(account).append(request.path().isEmpty() ? "/" : request.path());
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        query.forEach((name, values) -> sorted.put(name.toLowerCase(Locale.ROOT), values));
        sorted.forEach((name, values) -> sb.append('\n').append(name).append(':')
                .append(String.join(",", values.stream().sorted().toList())));
        return sb.toString();
    }

    private String sign(String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, List<String>> query(RecordedRequest request) {
        Map<String, List<String>> params = new TreeMap<>();
        for (String pair : request.query().orElse("").split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? "" : values.getFirst();
    }

    /** {@code %XX} escapes as UTF-8; a {@code +} in a path is a plus. */
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

    private static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Reply authenticationFailed(String detail) {
        return error(403, "AuthenticationFailed", "Server failed to authenticate the request. Make sure the value of"
                + " Authorization header is formed correctly including the signature.", detail);
    }

    private Reply error(int status, String code, String message, String detail) {
        String requestId = UUID.randomUUID().toString();
        String xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>"
                + FakeS3.escape(message) + "\nRequestId:" + requestId + "\nTime:" + clock.instant()
                + "</Message>" + (detail.isEmpty() ? "" : "<AuthenticationErrorDetail>" + FakeS3.escape(detail)
                + "</AuthenticationErrorDetail>") + "</Error>";
        return new Reply(status, Map.of("Content-Type", "application/xml", "x-ms-error-code", code,
                "x-ms-request-id", requestId), xml);
    }

    /** An error about one query parameter, with Azure's {@code QueryParameterName}/{@code Value}/{@code Reason}. */
    private Reply invalidQuery(int status, String code, String message, String name, String value, String reason) {
        String requestId = UUID.randomUUID().toString();
        String xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>"
                + FakeS3.escape(message) + "\nRequestId:" + requestId + "\nTime:" + clock.instant() + "</Message>"
                + "<QueryParameterName>" + FakeS3.escape(name) + "</QueryParameterName><QueryParameterValue>"
                + FakeS3.escape(value) + "</QueryParameterValue>"
                + (reason.isEmpty() ? "" : "<Reason>" + FakeS3.escape(reason) + "</Reason>") + "</Error>";
        return new Reply(status, Map.of("Content-Type", "application/xml", "x-ms-error-code", code,
                "x-ms-request-id", requestId), xml);
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return true; // Azure tells each authentication failure apart; the route checks
    }

    @Override
    protected Reply unauthorized() {
        throw new IllegalStateException("not used");
    }
}
