package io.catchment.testing.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Dropbox API v2 for one account, stateful: a tree of folders and files (ids, revs, content
 * hashes, times) that tests change with {@link #addFolder}, {@link #addFile}, {@link #editContent},
 * {@link #rename}, {@link #move}, {@link #delete}, {@link #addFiles}, every change recorded in the
 * change log that {@code list_folder/continue} reads. RPC and content routes are served on one
 * port, under {@code /2} ({@link #apiBase()}).
 *
 * <ul>
 *   <li>{@code POST /2/files/list_folder} {@code {path, recursive, include_deleted, limit}}:
 *       entries in path order ({@code .tag} file/folder, {@code name, path_lower, path_display,
 *       id, client_modified, server_modified, rev, size, is_downloadable, content_hash},
 *       {@code export_info} on cloud docs), {@code cursor}, {@code has_more}. Pages hold at most
 *       {@code limit} entries (and at most {@link #pageSize}).</li>
 *   <li>{@code POST /2/files/list_folder/continue} {@code {cursor}}: the rest of a listing, then
 *       (once a listing is complete, or from {@code get_latest_cursor}) the changes since the
 *       cursor: the current metadata of every path touched, or {@code .tag: deleted} with the
 *       path for paths that no longer exist. Like Dropbox, a deleted or moved folder is reported
 *       once, as its own path (its children are implied); a moved folder's new subtree is listed
 *       in full. A cursor from before {@link #resetCursors()} gets 409
 *       {@code {"error_summary":"reset/..","error":{".tag":"reset"}}}; one that does not decode
 *       gets Dropbox's plain-text 400.</li>
 *   <li>{@code POST /2/files/list_folder/get_latest_cursor}: a cursor at "now".</li>
 *   <li>{@code POST /2/files/download} and {@code /2/files/export}: argument in the
 *       {@code Dropbox-API-Arg} header (must be ASCII: non-ASCII has to be {@code \\uXXXX}-escaped,
 *       as Dropbox requires; a {@code Content-Type} other than {@code application/octet-stream}
 *       is refused), {@code path} as a path or an {@code id:}; the body is the content and
 *       {@code Dropbox-API-Result} the metadata (export:
 *       {@code {export_metadata{name,size,export_hash}, file_metadata}}). Downloading a cloud doc
 *       is 409 {@code unsupported_file}; exporting a plain file is 409 {@code non_exportable};
 *       a missing path is 409 {@code path/not_found}.</li>
 * </ul>
 *
 * <p>Authentication: {@code Authorization: Bearer <token>} accepted by the predicate given to the
 * constructor, else 401 {@code {"error_summary":"invalid_access_token/..","error":{".tag":
 * "invalid_access_token"}}}. Malformed requests get Dropbox's plain-text 400 ("Error in call to
 * API function ..."). Rate limits: {@code failNext(FakeDropbox.tooManyRequests(1))}.
 *
 * <p>Content is kept as bytes but must be valid UTF-8: {@link FakeHttpApi} sends reply bodies
 * as text. {@code content_hash} is Dropbox's real algorithm ({@link #contentHash(byte[])}).
 */
public final class FakeDropbox extends FakeHttpApi {
    private static final int MAX_LIMIT = 2000;
    private static final long BLOCK = 4L * 1024 * 1024;

    private static final class Node {
        final boolean folder;
        final String id;
        String name;
        String pathLower;
        String pathDisplay;
        byte[] content = new byte[0];
        String rev;
        String hash;
        Instant clientModified;
        Instant serverModified;
        boolean downloadable = true;
        String exportAs;

        Node(boolean folder, String id) {
            this.folder = folder;
            this.id = id;
        }
    }

    /** A decoded cursor: a listing in progress ({@code after} set) or a change-log position. */
    private record Cursor(int generation, String root, boolean recursive, int limit, int logPosition, String after) {}

    private final Predicate<String> validToken;
    private final TreeMap<String, Node> tree = new TreeMap<>();
    private final Map<String, Node> byId = new HashMap<>();
    private final List<String> changeLog = new ArrayList<>();
    private int generation = 1;
    private int pageSize = MAX_LIMIT;
    private long serial;
    private Instant clock = Instant.parse("2025-03-03T09:00:00Z");

    /** @param validToken says whether a bearer token is valid (e.g. a fake OAuth server's {@code isValidAccessToken}) */
    public FakeDropbox(Predicate<String> validToken) {
        this.validToken = validToken;
        post("/2/files/list_folder", this::listFolder);
        post("/2/files/list_folder/continue", this::listFolderContinue);
        post("/2/files/list_folder/get_latest_cursor", this::latestCursor);
        post("/2/files/download", r -> content(r, false));
        post("/2/files/export", r -> content(r, true));
    }

    /** The base for RPC and content calls alike: {@code http://127.0.0.1:port/2}. */
    public URI apiBase() {
        return URI.create(baseUrl() + "/2");
    }

    // ---------------------------------------------------------------- the tree, for tests

    /** Adds a folder under {@code parentPath} ("" or "/" for the root); returns its display path. */
    public synchronized String addFolder(String parentPath, String name) {
        Node n = create(true, parentPath, name);
        return n.pathDisplay;
    }

    /** Adds a file (content must be UTF-8, see the class comment); returns its display path. */
    public synchronized String addFile(String parentPath, String name, byte[] content) {
        Node n = create(false, parentPath, name);
        setContent(n, content);
        return n.pathDisplay;
    }

    public String addFile(String parentPath, String name, String content) {
        return addFile(parentPath, name, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Adds a file Dropbox cannot download as it is (a Paper or cloud doc): {@code is_downloadable}
     * false, {@code export_info.export_as} {@code exportAs}; {@code files/export} gives
     * {@code exported}, named after the file with the {@code exportAs} extension.
     */
    public synchronized String addCloudDoc(String parentPath, String name, String exportAs, byte[] exported) {
        Node n = create(false, parentPath, name);
        n.downloadable = false;
        n.exportAs = exportAs;
        setContent(n, exported);
        return n.pathDisplay;
    }

    /** Adds {@code count} small text files {@code <namePrefix><i>.txt}; returns their display paths. */
    public synchronized List<String> addFiles(String parentPath, int count, String namePrefix) {
        List<String> paths = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Node n = create(false, parentPath, namePrefix + i + ".txt");
            setContent(n, ("file " + i + " of " + namePrefix).getBytes(StandardCharsets.UTF_8));
            paths.add(n.pathDisplay);
        }
        return paths;
    }

    /** New content: a new rev, content hash, size and server_modified. */
    public synchronized void editContent(String path, byte[] content) {
        Node n = existing(path);
        if (n.folder) throw new IllegalArgumentException(path + " is a folder");
        setContent(n, content);
        changeLog.add(n.pathLower);
    }

    public void editContent(String path, String content) {
        editContent(path, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Renames in place; returns the new display path. */
    public synchronized String rename(String path, String newName) {
        Node n = existing(path);
        return relocate(n, parentOf(n.pathDisplay), newName);
    }

    /** Moves into another folder ("" for the root); returns the new display path. */
    public synchronized String move(String path, String newParentPath) {
        Node n = existing(path);
        return relocate(n, normalize(newParentPath), n.name);
    }

    /** Deletes a file or a folder with everything in it. */
    public synchronized void delete(String path) {
        Node n = existing(path);
        for (Node gone : subtree(n.pathLower)) {
            tree.remove(gone.pathLower);
            byId.remove(gone.id);
        }
        changeLog.add(n.pathLower);
    }

    /** Every cursor issued so far is answered with 409 {@code reset} from now on. */
    public synchronized void resetCursors() {
        generation++;
    }

    /** Caps the entries per page (Dropbox's {@code limit} is a maximum; this makes pages smaller). */
    public synchronized void pageSize(int max) {
        if (max < 1) throw new IllegalArgumentException("page size must be positive");
        pageSize = max;
    }

    public synchronized boolean exists(String path) {
        return tree.containsKey(lower(path));
    }

    public synchronized String id(String path) {
        return existing(path).id;
    }

    public synchronized String rev(String path) {
        return existing(path).rev;
    }

    public synchronized String contentHash(String path) {
        return existing(path).hash;
    }

    public synchronized Instant serverModified(String path) {
        return existing(path).serverModified;
    }

    /** Number of folders and files in the tree. */
    public synchronized int size() {
        return tree.size();
    }

    /**
     * Dropbox's content hash: SHA-256 over the concatenated SHA-256 digests of each 4 MiB block
     * of the content, as lower-case hex.
     */
    public static String contentHash(byte[] content) {
        try {
            MessageDigest overall = MessageDigest.getInstance("SHA-256");
            for (long at = 0; at < content.length; at += BLOCK) {
                MessageDigest block = MessageDigest.getInstance("SHA-256");
                block.update(content, (int) at, (int) Math.min(BLOCK, content.length - at));
                overall.update(block.digest());
            }
            return HexFormat.of().formatHex(overall.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Dropbox's 429: {@code Retry-After} and {@code error.retry_after}, for {@link #failNext}. */
    public static Reply tooManyRequests(int retryAfterSeconds) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error_summary", "too_many_requests/..");
        ObjectNode error = body.putObject("error");
        error.putObject("reason").put(".tag", "too_many_requests");
        error.put("retry_after", retryAfterSeconds);
        return Reply.json(429, body).withHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }

    // ---------------------------------------------------------------- tree internals

    private Node create(boolean folder, String parentPath, String name) {
        if (name.isEmpty() || name.contains("/")) throw new IllegalArgumentException("bad name: " + name);
        String parent = normalize(parentPath);
        if (!parent.isEmpty()) {
            Node p = tree.get(lower(parent));
            if (p == null || !p.folder) throw new IllegalArgumentException("no folder at " + parentPath);
            parent = p.pathDisplay;
        }
        String display = parent + "/" + name;
        if (tree.containsKey(lower(display))) throw new IllegalArgumentException("something is already at " + display);
        Node n = new Node(folder, newId());
        n.name = name;
        n.pathDisplay = display;
        n.pathLower = lower(display);
        tree.put(n.pathLower, n);
        byId.put(n.id, n);
        changeLog.add(n.pathLower);
        return n;
    }

    private void setContent(Node n, byte[] content) {
        requireUtf8(content);
        n.content = content.clone();
        n.hash = contentHash(n.content);
        n.rev = String.format("%015x", 0x5f0e7d000L + ++serial);
        n.serverModified = tick();
        n.clientModified = n.serverModified.minusSeconds(30);
    }

    private String relocate(Node n, String newParent, String newName) {
        if (newName.isEmpty() || newName.contains("/")) throw new IllegalArgumentException("bad name: " + newName);
        String parentDisplay = newParent;
        if (!newParent.isEmpty()) {
            Node p = tree.get(lower(newParent));
            if (p == null || !p.folder) throw new IllegalArgumentException("no folder at " + newParent);
            if (p.pathLower.equals(n.pathLower) || p.pathLower.startsWith(n.pathLower + "/")) {
                throw new IllegalArgumentException("cannot move a folder into itself");
            }
            parentDisplay = p.pathDisplay;
        }
        String display = parentDisplay + "/" + newName;
        String oldLower = n.pathLower;
        String oldDisplay = n.pathDisplay;
        if (!lower(display).equals(oldLower) && tree.containsKey(lower(display))) {
            throw new IllegalArgumentException("something is already at " + display);
        }
        List<Node> moving = subtree(oldLower);
        for (Node m : moving) tree.remove(m.pathLower);
        for (Node m : moving) {
            m.pathDisplay = display + m.pathDisplay.substring(oldDisplay.length());
            m.pathLower = lower(m.pathDisplay);
            tree.put(m.pathLower, m);
        }
        n.name = newName;
        if (!n.folder) {
            // A moved file keeps its content and rev in Dropbox; server_modified changes.
            n.serverModified = tick();
        }
        if (!lower(display).equals(oldLower)) changeLog.add(oldLower);
        for (Node m : moving) changeLog.add(m.pathLower);
        return n.pathDisplay;
    }

    /** The node at {@code pathLower} and everything below it. */
    private List<Node> subtree(String pathLower) {
        List<Node> out = new ArrayList<>();
        out.add(tree.get(pathLower));
        out.addAll(tree.subMap(pathLower + "/", true, pathLower + "0", false).values());
        return out;
    }

    private Node existing(String path) {
        Node n = tree.get(lower(path));
        if (n == null) throw new IllegalArgumentException("nothing at " + path);
        return n;
    }

    private String newId() {
        byte[] raw = ByteBuffer.allocate(16).putLong(0x6b7a3c11d0e2f4a5L).putLong(++serial).array();
        return "id:" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private Instant tick() {
        clock = clock.plusSeconds(1);
        return clock;
    }

    private static String normalize(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) return "";
        String p = path.startsWith("/") ? path : "/" + path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static String lower(String path) {
        return normalize(path).toLowerCase(Locale.ROOT);
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "" : path.substring(0, slash);
    }

    private static void requireUtf8(byte[] content) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the fake can only serve UTF-8 content (FakeHttpApi replies are text)");
        }
    }

    // ---------------------------------------------------------------- routes

    private synchronized Reply listFolder(RecordedRequest request) {
        String call = "files/list_folder";
        Optional<Reply> bad = requireJson(request, call);
        if (bad.isPresent()) return bad.get();
        JsonNode arg = request.json();
        String path = arg.path("path").asText(null);
        if (path == null) return badInput(call, "request body: missing required field 'path'");
        if (path.equals("/")) {
            return badInput(call, "request body: path: Specify the root folder as an empty string rather than as \"/\".");
        }
        if (!path.isEmpty() && !path.startsWith("/") && !path.startsWith("id:")) {
            return badInput(call, "request body: path: '" + path + "' did not match pattern '(/(.|[\\r\\n])*)?|id:.*|(ns:[0-9]+(/.*)?)'");
        }
        int limit = arg.path("limit").asInt(MAX_LIMIT);
        if (arg.has("limit") && (limit < 1 || limit > MAX_LIMIT)) {
            return badInput(call, "request body: limit: " + arg.path("limit").asText() + " is not within range [1, 2000]");
        }
        Optional<String> root = resolveFolder(path);
        if (root.isEmpty()) return routeError(call, "path/not_found/..", pathError("not_found"));
        boolean recursive = arg.path("recursive").asBoolean(false);
        Cursor start = new Cursor(generation, root.get(), recursive, limit, changeLog.size(), root.get());
        return Reply.json(200, listingPage(start));
    }

    private synchronized Reply listFolderContinue(RecordedRequest request) {
        String call = "files/list_folder/continue";
        Optional<Reply> bad = requireJson(request, call);
        if (bad.isPresent()) return bad.get();
        String raw = request.json().path("cursor").asText(null);
        if (raw == null) return badInput(call, "request body: missing required field 'cursor'");
        Optional<Cursor> cursor = decode(raw);
        if (cursor.isEmpty()) return badInput(call, "Invalid \"cursor\" parameter: '" + raw + "'");
        Cursor c = cursor.get();
        if (c.generation() != generation || c.logPosition() > changeLog.size()) {
            ObjectNode error = JSON.createObjectNode();
            error.put(".tag", "reset");
            return routeError(call, "reset/..", error);
        }
        if (!c.root().isEmpty() && !tree.containsKey(c.root())) {
            return routeError(call, "path/not_found/..", pathError("not_found"));
        }
        return Reply.json(200, c.after() != null ? listingPage(c) : changesPage(c));
    }

    private synchronized Reply latestCursor(RecordedRequest request) {
        String call = "files/list_folder/get_latest_cursor";
        Optional<Reply> bad = requireJson(request, call);
        if (bad.isPresent()) return bad.get();
        String path = request.json().path("path").asText(null);
        if (path == null) return badInput(call, "request body: missing required field 'path'");
        if (path.equals("/")) {
            return badInput(call, "request body: path: Specify the root folder as an empty string rather than as \"/\".");
        }
        Optional<String> root = resolveFolder(path);
        if (root.isEmpty()) return routeError(call, "path/not_found/..", pathError("not_found"));
        JsonNode limit = request.json().path("limit");
        Cursor c = new Cursor(generation, root.get(), request.json().path("recursive").asBoolean(false),
                limit.isInt() ? Math.max(1, Math.min(MAX_LIMIT, limit.asInt())) : MAX_LIMIT, changeLog.size(), null);
        ObjectNode body = JSON.createObjectNode();
        body.put("cursor", encode(c));
        return Reply.json(200, body);
    }

    private synchronized Reply content(RecordedRequest request, boolean export) {
        String call = export ? "files/export" : "files/download";
        String contentType = request.header("content-type").orElse("");
        if (!contentType.isEmpty() && !contentType.equals("application/octet-stream")
                && !contentType.equals("text/plain; charset=dropbox-cors-hack")) {
            return badInput(call, "Bad HTTP \"Content-Type\" header: \"" + contentType + "\".  Expecting one of "
                    + "\"application/octet-stream\", \"text/plain; charset=dropbox-cors-hack\".");
        }
        Optional<String> header = request.header("dropbox-api-arg");
        if (header.isEmpty()) return badInput(call, "Must provide HTTP header \"Dropbox-API-Arg\" or URL parameter \"arg\".");
        String argText = header.get();
        for (int i = 0; i < argText.length(); i++) {
            if (argText.charAt(i) >= 0x7F) {
                return badInput(call, "HTTP header \"Dropbox-API-Arg\": could not decode input as JSON");
            }
        }
        JsonNode arg;
        try {
            arg = JSON.readTree(argText);
        } catch (IOException e) {
            return badInput(call, "HTTP header \"Dropbox-API-Arg\": could not decode input as JSON");
        }
        String path = arg == null ? null : arg.path("path").asText(null);
        if (path == null) return badInput(call, "HTTP header \"Dropbox-API-Arg\": missing required field 'path'");
        Node n = path.startsWith("id:") ? byId.get(path) : tree.get(lower(path));
        if (n == null) return routeError(call, "path/not_found/..", pathError("not_found"));
        if (n.folder) return routeError(call, "path/not_file/..", pathError("not_file"));
        if (!export && !n.downloadable) {
            ObjectNode error = JSON.createObjectNode();
            error.put(".tag", "unsupported_file");
            return routeError(call, "unsupported_file/..", error);
        }
        if (export && n.downloadable) {
            ObjectNode error = JSON.createObjectNode();
            error.put(".tag", "non_exportable");
            return routeError(call, "non_exportable/..", error);
        }
        ObjectNode result;
        if (export) {
            result = JSON.createObjectNode();
            ObjectNode meta = result.putObject("export_metadata");
            String base = n.name.contains(".") ? n.name.substring(0, n.name.lastIndexOf('.')) : n.name;
            meta.put("name", base + "." + n.exportAs);
            meta.put("size", n.content.length);
            meta.put("export_hash", n.hash);
            result.set("file_metadata", metadata(n));
        } else {
            result = metadata(n);
        }
        return new Reply(200, Map.of("Content-Type", "application/octet-stream",
                "Dropbox-API-Result", headerSafe(result)), new String(n.content, StandardCharsets.UTF_8));
    }

    private ObjectNode listingPage(Cursor c) {
        int limit = Math.min(c.limit(), pageSize);
        ArrayNode entries = JSON.createArrayNode();
        // Path order puts a folder before everything in it; the listing resumes after the last path sent.
        NavigableMap<String, Node> rest = c.after().equals(c.root())
                ? tree.tailMap(c.root() + "/", true) : tree.tailMap(c.after(), false);
        String last = c.after();
        boolean more = false;
        for (Node n : rest.values()) {
            if (!n.pathLower.startsWith(c.root() + "/")) break;
            if (!inScope(c, n.pathLower)) continue;
            if (entries.size() >= limit) {
                more = true;
                break;
            }
            entries.add(metadata(n));
            last = n.pathLower;
        }
        Cursor next = new Cursor(c.generation(), c.root(), c.recursive(), c.limit(), c.logPosition(), more ? last : null);
        return page(entries, next, more);
    }

    private ObjectNode changesPage(Cursor c) {
        int limit = Math.min(c.limit(), pageSize);
        Set<String> touched = new LinkedHashSet<>();
        int at = c.logPosition();
        while (at < changeLog.size() && touched.size() < limit) {
            String path = changeLog.get(at++);
            if (inScope(c, path)) touched.add(path);
        }
        ArrayNode entries = JSON.createArrayNode();
        for (String path : touched) {
            Node n = tree.get(path);
            if (n != null) {
                entries.add(metadata(n));
            } else {
                ObjectNode deleted = entries.addObject();
                deleted.put(".tag", "deleted");
                deleted.put("name", path.substring(path.lastIndexOf('/') + 1));
                deleted.put("path_lower", path);
                deleted.put("path_display", path);
            }
        }
        boolean more = at < changeLog.size();
        return page(entries, new Cursor(c.generation(), c.root(), c.recursive(), c.limit(), at, null), more);
    }

    private ObjectNode page(ArrayNode entries, Cursor next, boolean more) {
        ObjectNode body = JSON.createObjectNode();
        body.set("entries", entries);
        body.put("cursor", encode(next));
        body.put("has_more", more);
        return body;
    }

    private static boolean inScope(Cursor c, String pathLower) {
        if (pathLower.equals(c.root())) return false;
        if (!pathLower.startsWith(c.root() + "/")) return false;
        return c.recursive() || pathLower.lastIndexOf('/') == c.root().length();
    }

    private ObjectNode metadata(Node n) {
        ObjectNode m = JSON.createObjectNode();
        m.put(".tag", n.folder ? "folder" : "file");
        m.put("name", n.name);
        m.put("path_lower", n.pathLower);
        m.put("path_display", n.pathDisplay);
        m.put("id", n.id);
        if (!n.folder) {
            m.put("client_modified", n.clientModified.toString());
            m.put("server_modified", n.serverModified.toString());
            m.put("rev", n.rev);
            m.put("size", n.content.length);
            m.put("is_downloadable", n.downloadable);
            if (n.exportAs != null) {
                ObjectNode info = m.putObject("export_info");
                info.put("export_as", n.exportAs);
                info.putArray("export_options").add(n.exportAs);
            }
            m.put("content_hash", n.hash);
        }
        return m;
    }

    /** The folder a listing starts at, as a lower-case path ("" for the root); empty when there is none. */
    private Optional<String> resolveFolder(String path) {
        if (path.isEmpty()) return Optional.of("");
        Node n = path.startsWith("id:") ? byId.get(path) : tree.get(lower(path));
        return n != null && n.folder ? Optional.of(n.pathLower) : Optional.empty();
    }

    private static String encode(Cursor c) {
        ObjectNode j = JSON.createObjectNode();
        j.put("g", c.generation());
        j.put("r", c.root());
        j.put("rec", c.recursive());
        j.put("l", c.limit());
        j.put("p", c.logPosition());
        if (c.after() != null) j.put("a", c.after());
        return "AAF" + Base64.getUrlEncoder().withoutPadding().encodeToString(j.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<Cursor> decode(String raw) {
        if (!raw.startsWith("AAF")) return Optional.empty();
        try {
            JsonNode j = JSON.readTree(Base64.getUrlDecoder().decode(raw.substring(3)));
            if (j == null || !j.path("g").isInt() || !j.path("p").isInt() || !j.path("r").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new Cursor(j.path("g").asInt(), j.path("r").asText(), j.path("rec").asBoolean(),
                    Math.max(1, j.path("l").asInt(MAX_LIMIT)), j.path("p").asInt(), j.has("a") ? j.path("a").asText() : null));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<Reply> requireJson(RecordedRequest request, String call) {
        String type = request.header("content-type").orElse("");
        if (!type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return Optional.of(badInput(call, "Bad HTTP \"Content-Type\" header: \"" + type
                    + "\".  Expecting one of \"application/json\", \"application/json; charset=utf-8\", "
                    + "\"text/plain; charset=dropbox-cors-hack\"."));
        }
        if (request.json().isMissingNode() || !request.json().isObject()) {
            return Optional.of(badInput(call, "request body: could not decode input as JSON"));
        }
        return Optional.empty();
    }

    private static Reply badInput(String call, String message) {
        return new Reply(400, Map.of("Content-Type", "text/plain; charset=utf-8"),
                "Error in call to API function \"" + call + "\": " + message);
    }

    private static ObjectNode pathError(String tag) {
        ObjectNode error = JSON.createObjectNode();
        error.put(".tag", "path");
        error.putObject("path").put(".tag", tag);
        return error;
    }

    private static Reply routeError(String call, String summary, ObjectNode error) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error_summary", summary);
        body.set("error", error);
        return Reply.json(409, body);
    }

    /** JSON safe for an HTTP header: non-ASCII (and 0x7F) as {@code \\uXXXX}. */
    private static String headerSafe(JsonNode json) {
        String text = json.toString();
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch >= 0x7F) out.append(String.format("\\u%04x", (int) ch));
            else out.append(ch);
        }
        return out.toString();
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return request.header("authorization")
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> validToken.test(h.substring(7).strip()))
                .orElse(false);
    }

    @Override
    protected Reply unauthorized() {
        ObjectNode body = JSON.createObjectNode();
        body.put("error_summary", "invalid_access_token/..");
        body.putObject("error").put(".tag", "invalid_access_token");
        return Reply.json(401, body).withHeader("WWW-Authenticate", "Bearer");
    }
}
