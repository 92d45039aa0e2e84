package io.catchment.testing.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.testing.models.RecordedRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google Drive API v3 for one user, under {@code /drive/v3}: My Drive, shared drives, folders,
 * binary files, Google Docs/Sheets/Slides (and other native types) with export content, shortcuts,
 * trash, and the change feed. Every mutation goes into the change feed.
 *
 * <p>Endpoints (Drive's parameter names, JSON field names and error envelope):
 * <ul>
 *   <li>{@code GET /files} with {@code q} (clauses joined by {@code and}: {@code trashed = true|false},
 *       {@code '<id>' in parents}, {@code mimeType =|!= '...'}, {@code name =|!= '...'}; anything else
 *       is {@code 400 Invalid Value} at {@code q}), {@code corpora} ({@code user}, {@code drive} with
 *       {@code driveId}, {@code allDrives}), {@code includeItemsFromAllDrives}, {@code pageSize}
 *       (1..1000, default 100), {@code pageToken} (opaque; unknown or issued for another query:
 *       {@code 400 Invalid Value} at {@code pageToken}) and {@code fields}; answers
 *       {@code drive#fileList} with {@code nextPageToken} and {@code incompleteSearch}.
 *   <li>{@code GET /files/{id}} (also {@code root}): metadata; with {@code alt=media} the bytes
 *       (native files and folders: {@code 403 fileNotDownloadable}). A shared-drive item without
 *       {@code supportsAllDrives=true} is {@code 404 File not found}, as on Drive.
 *   <li>{@code GET /files/{id}/export?mimeType=}: native files only ({@code 403 fileNotExportable}
 *       otherwise); an unsupported target is {@code 400 badRequest}; content above the export limit
 *       (10 MB unless {@link #exportSizeLimit}) is {@code 403 exportSizeLimitExceeded}. Every
 *       supported target gets the file's stored export text.
 *   <li>{@code GET /drives} ({@code pageSize} 1..100, default 10) and {@code GET /drives/{id}}.
 *   <li>{@code GET /changes/startPageToken} and {@code GET /changes} ({@code pageToken} required,
 *       {@code pageSize} 1..1000 default 100, {@code includeRemoved}, {@code includeItemsFromAllDrives}):
 *       the latest state of each changed file or shared drive since the token, once each, oldest
 *       first; a page carries either {@code nextPageToken} (more now) or {@code newStartPageToken}
 *       (caught up). A token that was never issued, or one older than {@link #expireChangeTokens},
 *       is {@code 400 Invalid Value} at {@code pageToken}.
 *   <li>{@code GET /about} ({@code fields} required, as on Drive).
 * </ul>
 * {@code fields} selectors are applied ({@code nextPageToken,files(id,name)}); without one the
 * answer has Drive's defaults ({@code kind,id,name,mimeType} for files). Authentication is
 * {@code Authorization: Bearer <token>} checked with the predicate; anything else gets Drive's
 * 401 {@code authError} body. Rate limits are scripted with {@link #failNext} and
 * {@link #rateLimitReply}.
 *
 * <p>Content is served as UTF-8 text (the base fake's replies are strings), so tests use text
 * content. Where Drive's exact wording is not documented (the corpora/driveId checks) the fake
 * uses the documented envelope with plain wording.
 */
public final class FakeGoogleDrive extends FakeGoogleApi {
    public static final String FOLDER = "application/vnd.google-apps.folder";
    public static final String DOCUMENT = "application/vnd.google-apps.document";
    public static final String SPREADSHEET = "application/vnd.google-apps.spreadsheet";
    public static final String PRESENTATION = "application/vnd.google-apps.presentation";
    public static final String DRAWING = "application/vnd.google-apps.drawing";
    public static final String FORM = "application/vnd.google-apps.form";
    public static final String SHORTCUT = "application/vnd.google-apps.shortcut";

    private static final String BASE = "/drive/v3";
    private static final String NATIVE_PREFIX = "application/vnd.google-apps.";
    private static final Map<String, Set<String>> EXPORTS = Map.of(
            DOCUMENT, Set.of("text/plain", "text/html", "application/pdf", "application/rtf", "text/markdown",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "application/vnd.oasis.opendocument.text", "application/epub+zip", "application/zip"),
            SPREADSHEET, Set.of("text/csv", "text/tab-separated-values", "application/pdf", "application/zip",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "application/x-vnd.oasis.opendocument.spreadsheet"),
            PRESENTATION, Set.of("text/plain", "application/pdf",
                    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                    "application/vnd.oasis.opendocument.presentation"),
            DRAWING, Set.of("image/png", "image/jpeg", "image/svg+xml", "application/pdf"));
    private static final String FILES_DEFAULT = "kind,nextPageToken,incompleteSearch,files(kind,id,name,mimeType)";
    private static final String FILE_DEFAULT = "kind,id,name,mimeType";
    private static final String CHANGES_DEFAULT = "kind,nextPageToken,newStartPageToken,"
            + "changes(kind,changeType,time,removed,fileId,driveId,file(kind,id,name,mimeType),drive(kind,id,name))";

    private static final class Node {
        final String id;
        final String mimeType;
        final Instant created;
        String name;
        String parent;
        String driveId;
        byte[] content;
        long version = 1;
        Instant modified;
        boolean trashed;
        boolean explicitlyTrashed;
        String shortcutTarget;

        Node(String id, String name, String mimeType, Instant created) {
            this.id = id;
            this.name = name;
            this.mimeType = mimeType;
            this.created = created;
            this.modified = created;
        }

        boolean binary() {
            return !mimeType.startsWith(NATIVE_PREFIX);
        }
    }

    private static final class SharedDrive {
        final String id;
        final Instant created;
        String name;

        SharedDrive(String id, String name, Instant created) {
            this.id = id;
            this.name = name;
            this.created = created;
        }
    }

    private record Change(String key, boolean drive, String id, Instant time) {}

    private record PageState(String signature, int offset) {}

    private final Clock clock;
    private final String myDriveId = "0AFakeMyDriveRootUk9PVA";
    private final Instant rootCreated;
    private final Map<String, Node> files = new LinkedHashMap<>();
    private final Map<String, SharedDrive> drives = new LinkedHashMap<>();
    private final List<Change> log = new ArrayList<>();
    private final Map<String, Integer> lastChange = new HashMap<>();
    private final Map<String, PageState> pageTokens = new HashMap<>();
    private int tokenFloor = 1;
    private long ids;
    private int maxPageSize = Integer.MAX_VALUE;
    private long exportLimit = 10L * 1024 * 1024;
    private boolean incompleteAllDrives;

    /** @param validToken whether a bearer access token is valid (e.g. a fake OAuth server's {@code isValidAccessToken}) */
    public FakeGoogleDrive(Predicate<String> validToken) {
        this(validToken, Clock.systemUTC());
    }

    public FakeGoogleDrive(Predicate<String> validToken, Clock clock) {
        super(validToken);
        this.clock = clock;
        this.rootCreated = now();
        get(BASE + "/about", this::about);
        get(BASE + "/files", this::listFiles);
        prefix("GET", BASE + "/files/", this::fileRoute);
        get(BASE + "/drives", this::listDrives);
        prefix("GET", BASE + "/drives/", this::getDrive);
        get(BASE + "/changes/startPageToken", this::startPageToken);
        get(BASE + "/changes", this::listChanges);
    }

    /** {@code http://127.0.0.1:port/drive/v3}: the API base to give the connector. */
    public URI apiBase() {
        return URI.create(baseUrl() + BASE);
    }

    /** The id of the user's My Drive root folder (what {@code GET /files/root} answers). */
    public String myDriveId() {
        return myDriveId;
    }

    // ---- tree mutations (each recorded in the change feed) ----

    /** A new shared drive the user is a member of; its id is also its root folder's id. */
    public synchronized String addSharedDrive(String name) {
        String id = String.format(Locale.ROOT, "0AFakeDrive%05dUk9PVA", ++ids);
        drives.put(id, new SharedDrive(id, name, now()));
        record("drive:" + id, true, id);
        return id;
    }

    public synchronized void renameSharedDrive(String driveId, String name) {
        sharedDrive(driveId).name = name;
        record("drive:" + driveId, true, driveId);
    }

    /** Deletes an empty shared drive (Drive refuses to delete one that still has items). */
    public synchronized void deleteSharedDrive(String driveId) {
        sharedDrive(driveId);
        if (files.values().stream().anyMatch(n -> driveId.equals(n.driveId))) {
            throw new IllegalStateException("shared drive " + driveId + " is not empty");
        }
        drives.remove(driveId);
        record("drive:" + driveId, true, driveId);
    }

    /** @param parentId {@link #myDriveId()}, a shared drive id or a folder id */
    public synchronized String addFolder(String parentId, String name) {
        return add(parentId, name, FOLDER, null);
    }

    public synchronized String addFile(String parentId, String name, String mimeType, byte[] content) {
        if (mimeType.startsWith(NATIVE_PREFIX)) throw new IllegalArgumentException("use addGoogleFile for " + mimeType);
        return add(parentId, name, mimeType, content);
    }

    /** A binary file with text content; its MIME type comes from the extension (text/plain otherwise). */
    public synchronized String addFile(String parentId, String name, String text) {
        return addFile(parentId, name, mimeFor(name), text.getBytes(StandardCharsets.UTF_8));
    }

    /** A Google Doc whose exports contain {@code text}. */
    public synchronized String addGoogleDoc(String parentId, String name, String text) {
        return addGoogleFile(parentId, name, DOCUMENT, text);
    }

    /** A Google Sheet whose exports (text/csv, ...) contain {@code csv}. */
    public synchronized String addGoogleSheet(String parentId, String name, String csv) {
        return addGoogleFile(parentId, name, SPREADSHEET, csv);
    }

    public synchronized String addGoogleSlides(String parentId, String name, String text) {
        return addGoogleFile(parentId, name, PRESENTATION, text);
    }

    /** Any native type ({@link #DRAWING}, {@link #FORM}, ...) with the text its exports give. */
    public synchronized String addGoogleFile(String parentId, String name, String nativeMimeType, String exportText) {
        if (!nativeMimeType.startsWith(NATIVE_PREFIX) || nativeMimeType.equals(FOLDER) || nativeMimeType.equals(SHORTCUT)) {
            throw new IllegalArgumentException("not a Docs Editors type: " + nativeMimeType);
        }
        return add(parentId, name, nativeMimeType, exportText.getBytes(StandardCharsets.UTF_8));
    }

    public synchronized String addShortcut(String parentId, String name, String targetId) {
        Node target = node(targetId);
        String id = add(parentId, name, SHORTCUT, null);
        files.get(id).shortcutTarget = target.id;
        return id;
    }

    /** A file someone else owns and shared with the user: listed in the user corpus, with no parent the user can see. */
    public synchronized String addSharedWithMe(String name, String text) {
        String id = newFileId();
        Node n = new Node(id, name, mimeFor(name), now());
        n.content = text.getBytes(StandardCharsets.UTF_8);
        files.put(id, n);
        record("file:" + id, false, id);
        return id;
    }

    /** {@code count} text files {@code <namePrefix><i>.txt} (i from 0) under {@code parentId}; their ids in order. */
    public synchronized List<String> addFiles(String parentId, int count, String namePrefix) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = namePrefix + i + ".txt";
            out.add(add(parentId, name, "text/plain", ("content of " + name).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** New content (for native files: new export text): new md5Checksum, size, version and modifiedTime. */
    public synchronized void editContent(String id, byte[] content) {
        Node n = node(id);
        if (n.mimeType.equals(FOLDER) || n.mimeType.equals(SHORTCUT)) throw new IllegalArgumentException(id + " has no content");
        n.content = content.clone();
        touch(n);
    }

    public synchronized void editContent(String id, String text) {
        editContent(id, text.getBytes(StandardCharsets.UTF_8));
    }

    public synchronized void rename(String id, String name) {
        Node n = node(id);
        n.name = name;
        touch(n);
    }

    /** Moves a file or folder; moving into or out of a shared drive changes the driveId of everything below. */
    public synchronized void move(String id, String newParentId) {
        Node n = node(id);
        String newDrive = driveOf(newParentId);
        if (id.equals(newParentId) || ancestors(newParentId).contains(id)) throw new IllegalArgumentException("cycle");
        boolean driveChanged = !java.util.Objects.equals(newDrive, n.driveId);
        n.parent = newParentId;
        n.driveId = newDrive;
        touch(n);
        if (driveChanged) {
            for (Node d : descendants(id)) {
                d.driveId = newDrive;
                touch(d);
            }
        }
    }

    /** Moves to the trash (with everything below, which Drive marks trashed but not explicitly trashed). */
    public synchronized void trash(String id) {
        Node n = node(id);
        n.trashed = true;
        n.explicitlyTrashed = true;
        touch(n);
        for (Node d : descendants(id)) {
            if (!d.trashed) {
                d.trashed = true;
                touch(d);
            }
        }
    }

    public synchronized void untrash(String id) {
        Node n = node(id);
        n.trashed = false;
        n.explicitlyTrashed = false;
        touch(n);
        for (Node d : descendants(id)) {
            if (d.trashed && !d.explicitlyTrashed) {
                d.trashed = false;
                touch(d);
            }
        }
    }

    /** Deletes permanently (a folder with everything below): the change feed reports {@code removed: true}. */
    public synchronized void delete(String id) {
        node(id);
        List<Node> gone = new ArrayList<>(descendants(id));
        gone.addFirst(files.get(id));
        for (Node d : gone) {
            files.remove(d.id);
            record("file:" + d.id, false, d.id);
        }
    }

    // ---- knobs ----

    /** Change tokens issued so far stop working (as if too old); new ones are accepted. */
    public synchronized void expireChangeTokens() {
        tokenFloor = log.size() + 1;
    }

    /** Pages hold at most {@code max} items whatever {@code pageSize} asks (Drive may return fewer than asked). */
    public synchronized void limitPageSize(int max) {
        maxPageSize = max;
    }

    /** Exports larger than this are refused with {@code 403 exportSizeLimitExceeded} (default 10 MB). */
    public synchronized void exportSizeLimit(long bytes) {
        exportLimit = bytes;
    }

    /**
     * While on, {@code corpora=allDrives} listings leave out shared-drive items and say
     * {@code incompleteSearch: true}, as Drive does when it could not search every corpus.
     */
    public synchronized void simulateIncompleteSearch(boolean on) {
        incompleteAllDrives = on;
    }

    // ---- views for tests ----

    public synchronized boolean exists(String id) {
        return files.containsKey(id);
    }

    public synchronized byte[] content(String id) {
        return node(id).content.clone();
    }

    /** The version Drive reports for the file now. */
    public synchronized long version(String id) {
        return node(id).version;
    }

    /** The change feed's current start token (what {@code GET /changes/startPageToken} answers). */
    public synchronized String startPageToken() {
        return String.valueOf(log.size() + 1);
    }

    // ---- internals ----

    private Instant now() {
        return millis(clock.instant());
    }

    private String newFileId() {
        return String.format(Locale.ROOT, "1FakeFile%07dQz8Lw", ++ids);
    }

    private String add(String parentId, String name, String mimeType, byte[] content) {
        String drive = driveOf(parentId);
        String id = newFileId();
        Node n = new Node(id, name, mimeType, now());
        n.parent = parentId;
        n.driveId = drive;
        n.content = content;
        files.put(id, n);
        record("file:" + id, false, id);
        return id;
    }

    private void touch(Node n) {
        n.version++;
        n.modified = now();
        record("file:" + n.id, false, n.id);
    }

    private void record(String key, boolean drive, String id) {
        log.add(new Change(key, drive, id, now()));
        lastChange.put(key, log.size());
    }

    /** The drive a new child of {@code parentId} belongs to (null: My Drive). */
    private String driveOf(String parentId) {
        if (parentId.equals(myDriveId)) return null;
        if (drives.containsKey(parentId)) return parentId;
        Node parent = files.get(parentId);
        if (parent == null || !parent.mimeType.equals(FOLDER)) {
            throw new IllegalArgumentException("no folder, shared drive or My Drive with id " + parentId);
        }
        return parent.driveId;
    }

    private List<String> ancestors(String id) {
        List<String> out = new ArrayList<>();
        Node n = files.get(id);
        while (n != null && n.parent != null) {
            out.add(n.parent);
            n = files.get(n.parent);
        }
        return out;
    }

    private List<Node> descendants(String id) {
        List<Node> out = new ArrayList<>();
        for (Node n : files.values()) {
            if (ancestors(n.id).contains(id)) out.add(n);
        }
        return out;
    }

    private Node node(String id) {
        Node n = files.get(id);
        if (n == null) throw new IllegalArgumentException("no file " + id);
        return n;
    }

    private SharedDrive sharedDrive(String id) {
        SharedDrive d = drives.get(id);
        if (d == null) throw new IllegalArgumentException("no shared drive " + id);
        return d;
    }

    private static String mimeFor(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".csv")) return "text/csv";
        if (lower.endsWith(".md")) return "text/markdown";
        if (lower.endsWith(".html") || lower.endsWith(".htm")) return "text/html";
        if (lower.endsWith(".json")) return "application/json";
        if (lower.endsWith(".pdf")) return "application/pdf";
        if (lower.endsWith(".docx")) return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        return "text/plain";
    }

    private static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String webViewLink(String id, String mimeType) {
        return switch (mimeType) {
            case FOLDER -> "https://drive.google.com/drive/folders/" + id;
            case DOCUMENT -> "https://docs.google.com/document/d/" + id + "/edit?usp=drivesdk";
            case SPREADSHEET -> "https://docs.google.com/spreadsheets/d/" + id + "/edit?usp=drivesdk";
            case PRESENTATION -> "https://docs.google.com/presentation/d/" + id + "/edit?usp=drivesdk";
            case DRAWING -> "https://docs.google.com/drawings/d/" + id + "/edit?usp=drivesdk";
            case FORM -> "https://docs.google.com/forms/d/" + id + "/edit?usp=drivesdk";
            default -> "https://drive.google.com/file/d/" + id + "/view?usp=drivesdk";
        };
    }

    private ObjectNode fileJson(Node n) {
        ObjectNode f = JSON.createObjectNode();
        f.put("kind", "drive#file");
        f.put("id", n.id);
        f.put("name", n.name);
        f.put("mimeType", n.mimeType);
        if (n.parent != null) f.putArray("parents").add(n.parent);
        if (n.driveId != null) f.put("driveId", n.driveId);
        f.put("version", String.valueOf(n.version));
        f.put("createdTime", time(n.created));
        f.put("modifiedTime", time(n.modified));
        f.put("webViewLink", webViewLink(n.id, n.mimeType));
        f.put("trashed", n.trashed);
        f.put("explicitlyTrashed", n.explicitlyTrashed);
        if (n.binary() && n.content != null) {
            f.put("md5Checksum", md5(n.content));
            f.put("size", String.valueOf(n.content.length));
        }
        if (n.shortcutTarget != null) {
            Node target = files.get(n.shortcutTarget);
            ObjectNode details = f.putObject("shortcutDetails");
            details.put("targetId", n.shortcutTarget);
            if (target != null) details.put("targetMimeType", target.mimeType);
        }
        return f;
    }

    private ObjectNode rootJson() {
        ObjectNode f = JSON.createObjectNode();
        f.put("kind", "drive#file");
        f.put("id", myDriveId);
        f.put("name", "My Drive");
        f.put("mimeType", FOLDER);
        f.put("version", "1");
        f.put("createdTime", time(rootCreated));
        f.put("modifiedTime", time(rootCreated));
        f.put("webViewLink", webViewLink(myDriveId, FOLDER));
        f.put("trashed", false);
        f.put("explicitlyTrashed", false);
        return f;
    }

    private static ObjectNode driveJson(SharedDrive d) {
        ObjectNode j = JSON.createObjectNode();
        j.put("kind", "drive#drive");
        j.put("id", d.id);
        j.put("name", d.name);
        j.put("createdTime", time(d.created));
        j.put("hidden", false);
        return j;
    }

    private static Reply notFound(String id) {
        return error(404, "File not found: " + id + ".", "global", "notFound", "fileId", "parameter", null);
    }

    private static Reply badRequest(String message) {
        return error(400, message, "global", "badRequest", null, null, null);
    }

    /** The body with the request's {@code fields} (or Drive's default selection) applied; a bad selector is 400. */
    private static Reply selected(RecordedRequest request, JsonNode body, String defaults) {
        String fields = params(request).get("fields");
        Optional<JsonNode> out = selectFields(body, fields == null || fields.isBlank() ? defaults : fields);
        return out.map(b -> Reply.json(200, b)).orElseGet(() -> invalidParameter("fields"));
    }

    private String newPageToken(String signature, int offset) {
        String token = "~!!~" + UUID.randomUUID().toString().replace("-", "");
        pageTokens.put(token, new PageState(signature, offset));
        return token;
    }

    // ---- routes ----

    private Reply about(RecordedRequest request) {
        if (params(request).get("fields") == null) {
            return error(400, "The 'fields' parameter is required for this method.", "global", "required", "fields",
                    "parameter", null);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("kind", "drive#about");
        ObjectNode user = body.putObject("user");
        user.put("kind", "drive#user");
        user.put("displayName", "Fake Drive User");
        user.put("emailAddress", "drive-user@example.com");
        user.put("me", true);
        user.put("permissionId", "01234567890123456789");
        return selected(request, body, "kind");
    }

    private synchronized Reply listFiles(RecordedRequest request) {
        Map<String, String> p = params(request);
        String corpora = p.getOrDefault("corpora", "user");
        if (!Set.of("user", "drive", "allDrives", "domain").contains(corpora)) return invalidParameter("corpora");
        String driveId = p.get("driveId");
        if (corpora.equals("drive") != (driveId != null)) {
            return badRequest("The driveId parameter must be specified if and only if corpora is set to drive.");
        }
        boolean allDrivesItems = "true".equals(p.get("includeItemsFromAllDrives"));
        if ((corpora.equals("drive") || corpora.equals("allDrives")) && !allDrivesItems) {
            return badRequest("The includeItemsFromAllDrives parameter must be set to true when corpora is drive or"
                    + " allDrives.");
        }
        if (driveId != null && !drives.containsKey(driveId)) {
            return error(404, "Shared drive not found: " + driveId, "global", "notFound", "driveId", "parameter", null);
        }
        Optional<Integer> size = pageSize(p.get("pageSize"), 100, 1000);
        if (size.isEmpty()) return invalidParameter("pageSize");
        Optional<Predicate<Node>> query = parseQuery(p.getOrDefault("q", ""));
        if (query.isEmpty()) return invalidParameter("q");
        String signature = corpora + "|" + driveId + "|" + allDrivesItems + "|" + p.getOrDefault("q", "");
        int offset = 0;
        String token = p.get("pageToken");
        if (token != null) {
            PageState state = pageTokens.get(token);
            if (state == null || !state.signature().equals(signature)) return invalidParameter("pageToken");
            offset = state.offset();
        }
        boolean incomplete = corpora.equals("allDrives") && incompleteAllDrives;
        Predicate<Node> corpus = switch (corpora) {
            case "drive" -> n -> driveId.equals(n.driveId);
            case "allDrives" -> n -> !incomplete || n.driveId == null;
            default -> n -> n.driveId == null;
        };
        List<Node> matching = files.values().stream().filter(corpus.and(query.get())).toList();
        int limit = Math.min(size.get(), maxPageSize);
        int end = Math.min(matching.size(), offset + limit);
        ObjectNode body = JSON.createObjectNode();
        body.put("kind", "drive#fileList");
        if (end < matching.size()) body.put("nextPageToken", newPageToken(signature, end));
        body.put("incompleteSearch", incomplete);
        ArrayNode list = body.putArray("files");
        for (Node n : matching.subList(Math.min(offset, end), end)) list.add(fileJson(n));
        return selected(request, body, FILES_DEFAULT);
    }

    private static final Pattern TRASHED = Pattern.compile("(?i)trashed\\s*=\\s*(true|false)");
    private static final Pattern IN_PARENTS = Pattern.compile("(?i)'((?:[^'\\\\]|\\\\.)*)'\\s+in\\s+parents");
    private static final Pattern COMPARE = Pattern.compile("(?i)(mimeType|name)\\s*(=|!=)\\s*'((?:[^'\\\\]|\\\\.)*)'");

    private static Optional<Predicate<Node>> parseQuery(String q) {
        Predicate<Node> all = n -> true;
        if (q.isBlank()) return Optional.of(all);
        for (String clause : splitOutsideQuotes(q, " and ")) {
            Matcher m;
            if ((m = TRASHED.matcher(clause)).matches()) {
                boolean want = Boolean.parseBoolean(m.group(1).toLowerCase(Locale.ROOT));
                all = all.and(n -> n.trashed == want);
            } else if ((m = IN_PARENTS.matcher(clause)).matches()) {
                String parent = unescape(m.group(1));
                all = all.and(n -> parent.equals(n.parent));
            } else if ((m = COMPARE.matcher(clause)).matches()) {
                boolean mime = m.group(1).equalsIgnoreCase("mimeType");
                boolean equal = m.group(2).equals("=");
                String value = unescape(m.group(3));
                all = all.and(n -> (mime ? n.mimeType : n.name).equals(value) == equal);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(all);
    }

    private static String unescape(String quoted) {
        return quoted.replaceAll("\\\\(.)", "$1");
    }

    private synchronized Reply fileRoute(RecordedRequest request) {
        String rest = request.path().substring((BASE + "/files/").length());
        String[] parts = rest.split("/", -1);
        String id = percentDecode(parts[0], false);
        if (id.equals("root")) id = myDriveId;
        Map<String, String> p = params(request);
        boolean allDrives = "true".equals(p.get("supportsAllDrives"));
        if (parts.length == 2 && parts[1].equals("export")) return export(request, id, p);
        if (parts.length != 1 || id.isEmpty()) {
            return Reply.json(404, Map.of("error", Map.of("code", 404, "message", "Not Found")));
        }
        if (id.equals(myDriveId)) {
            if ("media".equals(p.get("alt"))) return notDownloadable();
            return selected(request, rootJson(), FILE_DEFAULT);
        }
        Node n = files.get(id);
        if (n == null || (n.driveId != null && !allDrives)) return notFound(id);
        if ("media".equals(p.get("alt"))) {
            if (!n.binary() || n.content == null) return notDownloadable();
            return new Reply(200, Map.of("Content-Type", n.mimeType), new String(n.content, StandardCharsets.UTF_8));
        }
        return selected(request, fileJson(n), FILE_DEFAULT);
    }

    private static Reply notDownloadable() {
        return error(403, "Only files with binary content can be downloaded. Use Export with Docs Editors files.",
                "global", "fileNotDownloadable", "alt", "parameter", null);
    }

    private Reply export(RecordedRequest request, String id, Map<String, String> p) {
        Node n = files.get(id);
        if (n == null) return notFound(id);
        String target = p.get("mimeType");
        if (target == null || target.isBlank()) return requiredParameter("mimeType");
        if (n.binary() || n.mimeType.equals(FOLDER) || n.mimeType.equals(SHORTCUT)) {
            return error(403, "Export only supports Docs Editors files.", "global", "fileNotExportable", null, null, null);
        }
        if (!EXPORTS.getOrDefault(n.mimeType, Set.of()).contains(target)) {
            return badRequest("The requested conversion is not supported.");
        }
        if (n.content.length > exportLimit) {
            return error(403, "This file is too large to be exported.", "global", "exportSizeLimitExceeded", null, null,
                    null);
        }
        return new Reply(200, Map.of("Content-Type", target), new String(n.content, StandardCharsets.UTF_8));
    }

    private synchronized Reply listDrives(RecordedRequest request) {
        Map<String, String> p = params(request);
        Optional<Integer> size = pageSize(p.get("pageSize"), 10, 100);
        if (size.isEmpty()) return invalidParameter("pageSize");
        int offset = 0;
        String token = p.get("pageToken");
        if (token != null) {
            PageState state = pageTokens.get(token);
            if (state == null || !state.signature().equals("drives")) return invalidParameter("pageToken");
            offset = state.offset();
        }
        List<SharedDrive> all = List.copyOf(drives.values());
        int end = Math.min(all.size(), offset + Math.min(size.get(), maxPageSize));
        ObjectNode body = JSON.createObjectNode();
        body.put("kind", "drive#driveList");
        if (end < all.size()) body.put("nextPageToken", newPageToken("drives", end));
        ArrayNode list = body.putArray("drives");
        for (SharedDrive d : all.subList(Math.min(offset, end), end)) list.add(driveJson(d));
        return selected(request, body, "*");
    }

    private synchronized Reply getDrive(RecordedRequest request) {
        String id = percentDecode(request.path().substring((BASE + "/drives/").length()), false);
        SharedDrive d = drives.get(id);
        if (d == null) return error(404, "Shared drive not found: " + id, "global", "notFound", "driveId", "parameter", null);
        return selected(request, driveJson(d), "*");
    }

    private synchronized Reply startPageToken(RecordedRequest request) {
        ObjectNode body = JSON.createObjectNode();
        body.put("kind", "drive#startPageToken");
        body.put("startPageToken", startPageToken());
        return selected(request, body, "*");
    }

    private synchronized Reply listChanges(RecordedRequest request) {
        Map<String, String> p = params(request);
        String token = p.get("pageToken");
        if (token == null) return requiredParameter("pageToken");
        long from;
        try {
            from = Long.parseLong(token);
        } catch (NumberFormatException e) {
            return invalidParameter("pageToken");
        }
        int end = log.size();
        if (from < tokenFloor || from > end + 1) return invalidParameter("pageToken");
        Optional<Integer> size = pageSize(p.get("pageSize"), 100, 1000);
        if (size.isEmpty()) return invalidParameter("pageSize");
        int limit = Math.min(size.get(), maxPageSize);
        boolean includeRemoved = !"false".equals(p.get("includeRemoved"));
        boolean allDrives = "true".equals(p.get("includeItemsFromAllDrives"));
        ArrayNode changes = JSON.createArrayNode();
        long next = end + 1;
        for (int i = (int) from; i <= end; i++) {
            Change change = log.get(i - 1);
            if (lastChange.get(change.key()) != i) continue; // reported at its latest entry
            Optional<ObjectNode> entry = changeJson(change, includeRemoved, allDrives);
            if (entry.isEmpty()) continue;
            changes.add(entry.get());
            if (changes.size() == limit) {
                next = i + 1;
                break;
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("kind", "drive#changeList");
        if (next <= end) {
            body.put("nextPageToken", String.valueOf(next));
        } else {
            body.put("newStartPageToken", String.valueOf(end + 1));
        }
        body.set("changes", changes);
        return selected(request, body, CHANGES_DEFAULT);
    }

    private Optional<ObjectNode> changeJson(Change change, boolean includeRemoved, boolean allDrives) {
        ObjectNode c = JSON.createObjectNode();
        c.put("kind", "drive#change");
        c.put("changeType", change.drive() ? "drive" : "file");
        c.put("time", time(change.time()));
        if (change.drive()) {
            SharedDrive d = drives.get(change.id());
            if (d == null && !includeRemoved) return Optional.empty();
            c.put("removed", d == null);
            c.put("driveId", change.id());
            if (d != null) c.set("drive", driveJson(d));
            return Optional.of(c);
        }
        Node n = files.get(change.id());
        if (n == null && !includeRemoved) return Optional.empty();
        if (n != null && n.driveId != null && !allDrives) return Optional.empty();
        c.put("removed", n == null);
        c.put("fileId", change.id());
        if (n != null) c.set("file", fileJson(n));
        return Optional.of(c);
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return bearerValid(request);
    }

    @Override
    protected Reply unauthorized() {
        return invalidCredentials();
    }
}
