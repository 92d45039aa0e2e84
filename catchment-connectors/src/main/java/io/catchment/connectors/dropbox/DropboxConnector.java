package io.catchment.connectors.dropbox;

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
import io.catchment.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Dropbox (API v2) for one user's account: the whole tree from the root through
 * {@code files/list_folder} (recursive) and its cursor, the cursor's change feed, and content
 * through {@code files/download} or, for files Dropbox cannot hand out as they are (Paper docs,
 * cloud docs), {@code files/export}.
 *
 * <p>Items are identified by {@code path_lower}: Dropbox's deleted entries carry only a path, so
 * a path is what lets a deletion be matched to an item. A rename or move is therefore a removal
 * of the old path plus new items at the new paths. There is no item for the root itself; every
 * item has {@code rootExternalId} {@value #ROOT}, and top-level items have no parent.
 *
 * <p>RPC calls go to the catalogue's API base ({@code https://api.dropboxapi.com/2}); content
 * calls go to the content host ({@code https://content.dropboxapi.com/2}), derived from the API
 * base: the host {@code api.dropboxapi.com} becomes {@code content.dropboxapi.com}, any other
 * base (an operator's proxy, a test fake serving both kinds of routes on one port) is used as it
 * is for content calls too.
 */
public final class DropboxConnector implements Connector {
    /** The {@code rootExternalId} of every Dropbox item: the account's root folder (not an item itself). */
    public static final String ROOT = "/";

    static final int PAGE_LIMIT = 2000;
    private static final String API_HOST = "api.dropboxapi.com";
    private static final String CONTENT_HOST = "content.dropboxapi.com";

    /** Crawl position: the list_folder cursor; empty means "start with list_folder". */
    record CrawlState(String cursor) {}

    /** Change-feed position: a list_folder cursor. */
    record FeedState(String cursor) {}

    /** Nothing to configure: endpoints come from the catalogue's API base (see the class comment). */
    public DropboxConnector() {}

    @Override
    public DataSourceType type() {
        return DataSourceType.DROPBOX;
    }

    @Override
    public RateLimitSignal rateLimits() {
        // Dropbox says how long to wait in the body ({"error": {"retry_after": N}}), not always in Retry-After.
        return (response, now) -> {
            if (response.status() != 429 || response.header("retry-after").isPresent()) return Optional.empty();
            JsonNode after = response.json().path("error").path("retry_after");
            return after.isNumber() ? Optional.of(Duration.ofMillis((long) (after.asDouble() * 1000))) : Optional.empty();
        };
    }

    @Override
    public CrawlPage crawl(Connection c, Optional<Checkpoint> from) throws SyncFailure {
        String cursor = from.map(cp -> cp.as(CrawlState.class).cursor()).orElse("");
        ProviderResponse r;
        if (cursor == null || cursor.isEmpty()) {
            ObjectNode body = Json.object();
            body.put("path", "");
            body.put("recursive", true);
            body.put("include_deleted", false);
            body.put("limit", PAGE_LIMIT);
            r = c.http().send(ProviderRequest.postJson(c.api() + "/files/list_folder", Json.write(body)));
        } else {
            r = continueFrom(c, cursor);
            if (isCursorRejected(r)) {
                // The listing cursor went stale mid-crawl: list again from the start.
                return new CrawlPage(List.of(), Optional.of(Checkpoint.of(new CrawlState(""))));
            }
        }
        if (!r.ok()) throw failure("files/list_folder", r);
        JsonNode page = r.json();
        List<SourceItem> items = new ArrayList<>();
        for (JsonNode entry : page.path("entries")) {
            item(entry).ifPresent(items::add);
        }
        Optional<Checkpoint> next = page.path("has_more").asBoolean(false)
                ? Optional.of(Checkpoint.of(new CrawlState(requireCursor(page))))
                : Optional.empty();
        return new CrawlPage(items, next);
    }

    @Override
    public Optional<Checkpoint> changeCursor(Connection c) throws SyncFailure {
        ObjectNode body = Json.object();
        body.put("path", "");
        body.put("recursive", true);
        body.put("include_deleted", false);
        ProviderResponse r = c.http().send(ProviderRequest.postJson(c.api() + "/files/list_folder/get_latest_cursor",
                Json.write(body)));
        if (!r.ok()) throw failure("files/list_folder/get_latest_cursor", r);
        return Optional.of(Checkpoint.of(new FeedState(requireCursor(r.json()))));
    }

    @Override
    public ChangePage changes(Connection c, Checkpoint cursor) throws SyncFailure {
        ProviderResponse r = continueFrom(c, cursor.as(FeedState.class).cursor());
        if (isCursorRejected(r)) {
            return new ChangePage.Reset("Dropbox no longer accepts the stored cursor (" + summary(r) + ")");
        }
        if (!r.ok()) throw failure("files/list_folder/continue", r);
        JsonNode page = r.json();
        // Entries are applied in order: the last word on a path wins.
        Map<String, Optional<SourceItem>> byPath = new LinkedHashMap<>();
        for (JsonNode entry : page.path("entries")) {
            String path = entry.path("path_lower").asText("");
            if (path.isEmpty()) continue;
            byPath.remove(path);
            if ("deleted".equals(entry.path(".tag").asText())) {
                byPath.put(path, Optional.empty());
            } else {
                Optional<SourceItem> item = item(entry);
                if (item.isPresent()) byPath.put(path, item);
            }
        }
        List<SourceItem> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        byPath.forEach((path, item) -> {
            if (item.isPresent()) changed.add(item.get());
            else removed.add(path);
        });
        return new ChangePage.Changes(changed, removed, Checkpoint.of(new FeedState(requireCursor(page))),
                page.path("has_more").asBoolean(false));
    }

    @Override
    public Fetched fetch(Connection c, SourceItem item, Path target) throws SyncFailure, ItemFailure {
        String content = contentBase(c.api());
        boolean downloadable = item.metadata().path("is_downloadable").asBoolean(true);
        if (downloadable) {
            ProviderResponse r = c.http().download(contentCall(content + "/files/download", item.externalId()), target);
            if (r.ok()) {
                JsonNode result = apiResult(r);
                String name = result.path("name").asText(item.name());
                return new Fetched(name, mimeOf(name));
            }
            if (!"unsupported_file".equals(r.json().path("error").path(".tag").asText())) {
                throw itemFailure(r, item);
            }
            // Dropbox will not hand this file out as it is; export it instead.
        }
        ProviderResponse r = c.http().download(contentCall(content + "/files/export", item.externalId()), target);
        if (!r.ok()) throw itemFailure(r, item);
        JsonNode result = apiResult(r);
        String exportAs = item.metadata().path("export_as").asText("");
        String fallback = exportAs.isEmpty() ? item.name() : baseName(item.name()) + "." + exportAs;
        String name = result.path("export_metadata").path("name").asText(fallback);
        return new Fetched(name, mimeOf(name));
    }

    /** The content host's base for an RPC base (see the class comment). */
    static String contentBase(String apiBase) {
        URI uri = URI.create(apiBase);
        if (!API_HOST.equalsIgnoreCase(uri.getHost())) return apiBase;
        return uri.getScheme() + "://" + CONTENT_HOST + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
    }

    /**
     * JSON for the {@code Dropbox-API-Arg} header, made header-safe as Dropbox requires: every
     * character from 0x7F up is written as a JSON {@code \\uXXXX} escape.
     */
    static String headerSafeJson(ObjectNode arg) {
        String json = Json.write(arg);
        StringBuilder out = new StringBuilder(json.length() + 16);
        for (int i = 0; i < json.length(); i++) {
            char ch = json.charAt(i);
            if (ch >= 0x7F) out.append(String.format("\\u%04x", (int) ch));
            else out.append(ch);
        }
        return out.toString();
    }

    private static ProviderRequest contentCall(String url, String path) {
        ObjectNode arg = Json.object();
        arg.put("path", path);
        // A content-download call carries its argument in a header and has no body (and no Content-Type).
        return new ProviderRequest("POST", URI.create(url), Map.of("Dropbox-API-Arg", headerSafeJson(arg)),
                Optional.empty(), true);
    }

    private static ProviderResponse continueFrom(Connection c, String cursor) throws SyncFailure {
        ObjectNode body = Json.object();
        body.put("cursor", cursor);
        return c.http().send(ProviderRequest.postJson(c.api() + "/files/list_folder/continue", Json.write(body)));
    }

    /** A 409 {@code reset}, or a 400 refusing the cursor itself (a stored cursor that no longer parses). */
    private static boolean isCursorRejected(ProviderResponse r) {
        if (r.status() == 409) return "reset".equals(r.json().path("error").path(".tag").asText());
        return r.status() == 400 && r.text().toLowerCase(java.util.Locale.ROOT).contains("cursor");
    }

    private static String requireCursor(JsonNode page) throws SyncFailure {
        String cursor = page.path("cursor").asText("");
        if (cursor.isEmpty()) throw new SyncFailure.Transient("Dropbox answered a listing without a cursor");
        return cursor;
    }

    /** A file or folder entry as an item; deleted entries (and anything else) give nothing. */
    static Optional<SourceItem> item(JsonNode e) {
        String tag = e.path(".tag").asText();
        String path = e.path("path_lower").asText("");
        if (path.isEmpty() || !(tag.equals("file") || tag.equals("folder"))) return Optional.empty();
        String name = e.path("name").asText(path.substring(path.lastIndexOf('/') + 1));
        String display = e.path("path_display").asText(path);
        int slash = path.lastIndexOf('/');
        Optional<String> parent = slash <= 0 ? Optional.empty() : Optional.of(path.substring(0, slash));
        ObjectNode meta = Json.object();
        meta.put("id", e.path("id").asText(""));
        meta.put("path_display", display);
        if (tag.equals("folder")) {
            return Optional.of(new SourceItem(path, parent, ROOT, name, ItemTypes.FOLDER, true, true, Optional.empty(),
                    Optional.of(webUrl(display, false)), Optional.empty(), OptionalLong.empty(), Optional.empty(),
                    Optional.empty(), meta));
        }
        boolean downloadable = e.path("is_downloadable").asBoolean(true);
        String exportAs = e.path("export_info").path("export_as").asText("");
        meta.put("rev", e.path("rev").asText(""));
        meta.put("is_downloadable", downloadable);
        if (!exportAs.isEmpty()) meta.put("export_as", exportAs);
        if (e.hasNonNull("client_modified")) meta.put("client_modified", e.path("client_modified").asText());
        String hash = e.path("content_hash").asText("");
        Optional<String> version = !hash.isEmpty() ? Optional.of(hash)
                : Optional.of(e.path("rev").asText("")).filter(s -> !s.isEmpty());
        Optional<String> format = (!downloadable && !exportAs.isEmpty()
                ? FileFormat.fromFileName(name + "." + exportAs) : FileFormat.fromFileName(name)).map(Enum::name);
        OptionalLong size = e.path("size").isNumber() ? OptionalLong.of(e.path("size").asLong()) : OptionalLong.empty();
        // Dropbox has no creation time; client_modified (kept in metadata) is whatever the uploading client claimed.
        return Optional.of(new SourceItem(path, parent, ROOT, name, ItemTypes.FILE, true, false, format,
                Optional.of(webUrl(display, true)), version, size, Optional.empty(),
                instant(e.path("server_modified").asText("")), meta));
    }

    /** The Dropbox web page for a path: folders open at their path, files as a preview in their folder. */
    static String webUrl(String pathDisplay, boolean file) {
        if (!file) return "https://www.dropbox.com/home" + encodePath(pathDisplay);
        int slash = pathDisplay.lastIndexOf('/');
        String folder = slash <= 0 ? "" : pathDisplay.substring(0, slash);
        return "https://www.dropbox.com/home" + encodePath(folder) + "?preview=" + encode(pathDisplay.substring(slash + 1));
    }

    private static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) continue;
            out.append('/').append(encode(segment));
        }
        return out.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Optional<Instant> instant(String text) {
        if (text.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static JsonNode apiResult(ProviderResponse r) {
        return r.header("dropbox-api-result").map(h -> {
            try {
                return Json.read(h);
            } catch (RuntimeException e) {
                return (JsonNode) Json.object();
            }
        }).orElse(Json.object());
    }

    private static Optional<String> mimeOf(String name) {
        return FileFormat.fromFileName(name).map(FileFormat::mimeType);
    }

    private static String baseName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static ItemFailure itemFailure(ProviderResponse r, SourceItem item) throws SyncFailure {
        if (r.status() == 409) {
            JsonNode error = r.json().path("error");
            String tag = error.path(".tag").asText();
            if (tag.equals("path") && error.path("path").path(".tag").asText().equals("not_found")) {
                return ItemFailure.gone("The file is no longer in Dropbox at " + item.externalId());
            }
            return ItemFailure.of("Dropbox could not give this file's content (" + summary(r) + ")");
        }
        if (r.status() == 404 || r.status() == 410) return ItemFailure.gone("The file is no longer in Dropbox");
        if (r.status() == 413) return ItemFailure.of(r.text());
        if (r.status() >= 400 && r.status() < 500) {
            return ItemFailure.of("Dropbox refused the download (" + r.status() + ": " + summary(r) + ")");
        }
        throw failure("files/download", r);
    }

    private static SyncFailure failure(String call, ProviderResponse r) {
        if (r.status() == 409) {
            return new SyncFailure.Config("Dropbox refused " + call + ": " + summary(r));
        }
        if (r.status() >= 400 && r.status() < 500) {
            return new SyncFailure.Config("Dropbox refused " + call + " (" + r.status() + "): " + summary(r));
        }
        return new SyncFailure.Transient("Dropbox answered " + call + " with " + r.status());
    }

    /** Dropbox's error_summary, or the plain-text body of a 400 (both name the problem, never the token). */
    private static String summary(ProviderResponse r) {
        String summary = r.json().path("error_summary").asText("");
        if (!summary.isEmpty()) return summary;
        String text = r.text().strip();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
