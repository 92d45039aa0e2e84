package io.catchment.connectors.box;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.connector.ChangePage;
import io.catchment.connector.Checkpoint;
import io.catchment.connector.Connection;
import io.catchment.connector.Connector;
import io.catchment.connector.CrawlPage;
import io.catchment.connector.DataSourceType;
import io.catchment.connector.Fetched;
import io.catchment.connector.ItemFailure;
import io.catchment.connector.ItemTypes;
import io.catchment.connector.SourceItem;
import io.catchment.http.ProviderRequest;
import io.catchment.http.ProviderResponse;
import io.catchment.http.RetryAfter;
import io.catchment.http.SyncFailure;
import io.catchment.ingest.FileFormat;
import io.catchment.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Box (Content API 2.0) for one user: a folder walk from the root folder {@code "0"} ("All
 * Files") with marker paging, the user's {@code changes} event stream as the change feed, and
 * content through {@code /files/{id}/content} (a redirect to a pre-signed download URL, which
 * {@link io.catchment.http.ProviderHttp} follows without credentials when it is on another host).
 *
 * <p>Items are identified by Box's ids, stable across renames and moves; the root folder is an
 * item ({@value #ROOT}) and the {@code rootExternalId} of every item. Web links are skipped.
 */
public final class BoxConnector implements Connector {
    /** Box's root folder id ("All Files"). */
    public static final String ROOT = "0";
    static final String ROOT_NAME = "All Files";
    static final String FIELDS = "type,id,name,size,modified_at,created_at,etag,sha1,sequence_id,parent,path_collection,item_status";
    static final int PAGE_LIMIT = 1000;
    static final int EVENT_LIMIT = 500;
    /** How often a "202 not ready yet" download is asked again, and the longest wait for one. */
    private static final int NOT_READY_TRIES = 4;
    private static final Duration NOT_READY_MAX_WAIT = Duration.ofSeconds(10);

    private static final Set<String> CHANGED_EVENTS = Set.of("ITEM_CREATE", "ITEM_UPLOAD", "ITEM_MOVE", "ITEM_RENAME",
            "ITEM_COPY", "ITEM_UNDELETE_VIA_TRASH", "ITEM_MODIFY");
    /** Events after which a folder's contents are new to us (a copied or restored folder brings its subtree). */
    private static final Set<String> SUBTREE_EVENTS = Set.of("ITEM_COPY", "ITEM_UNDELETE_VIA_TRASH");

    /**
     * Crawl position: the folders still to list (the first one is being listed) and the marker
     * of its next page (null: its first page).
     */
    record CrawlState(List<String> folders, String marker) {}

    /**
     * Change-feed position: the event stream position, plus folders whose subtree must still be
     * listed as new (after a copy or a restore from the trash) and the marker within the first.
     */
    record FeedState(String streamPosition, List<String> walk, String marker) {}

    /** Nothing to configure: endpoints come from the catalogue's API base ({@code https://api.box.com/2.0}). */
    public BoxConnector() {}

    @Override
    public DataSourceType type() {
        return DataSourceType.BOX;
    }

    @Override
    public CrawlPage crawl(Connection c, Optional<Checkpoint> from) throws SyncFailure {
        List<SourceItem> items = new ArrayList<>();
        CrawlState state;
        if (from.isEmpty()) {
            items.add(root());
            state = new CrawlState(List.of(ROOT), null);
        } else {
            state = from.get().as(CrawlState.class);
        }
        if (state.folders() == null || state.folders().isEmpty()) return new CrawlPage(items, Optional.empty());
        Listing listing = list(c, state.folders(), state.marker());
        items.addAll(listing.items());
        return new CrawlPage(items, listing.folders().isEmpty() ? Optional.empty()
                : Optional.of(Checkpoint.of(new CrawlState(listing.folders(), listing.marker()))));
    }

    @Override
    public Optional<Checkpoint> changeCursor(Connection c) throws SyncFailure {
        ProviderResponse r = c.http().send(ProviderRequest.get(c.api() + "/events?stream_type=changes&stream_position=now"));
        if (!r.ok()) throw failure("GET /events", r);
        String position = r.json().path("next_stream_position").asText("");
        if (position.isEmpty()) throw new SyncFailure.Transient("Box answered /events without a next_stream_position");
        return Optional.of(Checkpoint.of(new FeedState(position, List.of(), null)));
    }

    @Override
    public ChangePage changes(Connection c, Checkpoint cursor) throws SyncFailure {
        FeedState state = cursor.as(FeedState.class);
        List<String> walk = state.walk() == null ? List.of() : state.walk();
        if (!walk.isEmpty()) {
            // A copied or restored folder: its contents are new to us and have no events of their own.
            Listing listing = list(c, walk, state.marker());
            return new ChangePage.Changes(listing.items(), List.of(),
                    Checkpoint.of(new FeedState(state.streamPosition(), listing.folders(), listing.marker())), true);
        }
        ProviderResponse r = c.http().send(ProviderRequest.get(c.api() + "/events?stream_type=changes&stream_position="
                + encode(state.streamPosition()) + "&limit=" + EVENT_LIMIT));
        if (r.status() == 400 || r.status() == 404 || r.status() == 410) {
            return new ChangePage.Reset("Box no longer accepts the stored stream position (" + message(r) + ")");
        }
        if (!r.ok()) throw failure("GET /events", r);
        JsonNode page = r.json();
        String next = page.path("next_stream_position").asText("");
        if (next.isEmpty()) throw new SyncFailure.Transient("Box answered /events without a next_stream_position");
        Set<String> seenEvents = new HashSet<>();
        // In event order, the last word on an item wins: an item changed then trashed is removed.
        Map<String, Optional<SourceItem>> byId = new LinkedHashMap<>();
        List<String> newSubtrees = new ArrayList<>();
        int entries = 0;
        for (JsonNode event : page.path("entries")) {
            entries++;
            String eventId = event.path("event_id").asText("");
            if (!eventId.isEmpty() && !seenEvents.add(eventId)) continue;
            JsonNode source = event.path("source");
            String type = source.path("type").asText();
            String id = source.path("id").asText("");
            if (id.isEmpty() || !(type.equals("file") || type.equals("folder"))) continue;
            String eventType = event.path("event_type").asText();
            if (eventType.equals("ITEM_TRASH")) {
                byId.remove(id);
                byId.put(id, Optional.empty());
                newSubtrees.remove(id);
            } else if (CHANGED_EVENTS.contains(eventType)) {
                Optional<SourceItem> item = item(source, Optional.empty());
                if (item.isEmpty()) continue;
                byId.remove(id);
                byId.put(id, item);
                if (type.equals("folder") && SUBTREE_EVENTS.contains(eventType) && !newSubtrees.contains(id)) {
                    newSubtrees.add(id);
                }
            }
        }
        List<SourceItem> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        byId.forEach((id, item) -> {
            if (item.isPresent()) changed.add(item.get());
            else removed.add(id);
        });
        // Box is caught up when a page comes back empty.
        boolean more = entries > 0 || !newSubtrees.isEmpty();
        return new ChangePage.Changes(changed, removed, Checkpoint.of(new FeedState(next, newSubtrees, null)), more);
    }

    @Override
    public Fetched fetch(Connection c, SourceItem item, Path target) throws SyncFailure, ItemFailure {
        ProviderRequest request = ProviderRequest.get(c.api() + "/files/" + encode(item.externalId()) + "/content");
        for (int attempt = 1; ; attempt++) {
            ProviderResponse r = c.http().download(request, target);
            if (r.status() == 202) {
                // Box is still preparing the file: wait as it says, a few times, then give up on this item.
                Duration wait = RetryAfter.of(r, Instant.now()).orElse(Duration.ofSeconds(1));
                if (attempt >= NOT_READY_TRIES || wait.compareTo(NOT_READY_MAX_WAIT) > 0) {
                    throw ItemFailure.of("Box has not finished preparing this file for download; it will be tried again");
                }
                sleep(wait);
                continue;
            }
            if (r.ok()) {
                return new Fetched(item.name(), FileFormat.fromFileName(item.name()).map(FileFormat::mimeType));
            }
            if (r.status() == 404 || r.status() == 410) throw ItemFailure.gone("The file is no longer in Box (" + message(r) + ")");
            if (r.status() == 413) throw ItemFailure.of(r.text());
            if (r.status() >= 400 && r.status() < 500) {
                throw ItemFailure.of("Box refused the download (" + r.status() + ": " + message(r) + ")");
            }
            throw new SyncFailure.Transient("Box answered the download with " + r.status());
        }
    }

    /** One page of the first folder in {@code folders}: its items, and the folders and marker left to do. */
    private record Listing(List<SourceItem> items, List<String> folders, String marker) {}

    private Listing list(Connection c, List<String> folders, String marker) throws SyncFailure {
        String folder = folders.getFirst();
        String url = c.api() + "/folders/" + encode(folder) + "/items?fields=" + encode(FIELDS) + "&limit=" + PAGE_LIMIT
                + "&usemarker=true" + (marker == null || marker.isEmpty() ? "" : "&marker=" + encode(marker));
        ProviderResponse r = c.http().send(ProviderRequest.get(url));
        List<String> rest = new ArrayList<>(folders.subList(1, folders.size()));
        if (r.status() == 404 && !folder.equals(ROOT)) {
            // Deleted or trashed since it was queued: nothing left to list there.
            return new Listing(List.of(), rest, null);
        }
        if (r.status() == 400 && marker != null && !marker.isEmpty()) {
            // Markers are not kept long; list the folder again from its start.
            List<String> again = new ArrayList<>(folders);
            return new Listing(List.of(), again, null);
        }
        if (!r.ok()) throw failure("GET /folders/" + folder + "/items", r);
        JsonNode page = r.json();
        List<SourceItem> items = new ArrayList<>();
        List<String> subfolders = new ArrayList<>();
        for (JsonNode entry : page.path("entries")) {
            Optional<SourceItem> item = item(entry, Optional.of(folder));
            if (item.isEmpty()) continue;
            items.add(item.get());
            if (item.get().expandable()) subfolders.add(item.get().externalId());
        }
        String next = page.path("next_marker").isTextual() ? page.path("next_marker").asText() : "";
        List<String> queue = next.isEmpty() ? rest : new ArrayList<>(folders);
        Set<String> queued = new HashSet<>(queue);
        for (String sub : subfolders) {
            // A folder listed again from its start (a stale marker) must not queue its subfolders twice.
            if (queued.add(sub)) queue.add(sub);
        }
        return new Listing(items, queue, next.isEmpty() ? null : next);
    }

    static SourceItem root() {
        return SourceItem.container(ROOT, Optional.empty(), ROOT, ROOT_NAME, ItemTypes.FOLDER,
                Optional.of("https://app.box.com/folder/" + ROOT));
    }

    /** A file or folder (from a listing or an event's source) as an item; web links and others give nothing. */
    static Optional<SourceItem> item(JsonNode e, Optional<String> listedIn) {
        String type = e.path("type").asText();
        String id = e.path("id").asText("");
        if (id.isEmpty() || !(type.equals("file") || type.equals("folder"))) return Optional.empty();
        if (type.equals("folder") && id.equals(ROOT)) return Optional.of(root());
        String name = e.path("name").asText(id);
        String parentId = e.path("parent").path("id").asText("");
        Optional<String> parent = !parentId.isEmpty() ? Optional.of(parentId) : listedIn;
        Optional<Instant> created = instant(e.path("created_at").asText(""));
        Optional<Instant> modified = instant(e.path("modified_at").asText(""));
        ObjectNode meta = Json.object();
        meta.put("type", type);
        if (e.hasNonNull("etag")) meta.put("etag", e.path("etag").asText());
        if (e.hasNonNull("sequence_id")) meta.put("sequence_id", e.path("sequence_id").asText());
        if (e.hasNonNull("item_status")) meta.put("item_status", e.path("item_status").asText());
        JsonNode path = e.path("path_collection").path("entries");
        if (path.isArray() && !path.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (JsonNode p : path) names.add(p.path("name").asText());
            meta.put("path", String.join("/", names));
        }
        if (type.equals("folder")) {
            return Optional.of(new SourceItem(id, parent, ROOT, name, ItemTypes.FOLDER, true, true, Optional.empty(),
                    Optional.of("https://app.box.com/folder/" + id), Optional.empty(), OptionalLong.empty(), created,
                    modified, meta));
        }
        String sha1 = e.path("sha1").asText("");
        if (!sha1.isEmpty()) meta.put("sha1", sha1);
        Optional<String> version = !sha1.isEmpty() ? Optional.of(sha1)
                : Optional.ofNullable(e.path("etag").asText(null)).filter(s -> !s.isEmpty()).map(s -> "etag:" + s);
        OptionalLong size = e.path("size").isNumber() ? OptionalLong.of(e.path("size").asLong()) : OptionalLong.empty();
        return Optional.of(new SourceItem(id, parent, ROOT, name, ItemTypes.FILE, true, false,
                FileFormat.fromFileName(name).map(Enum::name), Optional.of("https://app.box.com/file/" + id), version,
                size, created, modified, meta));
    }

    private static Optional<Instant> instant(String text) {
        if (text.isEmpty()) return Optional.empty();
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void sleep(Duration wait) throws SyncFailure {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncFailure.Transient("interrupted while waiting for Box to prepare a download");
        }
    }

    private static SyncFailure failure(String call, ProviderResponse r) {
        if (r.status() >= 400 && r.status() < 500) {
            String what = r.status() == 404 ? "the folder was not found"
                    : r.status() == 403 ? "access was denied" : "the request was refused";
            return new SyncFailure.Config("Box refused " + call + ": " + what + " (" + r.status() + " " + message(r) + ")");
        }
        return new SyncFailure.Transient("Box answered " + call + " with " + r.status());
    }

    /** Box's error code and message (never the token). */
    private static String message(ProviderResponse r) {
        JsonNode body = r.json();
        String code = body.path("code").asText("");
        String message = body.path("message").asText("");
        if (code.isEmpty() && message.isEmpty()) {
            String text = r.text().strip();
            return text.length() > 300 ? text.substring(0, 300) + "..." : text;
        }
        return code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message;
    }
}
