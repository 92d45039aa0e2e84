package io.catchment.connectors.microsoft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.connector.Connection;
import io.catchment.connector.Fetched;
import io.catchment.connector.ItemFailure;
import io.catchment.connector.ItemTypes;
import io.catchment.connector.SourceItem;
import io.catchment.http.ProviderRequest;
import io.catchment.http.ProviderResponse;
import io.catchment.http.SyncFailure;
import io.catchment.ingest.FileFormat;
import io.catchment.ingest.FormatSniffer;
import io.catchment.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the OneDrive and SharePoint connectors share: Graph URLs, reading one page of a drive's
 * delta, turning {@code driveItem}s into {@link SourceItem}s, and downloading content.
 *
 * <p>A drive's root item (the one with {@code root{}}) is represented by the drive itself: items
 * directly under it get the drive id as parent, and the root item is not reported on its own.
 */
final class GraphDrives {
    static final String DRIVE = "DRIVE";
    static final String SITE = "SITE";

    private final String provider;
    private final int pageSize;

    /**
     * @param provider names the service in messages ("OneDrive", "SharePoint")
     * @param pageSize {@code $top} of delta requests
     */
    GraphDrives(String provider, int pageSize) {
        if (pageSize < 1) throw new IllegalArgumentException("page size must be positive");
        this.provider = provider;
        this.pageSize = pageSize;
    }

    /** The drive a delta page belongs to; {@code siteId} is null for a OneDrive. */
    record DriveRef(String driveId, String rootItemId, String siteId) {}

    /** One page of a drive's delta, or why the link no longer works. */
    sealed interface Delta {
        /** Items created or changed (last occurrence wins) and ids deleted; exactly one of the links is present. */
        record Page(List<SourceItem> changed, List<String> removed, Optional<String> nextLink,
                    Optional<String> deltaLink) implements Delta {}

        /** 410: the token is no longer accepted; a full enumeration is needed. */
        record Expired(String reason) implements Delta {}

        /** 404: the drive itself is gone. */
        record Missing(String reason) implements Delta {}
    }

    String provider() {
        return provider;
    }

    /** {@code api/seg1/seg2...} with each segment percent-encoded. */
    static String url(Connection c, String... segments) {
        StringBuilder b = new StringBuilder(apiBase(c));
        for (String s : segments) b.append('/').append(segment(s));
        return b.toString();
    }

    static String apiBase(Connection c) {
        String api = c.api();
        return api.endsWith("/") ? api.substring(0, api.length() - 1) : api;
    }

    /** The first delta page of a full enumeration of the drive. */
    String deltaStart(Connection c, String driveId) {
        return url(c, "drives", driveId, "root", "delta") + "?$top=" + pageSize;
    }

    /**
     * Sends a GET to a URL built here or a link Graph gave (kept in a checkpoint); a link that
     * does not lead to the configured API is refused, so credentials never go elsewhere.
     */
    ProviderResponse get(Connection c, String url) throws SyncFailure {
        return c.http().send(ProviderRequest.get(checkedLink(c, url)));
    }

    /** GET that must succeed: any answer but 2xx is a {@link SyncFailure.Config} naming what was asked. */
    JsonNode getJson(Connection c, String url, String what) throws SyncFailure {
        ProviderResponse r = get(c, url);
        if (!r.ok()) throw refused(r, what);
        return r.json();
    }

    SyncFailure.Config refused(ProviderResponse r, String what) {
        String hint = switch (r.status()) {
            case 403 -> "; the account lacks permission (Files.Read.All / Sites.Read.All)";
            case 404 -> "; it does not exist or is not visible to this account";
            default -> "";
        };
        return new SyncFailure.Config(provider + " refused " + what + " (HTTP " + r.status() + ": " + errorText(r) + ")"
                + hint);
    }

    /** The id of the drive's root item; empty when the drive is gone (404). */
    Optional<String> rootItemId(Connection c, String driveId) throws SyncFailure {
        ProviderResponse r = get(c, url(c, "drives", driveId, "root"));
        if (r.status() == 404) return Optional.empty();
        if (!r.ok()) throw refused(r, "the root folder of drive " + driveId);
        String id = r.json().path("id").asText("");
        if (id.isEmpty()) throw new SyncFailure.Config(provider + " answered a drive root without an id");
        return Optional.of(id);
    }

    /** The drive's current deltaLink ({@code token=latest}); empty when the drive is gone. */
    Optional<String> latestDeltaLink(Connection c, String driveId) throws SyncFailure {
        ProviderResponse r = get(c, url(c, "drives", driveId, "root", "delta") + "?token=latest&$top=" + pageSize);
        if (r.status() == 404) return Optional.empty();
        if (!r.ok()) throw refused(r, "the change feed of drive " + driveId);
        String link = r.json().path("@odata.deltaLink").asText("");
        if (link.isEmpty()) throw new SyncFailure.Config(provider + " answered token=latest without an @odata.deltaLink");
        return Optional.of(link);
    }

    /** Reads one delta page: a crawl's enumeration page or a change-feed page alike. */
    Delta readDelta(Connection c, DriveRef drive, String link) throws SyncFailure {
        ProviderResponse r = get(c, link);
        if (r.status() == 410) {
            return new Delta.Expired(provider + " no longer accepts the delta token of drive " + drive.driveId() + " ("
                    + errorText(r) + ")");
        }
        if (r.status() == 404) return new Delta.Missing("drive " + drive.driveId() + " no longer exists (" + errorText(r) + ")");
        if (!r.ok()) throw refused(r, "the delta of drive " + drive.driveId());
        JsonNode body = r.json();
        Map<String, Optional<SourceItem>> last = new LinkedHashMap<>();
        for (JsonNode item : body.path("value")) {
            String id = item.path("id").asText("");
            if (id.isEmpty() || item.has("root") || id.equals(drive.rootItemId())) continue;
            last.remove(id);
            last.put(id, item.has("deleted") ? Optional.empty() : Optional.of(toItem(item, drive)));
        }
        List<SourceItem> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        last.forEach((id, item) -> {
            if (item.isPresent()) changed.add(item.get());
            else removed.add(id);
        });
        Optional<String> next = text(body, "@odata.nextLink");
        Optional<String> delta = text(body, "@odata.deltaLink");
        if (next.isEmpty() && delta.isEmpty()) {
            throw new SyncFailure.Config(provider + " answered a delta page with neither @odata.nextLink nor @odata.deltaLink");
        }
        return new Delta.Page(changed, removed, next, next.isPresent() ? Optional.empty() : delta);
    }

    /** A {@code driveItem} as a file or folder of {@code drive}. */
    SourceItem toItem(JsonNode j, DriveRef drive) {
        String id = j.path("id").asText();
        String parentId = j.path("parentReference").path("id").asText("");
        String parent = parentId.isEmpty() || parentId.equals(drive.rootItemId()) ? drive.driveId() : parentId;
        String name = text(j, "name").orElse(id);
        ObjectNode meta = Json.object();
        meta.put("drive_id", drive.driveId());
        meta.put("item_id", id);
        if (drive.siteId() != null) meta.put("site_id", drive.siteId());
        text(j, "eTag").ifPresent(e -> meta.put("etag", e));
        Optional<String> url = text(j, "webUrl");
        Optional<Instant> created = time(j, "createdDateTime");
        Optional<Instant> modified = time(j, "lastModifiedDateTime");
        // a shortcut to an item of another drive (OneDrive's "Add to my files"): its content lives there
        JsonNode remote = j.path("remoteItem");
        if (remote.isObject() && text(remote, "id").isPresent() && text(remote.path("parentReference"), "driveId").isPresent()) {
            meta.put("item_id", remote.path("id").asText());
            meta.put("drive_id", remote.path("parentReference").path("driveId").asText());
        }
        JsonNode file = j.has("file") ? j.path("file") : remote.path("file");
        if (!file.isObject()) {
            // folders, and packages such as OneNote notebooks, whose parts are listed as their children
            if (j.has("package")) meta.put("package_type", j.path("package").path("type").asText(""));
            return new SourceItem(id, Optional.of(parent), drive.driveId(), name, ItemTypes.FOLDER, true, true,
                    Optional.empty(), url, Optional.empty(), OptionalLong.empty(), created, modified, meta);
        }
        Optional<String> mime = text(file, "mimeType");
        mime.ifPresent(m -> meta.put("mime_type", m));
        Optional<String> format = FileFormat.fromFileName(name).or(() -> mime.flatMap(FormatSniffer::fromMimeType))
                .map(Enum::name);
        OptionalLong size = j.path("size").isNumber() ? OptionalLong.of(j.path("size").asLong()) : OptionalLong.empty();
        return new SourceItem(id, Optional.of(parent), drive.driveId(), name, ItemTypes.FILE, true, false, format, url,
                version(j), size, created, modified, meta);
    }

    /**
     * What changes when the content does: a content hash (OneDrive for Business leaves
     * {@code cTag} out of delta answers, hashes are always there), else the cTag, else the eTag.
     */
    static Optional<String> version(JsonNode j) {
        JsonNode hashes = (j.has("file") ? j : j.path("remoteItem")).path("file").path("hashes");
        for (String h : List.of("quickXorHash", "sha256Hash", "sha1Hash", "crc32Hash")) {
            Optional<String> v = text(hashes, h);
            if (v.isPresent()) return v;
        }
        return text(j, "cTag").or(() -> text(j, "eTag"));
    }

    /** Downloads a file: {@code /content} answers 302 to a pre-authenticated URL, followed without credentials. */
    Fetched fetch(Connection c, SourceItem item, Path target) throws SyncFailure, ItemFailure {
        if (!item.isFile()) throw ItemFailure.of(item.name() + " is a " + item.itemType() + ", not a file");
        String driveId = item.metadata().path("drive_id").asText("");
        String itemId = item.metadata().path("item_id").asText(item.externalId());
        if (driveId.isEmpty()) throw ItemFailure.of("no drive id was recorded for " + item.name() + "; sync the source again");
        ProviderResponse r = c.http().download(ProviderRequest.get(url(c, "drives", driveId, "items", itemId, "content")),
                target);
        if (r.ok()) {
            Optional<String> mime = text(item.metadata(), "mime_type")
                    .or(() -> r.header("content-type").map(t -> t.split(";")[0].strip()));
            return new Fetched(item.name(), mime);
        }
        if (r.status() == 404 || r.status() == 410) {
            throw ItemFailure.gone(provider + " says " + item.name() + " no longer exists (" + errorText(r) + ")");
        }
        if (r.status() == 413) throw ItemFailure.of(item.name() + " is too large to sync: " + r.text());
        throw ItemFailure.of(provider + " refused to download " + item.name() + " (HTTP " + r.status() + ": "
                + errorText(r) + ")");
    }

    /** Graph's {@code error.code: error.message}, or the start of a non-Graph body. */
    static String errorText(ProviderResponse r) {
        JsonNode error = r.json().path("error");
        String code = error.path("code").asText("");
        String message = error.path("message").isTextual() ? error.path("message").asText() : "";
        if (code.isEmpty() && message.isEmpty()) {
            String text = r.text().strip();
            return text.isEmpty() ? "no details" : text.length() > 200 ? text.substring(0, 200) + "..." : text;
        }
        if (code.isEmpty()) return message;
        return message.isEmpty() ? code : code + ": " + message;
    }

    /** {@code link} when it leads to the configured Graph API (same scheme, host, port, under its path). */
    URI checkedLink(Connection c, String link) throws SyncFailure {
        URI api = URI.create(apiBase(c));
        URI uri;
        try {
            uri = URI.create(link);
        } catch (IllegalArgumentException e) {
            throw new SyncFailure.Config(provider + " link is not a URL; start the sync over");
        }
        boolean same = api.getScheme().equalsIgnoreCase(String.valueOf(uri.getScheme()))
                && api.getHost() != null && api.getHost().equalsIgnoreCase(String.valueOf(uri.getHost()))
                && port(api) == port(uri)
                && uri.getRawPath() != null && uri.getRawPath().startsWith(api.getRawPath() + "/");
        if (!same) {
            throw new SyncFailure.Config(provider + " link " + uri.getHost() + uri.getRawPath()
                    + " does not lead to the configured Graph API; start the sync over");
        }
        return uri;
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) return uri.getPort();
        return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }

    static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() && !v.asText().isBlank() ? Optional.of(v.asText()) : Optional.empty();
    }

    static Optional<Instant> time(JsonNode node, String field) {
        Optional<String> v = text(node, field);
        if (v.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Instant.parse(v.get()));
        } catch (DateTimeParseException notInstant) {
            try {
                return Optional.of(OffsetDateTime.parse(v.get()).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }

    /** A container (drive, site) with its metadata. */
    static SourceItem container(String id, Optional<String> parent, String root, String name, String itemType,
                                Optional<String> url, ObjectNode metadata) {
        return new SourceItem(id, parent, root, name, itemType, true, true, Optional.empty(), url, Optional.empty(),
                OptionalLong.empty(), Optional.empty(), Optional.empty(), metadata);
    }

    /** RFC 3986 path segment: unreserved characters and sub-delimiters kept, the rest percent-encoded. */
    static String segment(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int ch = x & 0xff;
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                    || "-._~!$&'()*+,;=:@".indexOf(ch) >= 0) {
                b.append((char) ch);
            } else {
                b.append('%').append(String.format(Locale.ROOT, "%02X", ch));
            }
        }
        return b.toString();
    }
}
