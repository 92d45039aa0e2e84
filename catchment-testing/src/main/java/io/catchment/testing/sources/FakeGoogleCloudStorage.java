package io.catchment.testing.sources;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.testing.models.RecordedRequest;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * Google Cloud Storage's JSON API (under {@code /storage/v1}, media also under
 * {@code /download/storage/v1}) and Cloud Resource Manager v1's project list (under {@code /v1}),
 * on one port, for one OAuth user.
 *
 * <ul>
 *   <li>{@code GET /v1/projects} ({@code pageSize}, {@code pageToken}, {@code filter} of the form
 *       {@code lifecycleState:ACTIVE}): {@code {projects: [{projectNumber, projectId,
 *       lifecycleState, name, createTime}], nextPageToken}}; a bad token is
 *       {@code 400 INVALID_ARGUMENT}; bad credentials get Resource Manager's 401 {@code UNAUTHENTICATED}.
 *   <li>{@code GET /storage/v1/b?project=} ({@code maxResults}, {@code pageToken}):
 *       {@code storage#buckets}; no project: {@code 400 required}; an unknown one:
 *       {@code 400 Unknown project id}; a project where listing is denied
 *       ({@link #denyBucketListing}): {@code 403 forbidden}.
 *   <li>{@code GET /storage/v1/b/{bucket}/o} ({@code prefix}, {@code delimiter}, {@code maxResults}
 *       (at most 1000), {@code pageToken}): {@code storage#objects} in lexicographic name order with
 *       {@code items}, {@code prefixes} and {@code nextPageToken}; a missing bucket is
 *       {@code 404 The specified bucket does not exist.}
 *   <li>{@code GET /storage/v1/b/{bucket}/o/{object}}: metadata, or the bytes with {@code alt=media};
 *       the object name must be percent-encoded as one path segment ({@code /} as {@code %2F}): a
 *       raw slash does not find it. {@code generation=} pins a generation. A missing object is
 *       {@code 404 No such object: bucket/name}.
 * </ul>
 * Objects carry generation (a microsecond timestamp, new on every write), metageneration, size as
 * a string, base64 md5Hash and crc32c, times in RFC 3339. Errors use Google's envelope
 * ({@code {"error": {"code", "message", "errors": [...]}}}). GCS has no change feed, so mutations
 * only change the bucket listing. Content is served as UTF-8 text. Where the exact wording of an
 * error is not documented (unknown project, bad page token) the fake uses the envelope with plain
 * wording.
 */
public final class FakeGoogleCloudStorage extends FakeGoogleApi {
    private static final String STORAGE = "/storage/v1";
    private static final String DOWNLOAD = "/download/storage/v1";

    private static final class Project {
        final String id;
        final String name;
        final long number;
        final String state;
        final Instant created;
        boolean bucketsDenied;

        Project(String id, String name, long number, String state, Instant created) {
            this.id = id;
            this.name = name;
            this.number = number;
            this.state = state;
            this.created = created;
        }
    }

    private static final class Bucket {
        final String name;
        final Project project;
        final Instant created;
        final NavigableMap<String, StoredObject> objects = new TreeMap<>();

        Bucket(String name, Project project, Instant created) {
            this.name = name;
            this.project = project;
            this.created = created;
        }
    }

    private record StoredObject(String name, byte[] content, String contentType, long generation, Instant created) {}

    private record PageState(String signature, String from) {}

    private final Clock clock;
    private final Map<String, Project> projects = new LinkedHashMap<>();
    private final Map<String, Bucket> buckets = new LinkedHashMap<>();
    private final Map<String, PageState> pageTokens = new HashMap<>();
    private long lastGeneration;
    private int maxPageSize = Integer.MAX_VALUE;

    /** @param validToken whether a bearer access token is valid (e.g. a fake OAuth server's {@code isValidAccessToken}) */
    public FakeGoogleCloudStorage(Predicate<String> validToken) {
        this(validToken, Clock.systemUTC());
    }

    public FakeGoogleCloudStorage(Predicate<String> validToken, Clock clock) {
        super(validToken);
        this.clock = clock;
        get("/v1/projects", r -> bearerValid(r) ? listProjects(r) : resourceManagerUnauthenticated());
        get(STORAGE + "/b", r -> bearerValid(r) ? listBuckets(r) : storageInvalidCredentials());
        prefix("GET", STORAGE + "/b/", r -> bearerValid(r) ? bucketRoute(r, STORAGE) : storageInvalidCredentials());
        prefix("GET", DOWNLOAD + "/b/", r -> bearerValid(r) ? bucketRoute(r, DOWNLOAD) : storageInvalidCredentials());
    }

    /** {@code http://127.0.0.1:port/storage/v1}: the Storage API base to give the connector. */
    public URI apiBase() {
        return URI.create(baseUrl() + STORAGE);
    }

    /** {@code http://127.0.0.1:port/v1}: the Resource Manager base to give the connector. */
    public URI resourceManagerBase() {
        return URI.create(baseUrl() + "/v1");
    }

    // ---- state ----

    public synchronized void addProject(String projectId, String name) {
        addProject(projectId, name, "ACTIVE");
    }

    /** @param lifecycleState ACTIVE, DELETE_REQUESTED or DELETE_IN_PROGRESS */
    public synchronized void addProject(String projectId, String name, String lifecycleState) {
        projects.put(projectId, new Project(projectId, name, 100000000000L + projects.size() + 1, lifecycleState, now()));
    }

    /** From now on {@code GET /b?project=<projectId>} answers 403 (the user lacks storage.buckets.list there). */
    public synchronized void denyBucketListing(String projectId) {
        project(projectId).bucketsDenied = true;
    }

    public synchronized void addBucket(String projectId, String bucket) {
        if (buckets.containsKey(bucket)) throw new IllegalArgumentException("bucket names are global: " + bucket);
        buckets.put(bucket, new Bucket(bucket, project(projectId), now()));
    }

    /** Removes a bucket with everything in it. */
    public synchronized void deleteBucket(String bucket) {
        bucket(bucket);
        buckets.remove(bucket);
    }

    /** Writes an object (a new generation if it exists); returns the generation. */
    public synchronized long addFile(String bucket, String name, byte[] content, String contentType) {
        Bucket b = bucket(bucket);
        StoredObject old = b.objects.get(name);
        StoredObject o = new StoredObject(name, content.clone(), contentType, nextGeneration(),
                old == null ? now() : old.created());
        b.objects.put(name, o);
        return o.generation();
    }

    public synchronized long addFile(String bucket, String name, String text) {
        return addFile(bucket, name, text.getBytes(StandardCharsets.UTF_8), "text/plain");
    }

    /** A zero-byte folder placeholder object {@code prefix/} (what the console's "Create folder" makes). */
    public synchronized long addFolder(String bucket, String prefix) {
        String name = prefix.endsWith("/") ? prefix : prefix + "/";
        return addFile(bucket, name, new byte[0], "application/x-www-form-urlencoded;charset=UTF-8");
    }

    /**
     * {@code count} text objects {@code <dir><namePrefix><i>.txt}, where {@code parent} is a bucket
     * name or {@code bucket/dir/}; returns the object names in order.
     */
    public synchronized List<String> addFiles(String parent, int count, String namePrefix) {
        int slash = parent.indexOf('/');
        String bucket = slash < 0 ? parent : parent.substring(0, slash);
        String dir = slash < 0 ? "" : parent.substring(slash + 1);
        if (!dir.isEmpty() && !dir.endsWith("/")) dir += "/";
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = dir + namePrefix + i + ".txt";
            addFile(bucket, name, "content of " + name);
            names.add(name);
        }
        return names;
    }

    /** New content: a new generation. */
    public synchronized long editContent(String bucket, String name, String text) {
        object(bucket, name);
        StoredObject old = bucket(bucket).objects.get(name);
        return addFile(bucket, name, text.getBytes(StandardCharsets.UTF_8), old.contentType());
    }

    /** A rename (or move) is a copy to the new name plus a delete, as in GCS; returns the new generation. */
    public synchronized long rename(String bucket, String from, String to) {
        StoredObject o = object(bucket, from);
        bucket(bucket).objects.remove(from);
        return addFile(bucket, to, o.content(), o.contentType());
    }

    public synchronized void delete(String bucket, String name) {
        object(bucket, name);
        bucket(bucket).objects.remove(name);
    }

    /** Pages hold at most {@code max} entries whatever the request asks. */
    public synchronized void limitPageSize(int max) {
        maxPageSize = max;
    }

    public synchronized boolean exists(String bucket, String name) {
        Bucket b = buckets.get(bucket);
        return b != null && b.objects.containsKey(name);
    }

    public synchronized long generation(String bucket, String name) {
        return object(bucket, name).generation();
    }

    public synchronized byte[] content(String bucket, String name) {
        return object(bucket, name).content().clone();
    }

    // ---- internals ----

    private Instant now() {
        return millis(clock.instant());
    }

    private long nextGeneration() {
        Instant t = clock.instant();
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, t);
        lastGeneration = Math.max(lastGeneration + 1, micros);
        return lastGeneration;
    }

    private Project project(String id) {
        Project p = projects.get(id);
        if (p == null) throw new IllegalArgumentException("no project " + id);
        return p;
    }

    private Bucket bucket(String name) {
        Bucket b = buckets.get(name);
        if (b == null) throw new IllegalArgumentException("no bucket " + name);
        return b;
    }

    private StoredObject object(String bucket, String name) {
        StoredObject o = bucket(bucket).objects.get(name);
        if (o == null) throw new IllegalArgumentException("no object " + bucket + "/" + name);
        return o;
    }

    /** Percent-encodes an object name as one path segment (everything but unreserved characters). */
    private static String encodeSegment(String text) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append(String.format(Locale.ROOT, "%%%02X", b & 0xff));
            }
        }
        return sb.toString();
    }

    private static Reply storageError(int code, String message, String reason) {
        return error(code, message, "global", reason, null, null, null);
    }

    private static Reply resourceManagerUnauthenticated() {
        return Reply.json(401, Map.of("error", Map.of("code", 401, "message",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other"
                        + " valid authentication credential. See"
                        + " https://developers.google.com/identity/sign-in/web/devconsole-project.",
                "status", "UNAUTHENTICATED")))
                .withHeader("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
    }

    private static Reply invalidArgument() {
        return Reply.json(400, Map.of("error", Map.of("code", 400, "message", "Request contains an invalid argument.",
                "status", "INVALID_ARGUMENT")));
    }

    private String newPageToken(String signature, String from) {
        String token = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        pageTokens.put(token, new PageState(signature, from));
        return token;
    }

    private ObjectNode bucketJson(Bucket b) {
        ObjectNode j = JSON.createObjectNode();
        j.put("kind", "storage#bucket");
        j.put("selfLink", baseUrl() + STORAGE + "/b/" + b.name);
        j.put("id", b.name);
        j.put("name", b.name);
        j.put("projectNumber", String.valueOf(b.project.number));
        j.put("metageneration", "1");
        j.put("location", "US");
        j.put("storageClass", "STANDARD");
        j.put("etag", "CAE=");
        j.put("timeCreated", time(b.created));
        j.put("updated", time(b.created));
        j.put("locationType", "multi-region");
        return j;
    }

    private ObjectNode objectJson(Bucket b, StoredObject o) {
        String enc = encodeSegment(o.name());
        ObjectNode j = JSON.createObjectNode();
        j.put("kind", "storage#object");
        j.put("id", b.name + "/" + o.name() + "/" + o.generation());
        j.put("selfLink", baseUrl() + STORAGE + "/b/" + b.name + "/o/" + enc);
        j.put("mediaLink", baseUrl() + DOWNLOAD + "/b/" + b.name + "/o/" + enc + "?generation=" + o.generation()
                + "&alt=media");
        j.put("name", o.name());
        j.put("bucket", b.name);
        j.put("generation", String.valueOf(o.generation()));
        j.put("metageneration", "1");
        j.put("contentType", o.contentType());
        j.put("storageClass", "STANDARD");
        j.put("size", String.valueOf(o.content().length));
        j.put("md5Hash", md5(o.content()));
        j.put("crc32c", crc32c(o.content()));
        j.put("etag", Base64.getEncoder().encodeToString(ByteBuffer.allocate(8).putLong(o.generation()).array()));
        j.put("timeCreated", time(o.created()));
        j.put("updated", time(Instant.EPOCH.plus(o.generation(), ChronoUnit.MICROS).truncatedTo(ChronoUnit.MILLIS)));
        j.put("timeStorageClassUpdated", time(o.created()));
        return j;
    }

    private static String md5(byte[] content) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String crc32c(byte[] content) {
        CRC32C crc = new CRC32C();
        crc.update(content);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    // ---- routes ----

    private synchronized Reply listProjects(RecordedRequest request) {
        Map<String, String> p = params(request);
        Optional<Integer> size = pageSize(p.get("pageSize"), 500, 1000);
        if (size.isEmpty()) return invalidArgument();
        String filter = p.getOrDefault("filter", "");
        String state = null;
        if (!filter.isBlank()) {
            if (!filter.strip().startsWith("lifecycleState:")) return invalidArgument();
            state = filter.strip().substring("lifecycleState:".length());
        }
        String signature = "projects|" + filter;
        int offset = 0;
        String token = p.get("pageToken");
        if (token != null) {
            PageState s = pageTokens.get(token);
            if (s == null || !s.signature().equals(signature)) return invalidArgument();
            offset = Integer.parseInt(s.from());
        }
        String wanted = state;
        List<Project> all = projects.values().stream().filter(pr -> wanted == null || pr.state.equals(wanted)).toList();
        int end = Math.min(all.size(), offset + Math.min(size.get(), maxPageSize));
        ObjectNode body = JSON.createObjectNode();
        if (end > offset) {
            ArrayNode list = body.putArray("projects");
            for (Project pr : all.subList(offset, end)) {
                ObjectNode j = list.addObject();
                j.put("projectNumber", String.valueOf(pr.number));
                j.put("projectId", pr.id);
                j.put("lifecycleState", pr.state);
                j.put("name", pr.name);
                j.put("createTime", time(pr.created));
            }
        }
        if (end < all.size()) body.put("nextPageToken", newPageToken(signature, String.valueOf(end)));
        return Reply.json(200, body);
    }

    private synchronized Reply listBuckets(RecordedRequest request) {
        Map<String, String> p = params(request);
        String projectId = p.get("project");
        if (projectId == null || projectId.isBlank()) return storageError(400, "Required parameter: project", "required");
        Project project = projects.get(projectId);
        if (project == null) return storageError(400, "Unknown project id: " + projectId, "invalid");
        if (project.bucketsDenied) {
            return storageError(403, "drive-user@example.com does not have storage.buckets.list access to the Google"
                    + " Cloud project. Permission 'storage.buckets.list' denied on resource (or it may not exist).",
                    "forbidden");
        }
        Optional<Integer> size = maxResults(p.get("maxResults"));
        if (size.isEmpty()) return storageError(400, "Invalid argument.", "invalid");
        String signature = "buckets|" + projectId;
        int offset = 0;
        String token = p.get("pageToken");
        if (token != null) {
            PageState s = pageTokens.get(token);
            if (s == null || !s.signature().equals(signature)) return storageError(400, "Invalid page token.", "invalid");
            offset = Integer.parseInt(s.from());
        }
        List<Bucket> all = buckets.values().stream().filter(b -> b.project == project)
                .sorted(java.util.Comparator.comparing(b -> b.name)).toList();
        int end = Math.min(all.size(), offset + size.get());
        ObjectNode body = JSON.createObjectNode();
        body.put("kind", "storage#buckets");
        if (end < all.size()) body.put("nextPageToken", newPageToken(signature, String.valueOf(end)));
        if (end > offset) {
            ArrayNode items = body.putArray("items");
            for (Bucket b : all.subList(offset, end)) items.add(bucketJson(b));
        }
        return withFields(request, body);
    }

    /** GCS caps maxResults at 1000 rather than refusing more; zero, negative or non-numbers are refused. */
    private Optional<Integer> maxResults(String raw) {
        int n = 1000;
        if (raw != null) {
            try {
                n = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (n < 1) return Optional.empty();
        }
        return Optional.of(Math.min(Math.min(n, 1000), maxPageSize));
    }

    private synchronized Reply bucketRoute(RecordedRequest request, String base) {
        String rest = request.path().substring((base + "/b/").length());
        String[] parts = rest.split("/", 3);
        Bucket b = buckets.get(percentDecode(parts[0], false));
        boolean download = base.equals(DOWNLOAD);
        if (parts.length == 1 && !download) {
            if (b == null) return storageError(404, "The specified bucket does not exist.", "notFound");
            return Reply.json(200, bucketJson(b));
        }
        if (!parts[1].equals("o")) return Reply.json(404, Map.of("error", Map.of("code", 404, "message", "Not Found")));
        if (b == null) return storageError(404, "The specified bucket does not exist.", "notFound");
        if (parts.length == 2 && !download) return listObjects(request, b);
        if (parts.length != 3 || parts[2].isEmpty() || parts[2].contains("/")) {
            return Reply.json(404, Map.of("error", Map.of("code", 404, "message", "Not Found")));
        }
        String name = percentDecode(parts[2], false);
        Map<String, String> p = params(request);
        StoredObject o = b.objects.get(name);
        if (o != null && p.containsKey("generation") && !p.get("generation").equals(String.valueOf(o.generation()))) {
            o = null;
        }
        if (o == null) return storageError(404, "No such object: " + b.name + "/" + name, "notFound");
        if (download || "media".equals(p.get("alt"))) {
            return new Reply(200, Map.of("Content-Type", o.contentType(), "x-goog-generation", String.valueOf(o.generation()),
                    "x-goog-hash", "crc32c=" + crc32c(o.content()) + ",md5=" + md5(o.content())),
                    new String(o.content(), StandardCharsets.UTF_8));
        }
        return withFields(request, objectJson(b, o));
    }

    private Reply listObjects(RecordedRequest request, Bucket b) {
        Map<String, String> p = params(request);
        String prefix = p.getOrDefault("prefix", "");
        String delimiter = p.get("delimiter");
        if (delimiter != null && delimiter.isEmpty()) delimiter = null;
        Optional<Integer> size = maxResults(p.get("maxResults"));
        if (size.isEmpty()) return storageError(400, "Invalid argument.", "invalid");
        String signature = "objects|" + b.name + "|" + prefix + "|" + delimiter;
        String from = prefix;
        String token = p.get("pageToken");
        if (token != null) {
            PageState s = pageTokens.get(token);
            if (s == null || !s.signature().equals(signature)) return storageError(400, "Invalid page token.", "invalid");
            from = s.from();
        }
        ArrayNode items = JSON.createArrayNode();
        List<String> prefixes = new ArrayList<>();
        String next = null;
        String skipUnder = null;
        for (StoredObject o : b.objects.tailMap(from, true).values()) {
            String name = o.name();
            if (!name.startsWith(prefix)) break;
            if (skipUnder != null && name.startsWith(skipUnder)) continue;
            if (items.size() + prefixes.size() == size.get()) {
                next = name;
                break;
            }
            int cut = delimiter == null ? -1 : name.indexOf(delimiter, prefix.length());
            if (cut >= 0) {
                skipUnder = name.substring(0, cut + delimiter.length());
                prefixes.add(skipUnder);
            } else {
                items.add(objectJson(b, o));
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("kind", "storage#objects");
        if (next != null) body.put("nextPageToken", newPageToken(signature, next));
        if (!prefixes.isEmpty()) {
            ArrayNode list = body.putArray("prefixes");
            prefixes.forEach(list::add);
        }
        if (!items.isEmpty()) body.set("items", items);
        return withFields(request, body);
    }

    /** The body with the request's {@code fields} selector applied (GCS answers everything without one). */
    private static Reply withFields(RecordedRequest request, com.fasterxml.jackson.databind.JsonNode body) {
        String fields = params(request).get("fields");
        if (fields == null || fields.isBlank()) return Reply.json(200, body);
        return selectFields(body, fields).map(b -> Reply.json(200, b))
                .orElseGet(() -> storageError(400, "Invalid field selection " + fields, "invalidParameter"));
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return true; // each route checks the token and answers with its own API's 401 body
    }

    @Override
    protected Reply unauthorized() {
        return storageInvalidCredentials();
    }
}
