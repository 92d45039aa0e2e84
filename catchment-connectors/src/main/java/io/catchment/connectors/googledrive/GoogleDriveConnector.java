package io.catchment.connectors.googledrive;

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
import io.catchment.http.RateLimitSignal;
import io.catchment.http.SyncFailure;
import io.catchment.ingest.FileFormat;
import io.catchment.ingest.FormatSniffer;
import io.catchment.json.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static io.catchment.connectors.googledrive.GoogleApis.encode;
import static io.catchment.connectors.googledrive.GoogleApis.query;

/**
 * Google Drive (API v3): the user's My Drive, the shared drives they belong to, and files shared
 * with them. See this package's README for the calls, paging and change detection.
 *
 * <p>Items: My Drive's root folder (FOLDER, no parent), shared drives (itemType {@code DRIVE}),
 * folders (FOLDER) and files, with {@code parentExternalId} the Drive parent and
 * {@code rootExternalId} the shared drive id or the My Drive root id. Shortcuts are skipped (their
 * targets are listed where they live). Google Docs, Sheets and Slides are exported as text/plain,
 * text/csv and text/plain; other native types (Drawings, Forms, Sites, ...) are listed but fail
 * one by one at fetch.
 */
public final class GoogleDriveConnector implements Connector {
    static final String FOLDER = "application/vnd.google-apps.folder";
    static final String SHORTCUT = "application/vnd.google-apps.shortcut";
    static final String DOCUMENT = "application/vnd.google-apps.document";
    static final String SPREADSHEET = "application/vnd.google-apps.spreadsheet";
    static final String PRESENTATION = "application/vnd.google-apps.presentation";
    static final String NATIVE_PREFIX = "application/vnd.google-apps.";
    /** Item type of a shared drive. */
    public static final String DRIVE = "DRIVE";

    static final int PAGE_SIZE = 1000;
    static final String FILE_FIELDS = "id,name,mimeType,parents,driveId,md5Checksum,version,size,createdTime,"
            + "modifiedTime,webViewLink,trashed";
    private static final String LIST_FIELDS = "nextPageToken,incompleteSearch,files(" + FILE_FIELDS + ")";
    private static final String CHANGE_FIELDS = "nextPageToken,newStartPageToken,changes(changeType,time,removed,"
            + "fileId,driveId,drive(id,name,createdTime),file(" + FILE_FIELDS + "))";

    /**
     * Where a crawl stands. {@code stage}: {@code drives} (listing shared drives) or {@code files}.
     * {@code corpus}: {@code allDrives} (one listing of everything), or, after Drive said the
     * all-drives search was incomplete, {@code user} and then {@code drive} for each id in
     * {@code drives} (the first being the one under way).
     */
    record Crawl(String stage, String myDriveId, String pageToken, List<String> drives, String corpus) {
        Crawl {
            drives = drives == null ? List.of() : List.copyOf(drives);
        }
    }

    /** The change feed's position, and My Drive's root id (the root of items outside shared drives). */
    record Cursor(String pageToken, String myDriveId) {}

    /** Takes nothing: the API base (e.g. {@code https://www.googleapis.com/drive/v3}) comes with each {@link Connection}. */
    public GoogleDriveConnector() {}

    @Override
    public DataSourceType type() {
        return DataSourceType.GOOGLE_DRIVE;
    }

    @Override
    public RateLimitSignal rateLimits() {
        return GoogleApis.rateLimits();
    }

    // ---- crawl ----

    @Override
    public CrawlPage crawl(Connection c, Optional<Checkpoint> from) throws SyncFailure {
        if (from.isEmpty()) {
            JsonNode root = root(c, "id,name,mimeType,createdTime,modifiedTime,webViewLink");
            String rootId = root.path("id").asText();
            SourceItem rootItem = toItem(root, rootId).orElseThrow();
            return new CrawlPage(List.of(rootItem), Optional.of(Checkpoint.of(new Crawl("drives", rootId, null, List.of(), null))));
        }
        Crawl at = from.get().as(Crawl.class);
        return switch (at.stage()) {
            case "drives" -> crawlDrives(c, at);
            case "files" -> crawlFiles(c, at);
            default -> throw new IllegalStateException("unknown Google Drive crawl stage " + at.stage());
        };
    }

    private CrawlPage crawlDrives(Connection c, Crawl at) throws SyncFailure {
        ProviderResponse r = get(c, "/drives" + query("pageSize", "100", "pageToken", at.pageToken()));
        if (!r.ok()) throw refused(r, "listing shared drives");
        JsonNode body = r.json();
        List<SourceItem> items = new ArrayList<>();
        List<String> drives = new ArrayList<>(at.drives());
        for (JsonNode d : body.path("drives")) {
            items.add(driveItem(d));
            drives.add(d.path("id").asText());
        }
        String next = text(body, "nextPageToken");
        Crawl then = next != null ? new Crawl("drives", at.myDriveId(), next, drives, null)
                : new Crawl("files", at.myDriveId(), null, drives, "allDrives");
        return new CrawlPage(items, Optional.of(Checkpoint.of(then)));
    }

    private CrawlPage crawlFiles(Connection c, Crawl at) throws SyncFailure {
        String corpus = at.corpus();
        String driveId = corpus.equals("drive") ? at.drives().getFirst() : null;
        ProviderResponse r = get(c, "/files" + query("q", "trashed = false", "corpora", corpus, "driveId", driveId,
                "supportsAllDrives", "true", "includeItemsFromAllDrives", "true", "pageSize", String.valueOf(PAGE_SIZE),
                "fields", LIST_FIELDS, "pageToken", at.pageToken()));
        if (r.status() == 404 && driveId != null) {
            return new CrawlPage(List.of(), nextDrive(at)); // the shared drive went away (or we left it) meanwhile
        }
        if (!r.ok()) throw refused(r, "listing files");
        JsonNode body = r.json();
        List<SourceItem> items = new ArrayList<>();
        for (JsonNode f : body.path("files")) {
            if (f.path("trashed").asBoolean(false)) continue;
            toItem(f, at.myDriveId()).ifPresent(items::add);
        }
        String next = text(body, "nextPageToken");
        Optional<Checkpoint> then;
        if (corpus.equals("allDrives") && body.path("incompleteSearch").asBoolean(false)) {
            // Drive could not search every corpus at once: list them one by one instead.
            then = Optional.of(Checkpoint.of(new Crawl("files", at.myDriveId(), null, at.drives(), "user")));
        } else if (next != null) {
            then = Optional.of(Checkpoint.of(new Crawl("files", at.myDriveId(), next, at.drives(), corpus)));
        } else if (corpus.equals("user")) {
            then = at.drives().isEmpty() ? Optional.empty()
                    : Optional.of(Checkpoint.of(new Crawl("files", at.myDriveId(), null, at.drives(), "drive")));
        } else if (corpus.equals("drive")) {
            then = nextDrive(at);
        } else {
            then = Optional.empty();
        }
        return new CrawlPage(items, then);
    }

    private static Optional<Checkpoint> nextDrive(Crawl at) {
        List<String> rest = at.drives().subList(1, at.drives().size());
        return rest.isEmpty() ? Optional.empty()
                : Optional.of(Checkpoint.of(new Crawl("files", at.myDriveId(), null, rest, "drive")));
    }

    private JsonNode root(Connection c, String fields) throws SyncFailure {
        ProviderResponse r = get(c, "/files/root" + query("supportsAllDrives", "true", "fields", fields));
        if (!r.ok()) throw refused(r, "reading the My Drive root folder");
        JsonNode root = r.json();
        if (text(root, "id") == null) throw new SyncFailure.Config("Google Drive answered the My Drive root folder without an id");
        return root;
    }

    // ---- change feed ----

    @Override
    public Optional<Checkpoint> changeCursor(Connection c) throws SyncFailure {
        String rootId = root(c, "id").path("id").asText();
        ProviderResponse r = get(c, "/changes/startPageToken" + query("supportsAllDrives", "true"));
        if (!r.ok()) throw refused(r, "reading the change feed's start token");
        String token = text(r.json(), "startPageToken");
        if (token == null) throw new SyncFailure.Config("Google Drive answered no startPageToken");
        return Optional.of(Checkpoint.of(new Cursor(token, rootId)));
    }

    @Override
    public ChangePage changes(Connection c, Checkpoint cursor) throws SyncFailure {
        Cursor at = cursor.as(Cursor.class);
        ProviderResponse r = get(c, "/changes" + query("pageToken", at.pageToken(), "pageSize", String.valueOf(PAGE_SIZE),
                "includeRemoved", "true", "supportsAllDrives", "true", "includeItemsFromAllDrives", "true",
                "fields", CHANGE_FIELDS));
        if (r.status() == 404 || r.status() == 410 || (r.status() == 400 && GoogleApis.aboutPageToken(r))) {
            return new ChangePage.Reset("Google Drive no longer accepts the saved change token (HTTP " + r.status() + ": "
                    + GoogleApis.message(r) + ")");
        }
        if (!r.ok()) throw refused(r, "reading the change feed");
        JsonNode body = r.json();
        List<SourceItem> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (JsonNode ch : body.path("changes")) {
            if ("drive".equals(text(ch, "changeType"))) {
                String driveId = text(ch, "driveId");
                if (ch.path("removed").asBoolean(false) || !ch.path("drive").isObject()) {
                    if (driveId != null) removed.add(driveId);
                } else {
                    changed.add(driveItem(ch.path("drive")));
                }
                continue;
            }
            String fileId = text(ch, "fileId");
            JsonNode file = ch.path("file");
            if (ch.path("removed").asBoolean(false) || !file.isObject() || file.path("trashed").asBoolean(false)) {
                if (fileId != null) removed.add(fileId);
                continue;
            }
            toItem(file, at.myDriveId()).ifPresent(changed::add);
        }
        String next = text(body, "nextPageToken");
        if (next != null) return new ChangePage.Changes(changed, removed, Checkpoint.of(new Cursor(next, at.myDriveId())), true);
        String start = text(body, "newStartPageToken");
        if (start == null) throw new SyncFailure.Config("Google Drive's change list had neither nextPageToken nor newStartPageToken");
        return new ChangePage.Changes(changed, removed, Checkpoint.of(new Cursor(start, at.myDriveId())), false);
    }

    // ---- fetch ----

    /** How a native type is exported: the target MIME type and the extension added to the name. */
    record Export(String mimeType, String extension) {}

    static Optional<Export> exportFor(String mimeType) {
        return switch (mimeType) {
            case DOCUMENT, PRESENTATION -> Optional.of(new Export("text/plain", ".txt"));
            case SPREADSHEET -> Optional.of(new Export("text/csv", ".csv"));
            default -> Optional.empty();
        };
    }

    @Override
    public Fetched fetch(Connection c, SourceItem item, Path target) throws SyncFailure, ItemFailure {
        if (item.expandable()) throw ItemFailure.of("'" + item.name() + "' is a folder, not a file");
        String mimeType = item.metadata().path("mime_type").asText("");
        String id = encode(item.externalId());
        if (mimeType.startsWith(NATIVE_PREFIX)) {
            Export export = exportFor(mimeType).orElseThrow(() -> ItemFailure.of("Google Drive cannot export this kind of"
                    + " Google file (" + mimeType.substring(NATIVE_PREFIX.length()) + ") as text"));
            ProviderResponse r = c.http().download(ProviderRequest.get(base(c) + "/files/" + id + "/export"
                    + query("mimeType", export.mimeType())), target);
            if (!r.ok()) throw itemFailure(r, "export");
            return new Fetched(item.name() + export.extension(), Optional.of(export.mimeType()));
        }
        ProviderResponse r = c.http().download(ProviderRequest.get(base(c) + "/files/" + id
                + query("alt", "media", "supportsAllDrives", "true")), target);
        if (!r.ok()) throw itemFailure(r, "download");
        Optional<String> type = r.header("content-type").or(() -> mimeType.isEmpty() ? Optional.empty() : Optional.of(mimeType));
        return new Fetched(item.name(), type);
    }

    private static ItemFailure itemFailure(ProviderResponse r, String what) {
        if (r.status() == 404) return ItemFailure.gone("The file is no longer in Google Drive");
        if (r.status() == 413) return ItemFailure.of(r.text());
        if (GoogleApis.reasons(r).contains("exportSizeLimitExceeded")) {
            return ItemFailure.of("The document is larger than Google Drive can export (about 10 MB)");
        }
        return ItemFailure.of("Google Drive refused the " + what + " (HTTP " + r.status() + "): " + GoogleApis.message(r));
    }

    // ---- items ----

    /** A Drive file resource as an item; empty for shortcuts. */
    static Optional<SourceItem> toItem(JsonNode f, String myDriveId) {
        String id = f.path("id").asText();
        String mimeType = f.path("mimeType").asText("");
        if (mimeType.equals(SHORTCUT)) return Optional.empty();
        String name = f.path("name").asText(id);
        String driveId = text(f, "driveId");
        String root = driveId != null ? driveId : myDriveId;
        Optional<String> parent = id.equals(myDriveId) || id.equals(driveId) ? Optional.empty()
                : Optional.ofNullable(text(f.path("parents"), 0));
        Optional<String> url = Optional.ofNullable(text(f, "webViewLink"));
        ObjectNode metadata = Json.object();
        metadata.put("mime_type", mimeType);
        if (driveId != null) metadata.put("drive_id", driveId);
        Optional<Instant> created = instant(text(f, "createdTime"));
        Optional<Instant> modified = instant(text(f, "modifiedTime"));
        if (mimeType.equals(FOLDER)) {
            return Optional.of(new SourceItem(id, parent, root, name, ItemTypes.FOLDER, true, true, Optional.empty(), url,
                    Optional.empty(), OptionalLong.empty(), created, modified, metadata));
        }
        Optional<String> version = Optional.ofNullable(text(f, "md5Checksum")).or(() -> Optional.ofNullable(text(f, "version")));
        OptionalLong size = OptionalLong.empty();
        String rawSize = text(f, "size");
        if (rawSize != null) {
            try {
                size = OptionalLong.of(Long.parseLong(rawSize));
            } catch (NumberFormatException ignored) {
                // Drive sends int64 as a string; anything else is left out
            }
        }
        return Optional.of(new SourceItem(id, parent, root, name, ItemTypes.FILE, true, false, format(mimeType, name), url,
                version, size, created, modified, metadata));
    }

    static Optional<String> format(String mimeType, String name) {
        if (mimeType.startsWith(NATIVE_PREFIX)) {
            return switch (mimeType) {
                case DOCUMENT, PRESENTATION -> Optional.of(FileFormat.TXT.name());
                case SPREADSHEET -> Optional.of(FileFormat.CSV.name());
                default -> Optional.empty();
            };
        }
        return FileFormat.fromFileName(name).or(() -> FormatSniffer.fromMimeType(mimeType)).map(Enum::name);
    }

    private static SourceItem driveItem(JsonNode d) {
        String id = d.path("id").asText();
        return new SourceItem(id, Optional.empty(), id, d.path("name").asText(id), DRIVE, true, true, Optional.empty(),
                Optional.of("https://drive.google.com/drive/folders/" + id), Optional.empty(), OptionalLong.empty(),
                instant(text(d, "createdTime")), Optional.empty(), Json.object());
    }

    // ---- plumbing ----

    private static String base(Connection c) {
        String api = c.api();
        return api.endsWith("/") ? api.substring(0, api.length() - 1) : api;
    }

    private static ProviderResponse get(Connection c, String pathAndQuery) throws SyncFailure {
        return c.http().send(ProviderRequest.get(base(c) + pathAndQuery));
    }

    /** An answer a listing cannot go on from: something the user has to fix (scope, access, a removed account). */
    private static SyncFailure refused(ProviderResponse r, String what) {
        return new SyncFailure.Config("Google Drive refused " + what + " (HTTP " + r.status() + "): " + GoogleApis.message(r));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.isNull() && !v.asText().isEmpty() ? v.asText() : null;
    }

    private static String text(JsonNode array, int index) {
        JsonNode v = array.path(index);
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
