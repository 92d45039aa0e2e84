package io.catchment.connectors.azureblob;

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
import io.catchment.ingest.FormatSniffer;
import io.catchment.json.Json;
import io.catchment.xml.SafeXml;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import io.catchment.connectors.objectstore.KeyFolders;
import io.catchment.connectors.objectstore.ObjectLocation;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamException;

/**
 * Azure Blob Storage with the storage account name and key the connect step stored, every request
 * signed with Shared Key ({@link #keyAuthenticator}).
 *
 * <p>Crawl: List Containers ({@code GET /?comp=list&maxresults=5000&marker=}), then each
 * container flat with List Blobs
 * ({@code GET /{container}?restype=container&comp=list&maxresults=5000&marker=}), following
 * {@code NextMarker}. Containers are items of type {@value #CONTAINER} (external id: the
 * container name); "folders" are synthesized from {@code /} in blob names
 * ({@code container/a/b/}, {@link ItemTypes#FOLDER}); blobs are files with external id
 * {@code container/name} and the ETag as version. Directory blobs of accounts with a
 * hierarchical namespace are folders, not files (so an empty one shows). The Blob service's
 * change feed is an Avro log in a system container, not an API: the engine crawls again and
 * compares versions.
 *
 * <p>Fetch: Get Blob ({@code GET /{container}/{blob}}).
 */
public final class AzureBlobConnector implements Connector {
    /** Carbon's item type for a container ({@code AzureBlobStorageTypes}). */
    public static final String CONTAINER = "Container";
    /** The Blob service version every request asks for (the one the connect-time check uses). */
    static final String VERSION = "2020-10-02";
    /** The largest page List Containers and List Blobs give. */
    static final int MAX_PAGE = 5000;

    private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME;
    private static final Duration BUSY_WAIT = Duration.ofSeconds(1);

    private final Endpoints endpoints;
    private final Clock clock;
    private final int containerPage;
    private final int blobPage;

    /**
     * @param endpoints where the Blob service is ({@code azureBlob}, a template with
     *     {@code {account}}); the same value the credential verifiers use
     */
    public AzureBlobConnector(Endpoints endpoints) {
        this(endpoints, Clock.systemUTC());
    }

    /** @param clock dates the signatures ({@code x-ms-date}) */
    public AzureBlobConnector(Endpoints endpoints, Clock clock) {
        this(endpoints, clock, MAX_PAGE, MAX_PAGE);
    }

    /** Tests: smaller pages. */
    AzureBlobConnector(Endpoints endpoints, Clock clock, int containerPage, int blobPage) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (containerPage < 1 || containerPage > MAX_PAGE || blobPage < 1 || blobPage > MAX_PAGE) {
            throw new IllegalArgumentException("page sizes must be between 1 and " + MAX_PAGE);
        }
        this.containerPage = containerPage;
        this.blobPage = blobPage;
    }

    @Override
    public DataSourceType type() {
        return DataSourceType.AZURE_BLOB_STORAGE;
    }

    /** Signs with the stored {@code account_name} and {@code account_key}; never renews. */
    @Override
    public Optional<Authenticator> keyAuthenticator(DataSource dataSource, Map<String, String> secrets) {
        String account = secrets.getOrDefault("account_name", dataSource.metadata().path("account_name").asText(""));
        return Optional.of(new AzureSigner(account, secrets.get("account_key"), clock));
    }

    /** Azure answers "slow down" with 503 {@code ServerBusy}, not always with Retry-After. */
    @Override
    public RateLimitSignal rateLimits() {
        return (response, now) -> {
            if (response.status() == 503 && AzureError.of(response).code().equals("ServerBusy")) {
                return Optional.of(RetryAfter.of(response, now).orElse(BUSY_WAIT));
            }
            return Optional.empty();
        };
    }

    /**
     * Where a crawl stands: while {@code containersMarker} is set, containers are still being
     * listed; then the containers' blobs, the first container's from {@code marker}, with the last
     * blob name listed (for the folders).
     */
    record Crawl(String containersMarker, List<String> containers, String marker, String lastName) {
        Crawl {
            containers = List.copyOf(containers);
        }
    }

    @Override
    public CrawlPage crawl(Connection c, Optional<Checkpoint> from) throws SyncFailure {
        URI base = base(c.dataSource());
        if (from.isEmpty()) {
            return listContainers(c, base, null, List.of());
        }
        Crawl state = from.get().as(Crawl.class);
        if (state.containersMarker() != null) {
            return listContainers(c, base, state.containersMarker(), state.containers());
        }
        return listBlobs(c, base, state, true);
    }

    @Override
    public Fetched fetch(Connection c, SourceItem item, Path target) throws SyncFailure, ItemFailure {
        URI base = base(c.dataSource());
        ObjectLocation at = ObjectLocation.of(item, "container", "blob", "a blob");
        String container = at.container();
        String blob = at.key();
        ProviderResponse r = c.http().download(ProviderRequest.get(blobUri(base, container, blob)), target);
        if (r.ok()) {
            return new Fetched(item.name(), r.header("content-type"));
        }
        String where = "blob '" + blob + "' in container '" + container + "'";
        AzureError error = AzureError.of(r);
        if (r.status() == 404) {
            throw ItemFailure.gone("The " + where + " no longer exists" + error.suffix());
        }
        if (r.status() == 413) {
            throw ItemFailure.of(r.text());
        }
        if (r.status() == 409 && error.code().equals("BlobArchived")) {
            throw ItemFailure.of("The " + where + " is in the archive tier; rehydrate it in Azure to sync it");
        }
        if (r.status() == 403 && error.code().equals("AuthenticationFailed")) {
            throw failure(r, "read the " + where);
        }
        if (r.status() == 403) {
            throw ItemFailure.of("The account key may not read the " + where + error.suffix());
        }
        throw ItemFailure.of("Azure Blob Storage answered HTTP " + r.status() + " for the " + where + error.suffix());
    }

    private CrawlPage listContainers(Connection c, URI base, String marker, List<String> known) throws SyncFailure {
        StringBuilder uri = new StringBuilder(base.toString()).append("/?comp=list&maxresults=").append(containerPage);
        if (marker != null) {
            uri.append("&marker=").append(encode(marker));
        }
        ProviderResponse r = c.http().send(ProviderRequest.get(URI.create(uri.toString())));
        if (!r.ok()) {
            throw failure(r, "list the containers");
        }
        SafeXml.Node root = parse(r, "the container list");
        List<SourceItem> items = new ArrayList<>();
        List<String> all = new ArrayList<>(known);
        for (SafeXml.Node container : root.child("Containers").map(n -> n.all("Container")).orElse(List.of())) {
            Optional<String> name = container.text("Name");
            if (name.isEmpty()) {
                continue;
            }
            all.add(name.get());
            Optional<SafeXml.Node> properties = container.child("Properties");
            items.add(new SourceItem(name.get(), Optional.empty(), name.get(), name.get(), CONTAINER, true, true,
                    Optional.empty(), Optional.of(base + "/" + encode(name.get())), Optional.empty(),
                    OptionalLong.empty(), Optional.empty(),
                    properties.flatMap(p -> p.text("Last-Modified")).flatMap(AzureBlobConnector::instant),
                    Json.object().put("container", name.get())));
        }
        Optional<String> next = root.text("NextMarker");
        if (next.isPresent()) {
            return new CrawlPage(items, Optional.of(Checkpoint.of(new Crawl(next.get(), all, null, null))));
        }
        return new CrawlPage(items, all.isEmpty() ? Optional.empty()
                : Optional.of(Checkpoint.of(new Crawl(null, all, null, null))));
    }

    private CrawlPage listBlobs(Connection c, URI base, Crawl state, boolean mayRecover) throws SyncFailure {
        if (state.containers().isEmpty()) {
            return new CrawlPage(List.of(), Optional.empty());
        }
        String container = state.containers().getFirst();
        StringBuilder uri = new StringBuilder(base.toString()).append('/').append(encode(container))
                .append("?restype=container&comp=list&maxresults=").append(blobPage);
        if (state.marker() != null) {
            uri.append("&marker=").append(encode(state.marker()));
        }
        ProviderResponse r = c.http().send(ProviderRequest.get(URI.create(uri.toString())));
        AzureError error = r.ok() ? AzureError.NONE : AzureError.of(r);
        if (r.status() == 404 && error.code().equals("ContainerNotFound")) {
            // Deleted since it was listed: its blobs are gone, which is what the next crawl shows too.
            return new CrawlPage(List.of(), nextContainer(state));
        }
        if (r.status() == 400 && mayRecover && state.marker() != null
                && (error.code().equals("OutOfRangeInput") || error.code().equals("InvalidQueryParameterValue"))) {
            // Markers are opaque and cannot be rebuilt: list this container again from its start
            // (items already reported come again, which changes nothing).
            return listBlobs(c, base, new Crawl(null, state.containers(), null, null), false);
        }
        if (!r.ok()) {
            throw failure(r, "list the blobs of container '" + container + "'");
        }
        SafeXml.Node root = parse(r, "the blob list of container '" + container + "'");
        List<SourceItem> items = new ArrayList<>();
        String previous = state.lastName();
        for (SafeXml.Node blob : root.child("Blobs").map(n -> n.all("Blob")).orElse(List.of())) {
            Optional<String> name = blob.child("Name").map(AzureBlobConnector::name).filter(n -> !n.isEmpty());
            if (name.isEmpty() || blob.text("Snapshot").isPresent() || blob.text("Deleted").map("true"::equals).orElse(false)) {
                continue;
            }
            SafeXml.Node properties = blob.child("Properties").orElse(new SafeXml.Node("Properties", Map.of(), "", List.of()));
            boolean directory = properties.text("ResourceType").map("directory"::equalsIgnoreCase).orElse(false)
                    || blob.child("Metadata").flatMap(m -> m.text("hdi_isfolder")).map("true"::equalsIgnoreCase).orElse(false);
            if (directory) {
                // A hierarchical-namespace directory: a folder even when nothing is in it yet.
                String asFolder = name.get() + "/";
                items.addAll(folders(container, asFolder, previous));
                previous = asFolder;
                continue;
            }
            items.addAll(folders(container, name.get(), previous));
            if (!name.get().endsWith("/")) {
                items.add(file(base, container, name.get(), properties));
            }
            previous = name.get();
        }
        // A directory blob ("raw") sorts apart from its contents ("raw/..."), so its folder can come twice.
        Map<String, SourceItem> unique = new java.util.LinkedHashMap<>();
        items.forEach(i -> unique.putIfAbsent(i.externalId(), i));
        items = new ArrayList<>(unique.values());
        Optional<String> next = root.text("NextMarker");
        if (next.isPresent()) {
            return new CrawlPage(items, Optional.of(Checkpoint.of(new Crawl(null, state.containers(), next.get(), previous))));
        }
        return new CrawlPage(items, nextContainer(state));
    }

    private static Optional<Checkpoint> nextContainer(Crawl state) {
        List<String> rest = state.containers().subList(1, state.containers().size());
        return rest.isEmpty() ? Optional.empty() : Optional.of(Checkpoint.of(new Crawl(null, rest, null, null)));
    }

    /** A blob's name, percent-decoded when Azure marks it {@code Encoded="true"} (characters XML cannot carry). */
    private static String name(SafeXml.Node nameElement) {
        String text = nameElement.text();
        return "true".equalsIgnoreCase(nameElement.attributes().get("Encoded")) ? percentDecode(text) : text;
    }

    /** The folders {@code name} is in that the listing (in name order) has not shown yet. */
    private static List<SourceItem> folders(String container, String name, String previous) {
        return KeyFolders.newPrefixes(name, Optional.ofNullable(previous)).stream()
                .map(prefix -> KeyFolders.folder(container, prefix, Optional.empty(),
                        Json.object().put("container", container).put("prefix", prefix)))
                .toList();
    }

    private static SourceItem file(URI base, String container, String name, SafeXml.Node properties) {
        int slash = name.lastIndexOf('/');
        String fileName = name.substring(slash + 1);
        String parent = slash < 0 ? container : container + "/" + name.substring(0, slash + 1);
        Optional<String> etag = properties.text("Etag").map(AzureBlobConnector::unquote);
        Optional<String> contentType = properties.text("Content-Type");
        OptionalLong size = properties.text("Content-Length").map(s -> {
            try {
                return OptionalLong.of(Long.parseLong(s));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }).orElse(OptionalLong.empty());
        Optional<String> format = FileFormat.fromFileName(fileName).map(Enum::name)
                .or(() -> contentType.flatMap(FormatSniffer::fromMimeType).map(Enum::name));
        ObjectNode metadata = Json.object().put("container", container).put("blob", name);
        contentType.ifPresent(t -> metadata.put("content_type", t));
        properties.text("BlobType").ifPresent(t -> metadata.put("blob_type", t));
        properties.text("AccessTier").ifPresent(t -> metadata.put("access_tier", t));
        etag.ifPresent(e -> metadata.put("etag", e));
        return new SourceItem(container + "/" + name, Optional.of(parent), container, fileName, ItemTypes.FILE, true,
                false, format, Optional.of(blobUri(base, container, name).toString()), etag, size,
                properties.text("Creation-Time").flatMap(AzureBlobConnector::instant),
                properties.text("Last-Modified").flatMap(AzureBlobConnector::instant), metadata);
    }

    /** The account's Blob endpoint, from the name the connect step stored. */
    private URI base(DataSource dataSource) throws SyncFailure {
        String account = dataSource.metadata().path("account_name").asText(dataSource.externalId())
                .strip().toLowerCase(Locale.ROOT);
        if (!ACCOUNT.matcher(account).matches()) {
            throw new SyncFailure.Config("The data source has no valid storage account name; reconnect it");
        }
        String url = endpoints.azureBlob().replace("{account}", account);
        return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    private static URI blobUri(URI base, String container, String blob) {
        StringBuilder uri = new StringBuilder(base.toString()).append('/').append(encode(container));
        for (String segment : blob.split("/", -1)) {
            uri.append('/').append(encode(segment));
        }
        return URI.create(uri.toString());
    }

    /** Percent-encoding with only {@code A-Z a-z 0-9 - _ . ~} bare (so {@code +} and {@code /} are encoded). */
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

    private static String percentDecode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && Character.digit(text.charAt(i + 1), 16) >= 0
                    && Character.digit(text.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static SafeXml.Node parse(ProviderResponse r, String what) throws SyncFailure {
        try {
            SafeXml.Node root = SafeXml.parse(r.body());
            if (root.name().equals("EnumerationResults")) {
                return root;
            }
        } catch (XMLStreamException e) {
            // reported below
        }
        throw new SyncFailure.Transient("Azure Blob Storage answered something that is not " + what
                + " (HTTP " + r.status() + ")");
    }

    /** A refusal: a key Azure does not accept ends the grant; a missing permission is for the user to fix. */
    private static SyncFailure failure(ProviderResponse r, String what) {
        AzureError error = AzureError.of(r);
        if (r.status() == 403 && error.code().equals("AuthenticationFailed")) {
            if (error.detail().startsWith("Request date header too old")) {
                return new SyncFailure.Transient("Azure refused to " + what + " because this server's clock is off by"
                        + " more than 15 minutes");
            }
            return new SyncFailure.Auth("Azure Blob Storage did not accept the stored account key when asked to "
                    + what + "; reconnect the data source with a valid key");
        }
        if (r.status() == 403) {
            return new SyncFailure.Config("The account key may not " + what + error.suffix());
        }
        return new SyncFailure.Config("Azure Blob Storage answered HTTP " + r.status() + " when asked to " + what
                + error.suffix());
    }

    /** Azure's error: the code (from {@code x-ms-error-code} or the XML), message and authentication detail. */
    private record AzureError(String code, String message, String detail) {
        static final AzureError NONE = new AzureError("", "", "");

        static AzureError of(ProviderResponse r) {
            String code = r.header("x-ms-error-code").orElse("");
            String message = "";
            String detail = "";
            if (r.body().length > 0) {
                try {
                    SafeXml.Node root = SafeXml.parse(r.body());
                    if (root.name().equals("Error")) {
                        if (code.isEmpty()) {
                            code = root.text("Code").orElse("");
                        }
                        // The message's later lines are the request id and time.
                        message = root.text("Message").map(m -> m.lines().findFirst().orElse("")).orElse("");
                        detail = root.text("AuthenticationErrorDetail").orElse("");
                    }
                } catch (XMLStreamException e) {
                    // not Azure's error body (a proxy, a HEAD): the code header is all there is
                }
            }
            if (message.length() > 300) {
                message = message.substring(0, 300) + "…";
            }
            return new AzureError(code, message, detail);
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
            return Optional.of(ZonedDateTime.parse(text, RFC_1123).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
