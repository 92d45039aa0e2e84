package io.catchment.testing.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Box's Content API 2.0 for one user, stateful: folders, files and web links with ids, names,
 * parents, content, {@code sha1}, {@code etag}/{@code sequence_id} and times, changed by tests
 * through {@link #addFolder}, {@link #addFile}, {@link #editContent}, {@link #rename},
 * {@link #move}, {@link #delete} (to the trash), {@link #restore}, {@link #copy} and
 * {@link #addFiles}; every change is an event in the user's event stream. Served under
 * {@code /2.0} ({@link #apiBase()}).
 *
 * <ul>
 *   <li>{@code GET /2.0/folders/{id}/items?fields=&limit=&usemarker=true&marker=}: the folder's
 *       active items in id order, only the requested {@code fields} (plus {@code type} and
 *       {@code id}; without {@code fields}, Box's mini representation), {@code limit} at most
 *       1000 (and at most {@link #pageSize}), {@code next_marker} (null on the last page). An
 *       unknown marker is Box's 400 {@code bad_request} naming {@code marker}. Without
 *       {@code usemarker}: offset paging ({@code total_count, offset, limit, order}). A missing
 *       folder is 404 {@code not_found}, a trashed one 404 {@code trashed}.</li>
 *   <li>{@code GET /2.0/folders/{id}} and {@code GET /2.0/files/{id}}: one item.</li>
 *   <li>{@code GET /2.0/events?stream_type=changes&stream_position=&limit=}: {@code chunk_size},
 *       {@code next_stream_position} and {@code entries} of {@code {type:"event", event_id,
 *       event_type, created_at, created_by, source}} where {@code source} is the item as it was
 *       right after the event. {@code stream_position=now} gives no entries and the current
 *       position; a position that is not a number, lies ahead of the stream, or was dropped by
 *       {@link #expireStreamPositions()} is a 400 naming {@code stream_position}. Events:
 *       {@code ITEM_CREATE} (folders, web links), {@code ITEM_UPLOAD} (new files and new content),
 *       {@code ITEM_RENAME}, {@code ITEM_MOVE}, {@code ITEM_TRASH}, {@code ITEM_UNDELETE_VIA_TRASH},
 *       {@code ITEM_COPY} (the new copy; one event for a copied folder). Trashing or restoring a
 *       folder is one event for the folder. {@link #repeatEvents} delivers every event twice, as
 *       Box may (the repeats out of order).</li>
 *   <li>{@code GET /2.0/files/{id}/content}: 302 to a pre-signed {@code /d/1/{token}/download}
 *       on this server, which needs no credentials; after {@link #notReady} a 202 with
 *       {@code Retry-After} first.</li>
 * </ul>
 *
 * <p>Authentication: {@code Authorization: Bearer <token>} accepted by the predicate given to the
 * constructor; otherwise Box's 401: empty body and
 * {@code WWW-Authenticate: Bearer realm="Service", error="invalid_token", ...}. Errors are
 * {@code {type:"error", status, code, context_info, help_url, message, request_id}}; for a rate
 * limit, {@code failNext(FakeBox.rateLimited(1))}.
 *
 * <p>Content is kept as bytes but must be valid UTF-8: {@link FakeHttpApi} sends reply bodies as
 * text.
 */
public final class FakeBox extends FakeHttpApi {
    /** The root folder's id ("All Files"). */
    public static final String ROOT = "0";
    private static final int MAX_LIMIT = 1000;
    private static final int MAX_EVENTS = 500;
    private static final long STREAM_START = 5_190_024_000_000L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final ZoneOffset PACIFIC = ZoneOffset.ofHours(-8);

    private static final class Item {
        final String type;
        final String id;
        String name;
        String parentId;
        byte[] content = new byte[0];
        String sha1;
        String url;
        int etag;
        int sequence;
        Instant created;
        Instant modified;
        boolean trashed;
        String trashedWith;
        int notReady;
        final TreeMap<Long, Item> children = new TreeMap<>();

        Item(String type, String id) {
            this.type = type;
            this.id = id;
        }
    }

    private final Predicate<String> validToken;
    private final Map<String, Item> items = new HashMap<>();
    private final List<ObjectNode> events = new ArrayList<>();
    private final Map<String, byte[]> downloads = new HashMap<>();
    private int expiredBefore;
    private int pageSize = MAX_LIMIT;
    private int eventPageSize = MAX_EVENTS;
    private boolean repeatEvents;
    private int notReadySeconds = 1;
    private long nextId = 1_204_000_000L;
    private Instant clock = Instant.parse("2025-03-03T17:00:00Z");

    /** @param validToken says whether a bearer token is valid (e.g. a fake OAuth server's {@code isValidAccessToken}) */
    public FakeBox(Predicate<String> validToken) {
        this.validToken = validToken;
        Item root = new Item("folder", ROOT);
        root.name = "All Files";
        items.put(ROOT, root);
        prefix("GET", "/2.0/folders/", this::folders);
        prefix("GET", "/2.0/files/", this::files);
        get("/2.0/events", this::events);
        prefix("GET", "/d/1/", this::download);
    }

    /** {@code http://127.0.0.1:port/2.0}. */
    public URI apiBase() {
        return URI.create(baseUrl() + "/2.0");
    }

    // ---------------------------------------------------------------- the tree, for tests

    public synchronized String addFolder(String parentId, String name) {
        Item f = create("folder", parentId, name);
        event("ITEM_CREATE", f);
        return f.id;
    }

    /** Adds a file (content must be UTF-8, see the class comment); returns its id. */
    public synchronized String addFile(String parentId, String name, byte[] content) {
        Item f = create("file", parentId, name);
        setContent(f, content);
        event("ITEM_UPLOAD", f);
        return f.id;
    }

    public String addFile(String parentId, String name, String content) {
        return addFile(parentId, name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A web link (Box lists them among a folder's items; connectors skip them). */
    public synchronized String addWebLink(String parentId, String name, String url) {
        Item w = create("web_link", parentId, name);
        w.url = url;
        event("ITEM_CREATE", w);
        return w.id;
    }

    /** Adds {@code count} small text files {@code <namePrefix><i>.txt}; returns their ids. */
    public synchronized List<String> addFiles(String parentId, int count, String namePrefix) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Item f = create("file", parentId, namePrefix + i + ".txt");
            setContent(f, ("file " + i + " of " + namePrefix).getBytes(StandardCharsets.UTF_8));
            event("ITEM_UPLOAD", f);
            ids.add(f.id);
        }
        return ids;
    }

    /** A new version: new sha1, etag, sequence_id, size and modified_at. */
    public synchronized void editContent(String fileId, byte[] content) {
        Item f = active(fileId);
        if (!f.type.equals("file")) throw new IllegalArgumentException(fileId + " is not a file");
        setContent(f, content);
        touch(f);
        event("ITEM_UPLOAD", f);
    }

    public void editContent(String fileId, String content) {
        editContent(fileId, content.getBytes(StandardCharsets.UTF_8));
    }

    public synchronized void rename(String id, String newName) {
        Item i = active(id);
        requireFreeName(items.get(i.parentId), newName, i);
        i.name = newName;
        touch(i);
        event("ITEM_RENAME", i);
    }

    public synchronized void move(String id, String newParentId) {
        Item i = active(id);
        Item target = activeFolder(newParentId);
        for (Item up = target; up != null; up = up.parentId == null ? null : items.get(up.parentId)) {
            if (up == i) throw new IllegalArgumentException("cannot move a folder into itself");
        }
        requireFreeName(target, i.name, i);
        items.get(i.parentId).children.remove(Long.parseLong(i.id));
        i.parentId = target.id;
        target.children.put(Long.parseLong(i.id), i);
        touch(i);
        event("ITEM_MOVE", i);
    }

    /** Moves an item (a folder with everything in it) to the trash: one ITEM_TRASH event. */
    public synchronized void delete(String id) {
        Item i = active(id);
        if (i.id.equals(ROOT)) throw new IllegalArgumentException("the root cannot be trashed");
        for (Item t : subtree(i)) {
            if (!t.trashed) {
                t.trashed = true;
                t.trashedWith = i.id;
            }
        }
        i.sequence++;
        i.etag++;
        event("ITEM_TRASH", i);
    }

    /** Restores an item from the trash with what was trashed with it: one ITEM_UNDELETE_VIA_TRASH event. */
    public synchronized void restore(String id) {
        Item i = items.get(id);
        if (i == null || !i.trashed || !id.equals(i.trashedWith)) throw new IllegalArgumentException(id + " is not in the trash");
        for (Item t : subtree(i)) {
            if (id.equals(t.trashedWith)) {
                t.trashed = false;
                t.trashedWith = null;
            }
        }
        touch(i);
        event("ITEM_UNDELETE_VIA_TRASH", i);
    }

    /** Copies a file or a folder with its contents into another folder: one ITEM_COPY event; returns the copy's id. */
    public String copy(String id, String newParentId) {
        return copy(id, newParentId, null);
    }

    /** {@link #copy(String, String)} under a new name (Box refuses a name already used in the target folder). */
    public synchronized String copy(String id, String newParentId, String newName) {
        Item i = active(id);
        Item target = activeFolder(newParentId);
        String name = newName == null ? i.name : newName;
        requireFreeName(target, name, null);
        Item copy = copyInto(i, target);
        copy.name = name;
        event("ITEM_COPY", copy);
        return copy.id;
    }

    /** The next {@code times} requests for this file's content answer 202 with {@code Retry-After}. */
    public synchronized void notReady(String fileId, int times) {
        active(fileId).notReady = times;
    }

    /** The {@code Retry-After} of the 202 answers ({@link #notReady}); 1 by default. */
    public synchronized void notReadySeconds(int seconds) {
        notReadySeconds = seconds;
    }

    /** Caps the items per folder page (below Box's 1000). */
    public synchronized void pageSize(int max) {
        if (max < 1) throw new IllegalArgumentException("page size must be positive");
        pageSize = max;
    }

    /** Caps the events per page (below Box's 500). */
    public synchronized void eventPageSize(int max) {
        if (max < 1) throw new IllegalArgumentException("page size must be positive");
        eventPageSize = max;
    }

    /**
     * Deliver every event twice (same {@code event_id}), as Box's stream may: each page repeats
     * its events after them, latest first, so a client that does not skip seen event ids replays
     * stale events over newer ones.
     */
    public synchronized void repeatEvents(boolean repeat) {
        repeatEvents = repeat;
    }

    /** Every stream position handed out so far is refused (400) from now on. */
    public synchronized void expireStreamPositions() {
        expiredBefore = events.size();
    }

    public synchronized String sha1(String fileId) {
        return known(fileId).sha1;
    }

    public synchronized String etag(String id) {
        return Integer.toString(known(id).etag);
    }

    public synchronized Instant createdAt(String id) {
        return known(id).created;
    }

    public synchronized Instant modifiedAt(String id) {
        return known(id).modified;
    }

    public synchronized boolean isTrashed(String id) {
        return known(id).trashed;
    }

    /** Active files and folders, the root and web links not counted. */
    public synchronized int size() {
        int n = 0;
        for (Item i : items.values()) {
            if (!i.trashed && !i.id.equals(ROOT) && !i.type.equals("web_link")) n++;
        }
        return n;
    }

    /** Box's 429 with {@code Retry-After}, for {@link #failNext}. */
    public static Reply rateLimited(int retryAfterSeconds) {
        return error(429, "rate_limit_exceeded", "Request rate limit exceeded, please try again later", null)
                .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }

    // ---------------------------------------------------------------- tree internals

    private Item create(String type, String parentId, String name) {
        Item parent = activeFolder(parentId);
        requireFreeName(parent, name, null);
        Item i = new Item(type, Long.toString(++nextId));
        i.name = name;
        i.parentId = parent.id;
        i.created = tick();
        i.modified = i.created;
        items.put(i.id, i);
        parent.children.put(Long.parseLong(i.id), i);
        return i;
    }

    private Item copyInto(Item source, Item parent) {
        Item c = new Item(source.type, Long.toString(++nextId));
        c.name = source.name;
        c.parentId = parent.id;
        c.created = tick();
        c.modified = c.created;
        c.url = source.url;
        c.content = source.content;
        c.sha1 = source.sha1;
        items.put(c.id, c);
        parent.children.put(Long.parseLong(c.id), c);
        for (Item child : List.copyOf(source.children.values())) {
            if (!child.trashed) copyInto(child, c);
        }
        return c;
    }

    private void setContent(Item f, byte[] content) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the fake can only serve UTF-8 content (FakeHttpApi replies are text)");
        }
        f.content = content.clone();
        try {
            f.sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(f.content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void touch(Item i) {
        i.etag++;
        i.sequence++;
        i.modified = tick();
    }

    private List<Item> subtree(Item i) {
        List<Item> out = new ArrayList<>();
        out.add(i);
        for (Item child : i.children.values()) out.addAll(subtree(child));
        return out;
    }

    private void requireFreeName(Item folder, String name, Item except) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\")) throw new IllegalArgumentException("bad name: " + name);
        for (Item sibling : folder.children.values()) {
            if (sibling != except && !sibling.trashed && sibling.name.equalsIgnoreCase(name)) {
                throw new IllegalArgumentException("an item named " + name + " is already in folder " + folder.id);
            }
        }
    }

    private Item known(String id) {
        Item i = items.get(id);
        if (i == null) throw new IllegalArgumentException("no item " + id);
        return i;
    }

    private Item active(String id) {
        Item i = known(id);
        if (i.trashed) throw new IllegalArgumentException(id + " is in the trash");
        return i;
    }

    private Item activeFolder(String id) {
        Item i = active(id);
        if (!i.type.equals("folder")) throw new IllegalArgumentException(id + " is not a folder");
        return i;
    }

    private Instant tick() {
        clock = clock.plusSeconds(1);
        return clock;
    }

    private void event(String type, Item source) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", "event");
        e.put("event_id", UUID.nameUUIDFromBytes(("box-event-" + events.size()).getBytes(StandardCharsets.UTF_8)).toString());
        e.put("event_type", type);
        ObjectNode by = e.putObject("created_by");
        by.put("type", "user");
        by.put("id", "19841984");
        by.put("name", "Fake Box User");
        by.put("login", "user@example.com");
        e.put("created_at", time(clock));
        e.put("recorded_at", time(clock));
        e.putNull("session_id");
        e.set("source", full(source));
        e.putNull("additional_details");
        events.add(e);
    }

    // ---------------------------------------------------------------- representations

    private ObjectNode mini(Item i) {
        ObjectNode m = JSON.createObjectNode();
        m.put("type", i.type);
        m.put("id", i.id);
        if (i.id.equals(ROOT)) {
            m.putNull("sequence_id");
            m.putNull("etag");
        } else {
            m.put("sequence_id", Integer.toString(i.sequence));
            m.put("etag", Integer.toString(i.etag));
        }
        m.put("name", i.name);
        return m;
    }

    private ObjectNode full(Item i) {
        ObjectNode m = mini(i);
        boolean root = i.id.equals(ROOT);
        if (i.type.equals("file")) {
            m.put("sha1", i.sha1);
            ObjectNode version = m.putObject("file_version");
            version.put("type", "file_version");
            version.put("id", Long.toString(Long.parseLong(i.id) * 7 + i.sequence));
            version.put("sha1", i.sha1);
        }
        if (i.type.equals("web_link")) m.put("url", i.url);
        m.put("description", "");
        m.put("size", i.type.equals("file") ? i.content.length : 0);
        ObjectNode path = m.putObject("path_collection");
        ArrayNode entries = path.putArray("entries");
        if (!root) {
            List<Item> chain = new ArrayList<>();
            for (Item up = items.get(i.parentId); up != null; up = up.parentId == null ? null : items.get(up.parentId)) {
                chain.addFirst(up);
            }
            for (Item up : chain) entries.add(mini(up));
        }
        path.put("total_count", entries.size());
        if (root) {
            m.putNull("created_at");
            m.putNull("modified_at");
            m.putNull("parent");
        } else {
            m.put("created_at", time(i.created));
            m.put("modified_at", time(i.modified));
            if (i.type.equals("file")) {
                m.put("content_created_at", time(i.created));
                m.put("content_modified_at", time(i.modified));
            }
            m.set("parent", mini(items.get(i.parentId)));
        }
        m.put("item_status", i.trashed ? "trashed" : "active");
        return m;
    }

    /** The requested fields of the full representation, with {@code type} and {@code id} always. */
    private ObjectNode select(Item i, String fields) {
        if (fields == null) {
            ObjectNode m = mini(i);
            if (i.type.equals("file")) {
                ObjectNode f = full(i);
                m.put("sha1", i.sha1);
                m.set("file_version", f.get("file_version"));
            }
            return m;
        }
        ObjectNode f = full(i);
        ObjectNode m = JSON.createObjectNode();
        m.put("type", i.type);
        m.put("id", i.id);
        for (String field : fields.split(",")) {
            String name = field.strip();
            if (!name.isEmpty() && f.has(name)) m.set(name, f.get(name));
        }
        return m;
    }

    private static String time(Instant t) {
        return OffsetDateTime.ofInstant(t, PACIFIC).format(TIME);
    }

    // ---------------------------------------------------------------- routes

    private synchronized Reply folders(RecordedRequest request) {
        String rest = request.path().substring("/2.0/folders/".length());
        String[] parts = rest.split("/");
        String id = parts[0];
        Item folder = items.get(id);
        if (folder == null || !folder.type.equals("folder")) return notFound("folder", id);
        if (folder.trashed) return error(404, "trashed", "Item is trashed", null);
        Map<String, String> q = query(request);
        if (parts.length == 1) return Reply.json(200, select(folder, q.get("fields")));
        if (parts.length != 2 || !parts[1].equals("items")) return notFound("folder", id);

        int limit = MAX_LIMIT;
        if (q.containsKey("limit")) {
            try {
                limit = Integer.parseInt(q.get("limit"));
            } catch (NumberFormatException e) {
                return badParameter("limit", q.get("limit"));
            }
            if (limit < 1) return badParameter("limit", q.get("limit"));
        }
        limit = Math.min(Math.min(limit, MAX_LIMIT), pageSize);
        List<Item> children = new ArrayList<>();
        for (Item c : folder.children.values()) if (!c.trashed) children.add(c);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode entries = JSON.createArrayNode();
        if ("true".equals(q.get("usemarker"))) {
            long after = -1;
            String marker = q.get("marker");
            if (marker != null && !marker.isEmpty()) {
                Long tail = decodeMarker(marker);
                if (tail == null) return badParameter("marker", marker);
                after = tail;
            }
            long last = -1;
            boolean more = false;
            for (Item c : children) {
                if (Long.parseLong(c.id) <= after) continue;
                if (entries.size() >= limit) {
                    more = true;
                    break;
                }
                entries.add(select(c, q.get("fields")));
                last = Long.parseLong(c.id);
            }
            body.put("limit", limit);
            if (more) body.put("next_marker", encodeMarker(last));
            else body.putNull("next_marker");
            body.set("entries", entries);
        } else {
            int offset;
            try {
                offset = Integer.parseInt(q.getOrDefault("offset", "0"));
            } catch (NumberFormatException e) {
                return badParameter("offset", q.get("offset"));
            }
            for (int k = Math.max(0, offset); k < children.size() && entries.size() < limit; k++) {
                entries.add(select(children.get(k), q.get("fields")));
            }
            body.put("total_count", children.size());
            body.set("entries", entries);
            body.put("offset", offset);
            body.put("limit", limit);
            ArrayNode order = body.putArray("order");
            order.addObject().put("by", "type").put("direction", "ASC");
            order.addObject().put("by", "name").put("direction", "ASC");
        }
        return Reply.json(200, body);
    }

    private synchronized Reply files(RecordedRequest request) {
        String rest = request.path().substring("/2.0/files/".length());
        String[] parts = rest.split("/");
        String id = parts[0];
        Item file = items.get(id);
        if (file == null || !file.type.equals("file")) return notFound("file", id);
        if (file.trashed) return error(404, "trashed", "Item is trashed", null);
        if (parts.length == 1) return Reply.json(200, select(file, query(request).get("fields")));
        if (parts.length != 2 || !parts[1].equals("content")) return notFound("file", id);
        if (file.notReady > 0) {
            file.notReady--;
            return new Reply(202, Map.of("Retry-After", Integer.toString(notReadySeconds)), "");
        }
        String token = UUID.randomUUID().toString().replace("-", "");
        downloads.put(token, file.content);
        return new Reply(302, Map.of("Location", baseUrl() + "/d/1/" + token + "/download"), "");
    }

    private synchronized Reply download(RecordedRequest request) {
        String[] parts = request.path().substring("/d/1/".length()).split("/");
        byte[] content = parts.length == 2 && parts[1].equals("download") ? downloads.get(parts[0]) : null;
        if (content == null) return new Reply(404, Map.of("Content-Type", "text/plain"), "Not Found");
        return new Reply(200, Map.of("Content-Type", "application/octet-stream"), new String(content, StandardCharsets.UTF_8));
    }

    private synchronized Reply events(RecordedRequest request) {
        Map<String, String> q = query(request);
        String streamType = q.getOrDefault("stream_type", "all");
        if (!Set.of("all", "changes", "sync").contains(streamType)) return badParameter("stream_type", streamType);
        int limit = 100;
        if (q.containsKey("limit")) {
            try {
                limit = Integer.parseInt(q.get("limit"));
            } catch (NumberFormatException e) {
                return badParameter("limit", q.get("limit"));
            }
            if (limit < 1) return badParameter("limit", q.get("limit"));
        }
        limit = Math.min(Math.min(limit, MAX_EVENTS), eventPageSize);
        String position = q.get("stream_position");
        int from;
        if (position == null || position.isEmpty() || position.equals("0")) {
            from = expiredBefore;
        } else if (position.equals("now")) {
            from = events.size();
            limit = 0;
        } else {
            long p;
            try {
                p = Long.parseLong(position);
            } catch (NumberFormatException e) {
                return badParameter("stream_position", position);
            }
            long index = p - STREAM_START;
            if (index < expiredBefore || index > events.size()) return badParameter("stream_position", position);
            from = (int) index;
        }
        int to = Math.min(events.size(), from + limit);
        ArrayNode entries = JSON.createArrayNode();
        for (int k = from; k < to; k++) entries.add(events.get(k));
        // Redelivered events come after the originals, latest first: only event_id tells them apart.
        if (repeatEvents) for (int k = to - 1; k >= from; k--) entries.add(events.get(k));
        ObjectNode body = JSON.createObjectNode();
        body.put("chunk_size", entries.size());
        body.put("next_stream_position", STREAM_START + to);
        body.set("entries", entries);
        return Reply.json(200, body);
    }

    private static String encodeMarker(long lastId) {
        String json = "{\"type\":\"id\",\"dir\":\"next\",\"tail\":\"" + lastId + "\"}";
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Long decodeMarker(String marker) {
        try {
            JsonNode j = JSON.readTree(Base64.getUrlDecoder().decode(marker));
            if (j == null || !"id".equals(j.path("type").asText()) || !"next".equals(j.path("dir").asText())) return null;
            return Long.parseLong(j.path("tail").asText());
        } catch (Exception e) {
            return null;
        }
    }

    private static Map<String, String> query(RecordedRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        if (request.query().isEmpty()) return out;
        for (String pair : request.query().get().split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Reply notFound(String type, String id) {
        ObjectNode context = JSON.createObjectNode();
        ObjectNode err = context.putArray("errors").addObject();
        err.put("reason", "invalid_parameter");
        err.put("name", type);
        err.put("message", "Invalid value '" + id + "'. '" + type + "' with value '" + id + "' not found");
        return error(404, "not_found", "Not Found", context);
    }

    private static Reply badParameter(String name, String value) {
        ObjectNode context = JSON.createObjectNode();
        ObjectNode err = context.putArray("errors").addObject();
        err.put("reason", "invalid_parameter");
        err.put("name", name);
        err.put("message", "Invalid value '" + value + "'.");
        return error(400, "bad_request", "Bad Request", context);
    }

    private static Reply error(int status, String code, String message, ObjectNode context) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", "error");
        body.put("status", status);
        body.put("code", code);
        if (context != null) body.set("context_info", context);
        body.put("help_url", "http://developers.box.com/docs/#errors");
        body.put("message", message);
        body.put("request_id", Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 12));
        return Reply.json(status, body);
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        // Pre-signed download URLs carry their own authority.
        if (request.path().startsWith("/d/1/")) return true;
        return request.header("authorization")
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> validToken.test(h.substring(7).strip()))
                .orElse(false);
    }

    @Override
    protected Reply unauthorized() {
        return new Reply(401, Map.of("WWW-Authenticate", "Bearer realm=\"Service\", error=\"invalid_token\", "
                + "error_description=\"The access token provided is invalid.\""), "");
    }
}
