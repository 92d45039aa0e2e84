package io.catchment.connectors.gcs;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.catchment.connectors.googledrive.GoogleApis;
import io.catchment.http.ProviderRequest;
import io.catchment.http.ProviderResponse;
import io.catchment.http.RateLimitSignal;
import io.catchment.http.SyncFailure;
import io.catchment.ingest.FileFormat;
import io.catchment.ingest.FormatSniffer;
import io.catchment.json.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import io.catchment.connectors.objectstore.KeyFolders;
import io.catchment.connectors.objectstore.ObjectLocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import static io.catchment.connectors.googledrive.GoogleApis.encode;
import static io.catchment.connectors.googledrive.GoogleApis.query;

/**
 * Google Cloud Storage (JSON API v1) with the user's OAuth token: every bucket of every ACTIVE
 * project the user can see (projects from Cloud Resource Manager v1, or the single
 * {@code project_id} stored in the data source's metadata), and every object in them. See this
 * package's README.
 *
 * <p>Items: buckets (itemType {@code BUCKET}, their own root), folders synthesized from object
 * name prefixes ({@code "a/b/c.txt"} gives FOLDERs {@code bucket/a/} and {@code bucket/a/b/}),
 * and objects ({@code externalId = bucket/name}, {@code version} = generation). Zero-byte
 * "folder placeholder" objects ending in {@code /} are folders, not files. GCS has no change feed:
 * {@link #changeCursor} is empty and the engine re-crawls and compares generations.
 */
public final class GcsConnector implements Connector {
    public static final String DEFAULT_RESOURCE_MANAGER = "https://cloudresourcemanager.googleapis.com/v1";
    /** Item type of a bucket. */
    public static final String BUCKET = "BUCKET";
    /** Data source metadata key: when set, only this project's buckets are listed (no Resource Manager call). */
    public static final String PROJECT_ID = "project_id";

    static final int PAGE_SIZE = 1000;
    private static final String OBJECT_FIELDS = "nextPageToken,items(name,bucket,generation,size,contentType,"
            + "timeCreated,updated)";

    /**
     * Where a crawl stands. {@code stage}: {@code projects} (listing projects, collected in
     * {@code projects}), {@code buckets} (listing the first of {@code projects}; names collected in
     * {@code buckets}) or {@code objects} (listing the first of {@code buckets}). {@code lastName}:
     * the last object name of the bucket under way, so folders are not reported twice across pages.
     */
    record Crawl(String stage, String pageToken, List<String> projects, List<String> buckets, String lastName) {
        Crawl {
            projects = projects == null ? List.of() : List.copyOf(projects);
            buckets = buckets == null ? List.of() : List.copyOf(buckets);
        }
    }

    private final String resourceManager;

    /** With Resource Manager at its public address ({@value #DEFAULT_RESOURCE_MANAGER}). */
    public GcsConnector() {
        this(DEFAULT_RESOURCE_MANAGER);
    }

    /**
     * @param resourceManagerBase Cloud Resource Manager v1's base URL (projects are listed at
     *     {@code <base>/projects}); tests give their fake's. The Storage API base comes with each
     *     {@link Connection} ({@code https://storage.googleapis.com/storage/v1}).
     */
    public GcsConnector(String resourceManagerBase) {
        String base = Objects.requireNonNull(resourceManagerBase, "resourceManagerBase");
        this.resourceManager = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    @Override
    public DataSourceType type() {
        return DataSourceType.GOOGLE_CLOUD_STORAGE;
    }

    @Override
    public RateLimitSignal rateLimits() {
        return GoogleApis.rateLimits();
    }

    // ---- crawl ----

    @Override
    public CrawlPage crawl(Connection c, Optional<Checkpoint> from) throws SyncFailure {
        Crawl at;
        if (from.isPresent()) {
            at = from.get().as(Crawl.class);
        } else {
            Optional<String> project = configuredProject(c);
            at = project.isPresent() ? new Crawl("buckets", null, List.of(project.get()), List.of(), null)
                    : new Crawl("projects", null, List.of(), List.of(), null);
        }
        return switch (at.stage()) {
            case "projects" -> crawlProjects(c, at);
            case "buckets" -> crawlBuckets(c, at);
            case "objects" -> crawlObjects(c, at);
            default -> throw new IllegalStateException("unknown Cloud Storage crawl stage " + at.stage());
        };
    }

    private static Optional<String> configuredProject(Connection c) {
        String project = c.dataSource().metadata().path(PROJECT_ID).asText("").strip();
        return project.isEmpty() ? Optional.empty() : Optional.of(project);
    }

    private CrawlPage crawlProjects(Connection c, Crawl at) throws SyncFailure {
        ProviderResponse r = c.http().send(ProviderRequest.get(resourceManager + "/projects"
                + query("pageToken", at.pageToken())));
        if (!r.ok()) {
            throw new SyncFailure.Config("Google Cloud Resource Manager refused to list projects (HTTP " + r.status()
                    + "): " + GoogleApis.message(r) + ". The connection needs a scope that can list projects, or a "
                    + PROJECT_ID + " in its metadata");
        }
        JsonNode body = r.json();
        List<String> projects = new ArrayList<>(at.projects());
        for (JsonNode p : body.path("projects")) {
            String id = text(p, "projectId");
            if (id != null && "ACTIVE".equals(text(p, "lifecycleState"))) projects.add(id);
        }
        String next = text(body, "nextPageToken");
        if (next != null) return page(List.of(), new Crawl("projects", next, projects, List.of(), null));
        if (projects.isEmpty()) return new CrawlPage(List.of(), Optional.empty());
        return page(List.of(), new Crawl("buckets", null, projects, List.of(), null));
    }

    private CrawlPage crawlBuckets(Connection c, Crawl at) throws SyncFailure {
        String project = at.projects().getFirst();
        ProviderResponse r = c.http().send(ProviderRequest.get(base(c) + "/b" + query("project", project,
                "maxResults", String.valueOf(PAGE_SIZE), "pageToken", at.pageToken())));
        List<SourceItem> items = new ArrayList<>();
        List<String> buckets = new ArrayList<>(at.buckets());
        String next = null;
        if (r.ok()) {
            JsonNode body = r.json();
            for (JsonNode b : body.path("items")) {
                String name = text(b, "name");
                if (name == null) continue;
                items.add(bucketItem(name, b));
                buckets.add(name);
            }
            next = text(body, "nextPageToken");
        } else if (configuredProject(c).isPresent() || !(r.status() == 400 || r.status() == 403 || r.status() == 404)) {
            throw new SyncFailure.Config("Google Cloud Storage refused to list the buckets of project " + project
                    + " (HTTP " + r.status() + "): " + GoogleApis.message(r));
        }
        // else: a project from Resource Manager where this user may not list buckets; the others go on.
        if (next != null) return page(items, new Crawl("buckets", next, at.projects(), buckets, null));
        List<String> rest = at.projects().subList(1, at.projects().size());
        if (!rest.isEmpty()) return page(items, new Crawl("buckets", null, rest, buckets, null));
        if (buckets.isEmpty()) return new CrawlPage(items, Optional.empty());
        return page(items, new Crawl("objects", null, List.of(), buckets, null));
    }

    private CrawlPage crawlObjects(Connection c, Crawl at) throws SyncFailure {
        String bucket = at.buckets().getFirst();
        ProviderResponse r = c.http().send(ProviderRequest.get(base(c) + "/b/" + encode(bucket) + "/o"
                + query("maxResults", String.valueOf(PAGE_SIZE), "fields", OBJECT_FIELDS, "pageToken", at.pageToken())));
        if (r.status() == 404) return new CrawlPage(List.of(), nextBucket(at)); // deleted since it was listed
        if (!r.ok()) {
            throw new SyncFailure.Config("Google Cloud Storage refused to list the objects of bucket " + bucket
                    + " (HTTP " + r.status() + "): " + GoogleApis.message(r));
        }
        JsonNode body = r.json();
        List<SourceItem> items = new ArrayList<>();
        String last = at.lastName();
        for (JsonNode o : body.path("items")) {
            String name = text(o, "name");
            if (name == null) continue;
            for (String folder : KeyFolders.newPrefixes(name, Optional.ofNullable(last))) items.add(folderItem(bucket, folder));
            if (!name.endsWith("/")) items.add(objectItem(bucket, name, o));
            last = name;
        }
        String next = text(body, "nextPageToken");
        if (next != null) return page(items, new Crawl("objects", next, List.of(), at.buckets(), last));
        return new CrawlPage(items, nextBucket(at));
    }

    private static Optional<Checkpoint> nextBucket(Crawl at) {
        List<String> rest = at.buckets().subList(1, at.buckets().size());
        return rest.isEmpty() ? Optional.empty() : Optional.of(Checkpoint.of(new Crawl("objects", null, List.of(), rest, null)));
    }

    private static CrawlPage page(List<SourceItem> items, Crawl next) {
        return new CrawlPage(items, Optional.of(Checkpoint.of(next)));
    }

    // ---- no change feed ----

    // ---- fetch ----

    @Override
    public Fetched fetch(Connection c, SourceItem item, Path target) throws SyncFailure, ItemFailure {
        if (item.expandable()) throw ItemFailure.of("'" + item.name() + "' is a bucket or folder, not an object");
        ObjectLocation at = ObjectLocation.of(item, "bucket", "object_name", "a Cloud Storage object");
        String bucket = at.container();
        String name = at.key();
        ProviderResponse r = c.http().download(ProviderRequest.get(base(c) + "/b/" + encode(bucket) + "/o/" + encode(name)
                + query("alt", "media")), target);
        if (r.status() == 404) throw ItemFailure.gone("The object is no longer in bucket " + bucket);
        if (r.status() == 413) throw ItemFailure.of(r.text());
        if (!r.ok()) {
            throw ItemFailure.of("Google Cloud Storage refused the download (HTTP " + r.status() + "): " + GoogleApis.message(r));
        }
        String contentType = item.metadata().path("content_type").asText("");
        Optional<String> type = r.header("content-type").or(() -> contentType.isEmpty() ? Optional.empty() : Optional.of(contentType));
        return new Fetched(lastSegment(name), type);
    }

    // ---- items ----

    private static SourceItem bucketItem(String name, JsonNode b) {
        ObjectNode metadata = Json.object();
        metadata.put("bucket", name);
        if (text(b, "location") != null) metadata.put("location", text(b, "location"));
        return new SourceItem(name, Optional.empty(), name, name, BUCKET, true, true, Optional.empty(),
                Optional.of(consoleBrowser(name, "")), Optional.empty(), OptionalLong.empty(),
                instant(text(b, "timeCreated")), instant(text(b, "updated")), metadata);
    }

    /** {@code folder} ends in "/" ("a/b/"). */
    private static SourceItem folderItem(String bucket, String folder) {
        return KeyFolders.folder(bucket, folder, Optional.of(consoleBrowser(bucket, folder)),
                Json.object().put("bucket", bucket).put("prefix", folder));
    }

    private static SourceItem objectItem(String bucket, String name, JsonNode o) {
        int slash = name.lastIndexOf('/');
        Optional<String> parent = Optional.of(slash < 0 ? bucket : bucket + "/" + name.substring(0, slash + 1));
        String fileName = lastSegment(name);
        String contentType = o.path("contentType").asText("");
        ObjectNode metadata = Json.object();
        metadata.put("bucket", bucket);
        metadata.put("object_name", name);
        if (!contentType.isEmpty()) metadata.put("content_type", contentType);
        String generation = text(o, "generation");
        if (generation != null) metadata.put("generation", generation);
        OptionalLong size = OptionalLong.empty();
        String rawSize = text(o, "size");
        if (rawSize != null) {
            try {
                size = OptionalLong.of(Long.parseLong(rawSize));
            } catch (NumberFormatException ignored) {
                // GCS sends uint64 as a string; anything else is left out
            }
        }
        Optional<String> format = FileFormat.fromFileName(fileName)
                .or(() -> contentType.isEmpty() ? Optional.empty() : FormatSniffer.fromMimeType(contentType)).map(Enum::name);
        return new SourceItem(bucket + "/" + name, parent, bucket, fileName, ItemTypes.FILE, true, false, format,
                Optional.of("https://console.cloud.google.com/storage/browser/_details/" + encode(bucket) + "/"
                        + encodePath(name)),
                Optional.ofNullable(generation), size, instant(text(o, "timeCreated")), instant(text(o, "updated")), metadata);
    }

    private static String consoleBrowser(String bucket, String prefix) {
        return "https://console.cloud.google.com/storage/browser/" + encode(bucket) + (prefix.isEmpty() ? "" : "/" + encodePath(prefix));
    }

    /** Each segment percent-encoded, the slashes kept. */
    private static String encodePath(String name) {
        StringBuilder sb = new StringBuilder();
        String[] segments = name.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) sb.append('/');
            sb.append(encode(segments[i]));
        }
        return sb.toString();
    }

    private static String lastSegment(String name) {
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    // ---- plumbing ----

    private static String base(Connection c) {
        String api = c.api();
        return api.endsWith("/") ? api.substring(0, api.length() - 1) : api;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.isNull() && !v.asText().isEmpty() ? v.asText() : null;
    }

    private static Optional<Instant> instant(String rfc3339) {
        if (rfc3339 == null) return Optional.empty();
        try {
            return Optional.of(Instant.parse(rfc3339));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
