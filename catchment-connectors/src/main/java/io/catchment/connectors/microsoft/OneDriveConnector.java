package io.catchment.connectors.microsoft;

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
import io.catchment.connector.SourceItem;
import io.catchment.http.ProviderResponse;
import io.catchment.http.SyncFailure;
import io.catchment.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The signed-in user's OneDrive through Microsoft Graph ({@code GET /me/drive}). The crawl is the
 * drive's delta enumerated from scratch, {@code $top} items a page, following
 * {@code @odata.nextLink} until {@code @odata.deltaLink}; the change feed is the same delta read
 * from a {@code token=latest} link. The drive is one {@code DRIVE} item (its root folder);
 * folders and files hang below it with Graph's item ids. See the README beside this class.
 */
public final class OneDriveConnector implements Connector {
    /** Items per delta page when the composition root does not choose. */
    public static final int DEFAULT_PAGE_SIZE = 200;

    private final GraphDrives graph;

    /** Pages of {@value #DEFAULT_PAGE_SIZE}; the API base comes from the connection (the catalogue's Graph URL). */
    public OneDriveConnector() {
        this(DEFAULT_PAGE_SIZE);
    }

    /** @param deltaPageSize {@code $top} of delta requests (tests use small pages) */
    public OneDriveConnector(int deltaPageSize) {
        this.graph = new GraphDrives("OneDrive", deltaPageSize);
    }

    /** Where a crawl stands: the drive and the next delta page to read. */
    record Crawl(String driveId, String rootItemId, String link) {}

    /** The change feed's position: the drive and its deltaLink (or a nextLink while catching up). */
    record Cursor(String driveId, String rootItemId, String link) {}

    @Override
    public DataSourceType type() {
        return DataSourceType.ONEDRIVE;
    }

    @Override
    public CrawlPage crawl(Connection c, Optional<Checkpoint> from) throws SyncFailure {
        List<SourceItem> items = new ArrayList<>();
        Crawl at;
        if (from.isEmpty()) {
            JsonNode drive = myDrive(c);
            String driveId = drive.path("id").asText();
            String root = rootOf(c, driveId);
            items.add(driveItem(drive));
            at = new Crawl(driveId, root, graph.deltaStart(c, driveId));
        } else {
            at = from.get().as(Crawl.class);
        }
        GraphDrives.DriveRef ref = new GraphDrives.DriveRef(at.driveId(), at.rootItemId(), null);
        return switch (graph.readDelta(c, ref, at.link())) {
            case GraphDrives.Delta.Page page -> {
                items.addAll(page.changed());
                yield new CrawlPage(items, page.nextLink().map(next -> Checkpoint.of(new Crawl(at.driveId(),
                        at.rootItemId(), next))));
            }
            // The enumeration's link expired mid-way: start the enumeration over (the engine compares sets).
            case GraphDrives.Delta.Expired expired -> new CrawlPage(items, Optional.of(Checkpoint.of(
                    new Crawl(at.driveId(), at.rootItemId(), graph.deltaStart(c, at.driveId())))));
            case GraphDrives.Delta.Missing missing -> throw new SyncFailure.Config("The OneDrive being synced is gone: "
                    + missing.reason() + "; reconnect the account");
        };
    }

    @Override
    public Optional<Checkpoint> changeCursor(Connection c) throws SyncFailure {
        String driveId = myDrive(c).path("id").asText();
        String root = rootOf(c, driveId);
        String link = graph.latestDeltaLink(c, driveId).orElseThrow(() -> new SyncFailure.Config(
                "OneDrive drive " + driveId + " disappeared while starting its change feed"));
        return Optional.of(Checkpoint.of(new Cursor(driveId, root, link)));
    }

    @Override
    public ChangePage changes(Connection c, Checkpoint cursor) throws SyncFailure {
        Cursor at = cursor.as(Cursor.class);
        GraphDrives.DriveRef ref = new GraphDrives.DriveRef(at.driveId(), at.rootItemId(), null);
        return switch (graph.readDelta(c, ref, at.link())) {
            case GraphDrives.Delta.Page page -> new ChangePage.Changes(page.changed(), page.removed(),
                    Checkpoint.of(new Cursor(at.driveId(), at.rootItemId(), page.nextLink().or(page::deltaLink).orElseThrow())),
                    page.nextLink().isPresent());
            case GraphDrives.Delta.Expired expired -> new ChangePage.Reset(expired.reason());
            case GraphDrives.Delta.Missing missing -> new ChangePage.Reset(missing.reason());
        };
    }

    @Override
    public Fetched fetch(Connection c, SourceItem item, Path target) throws SyncFailure, ItemFailure {
        return graph.fetch(c, item, target);
    }

    private JsonNode myDrive(Connection c) throws SyncFailure {
        ProviderResponse r = graph.get(c, GraphDrives.url(c, "me", "drive"));
        if (r.status() == 404) {
            throw new SyncFailure.Config("This Microsoft account has no OneDrive (Graph answered 404: "
                    + GraphDrives.errorText(r) + "); open OneDrive once or check the account's license");
        }
        if (!r.ok()) throw graph.refused(r, "the account's drive (/me/drive)");
        JsonNode drive = r.json();
        if (drive.path("id").asText("").isEmpty()) throw new SyncFailure.Config("OneDrive answered /me/drive without an id");
        return drive;
    }

    private String rootOf(Connection c, String driveId) throws SyncFailure {
        return graph.rootItemId(c, driveId).orElseThrow(() -> new SyncFailure.Config(
                "OneDrive drive " + driveId + " has no root folder visible to this account"));
    }

    private static SourceItem driveItem(JsonNode drive) {
        String id = drive.path("id").asText();
        ObjectNode meta = Json.object().put("drive_id", id);
        GraphDrives.text(drive, "driveType").ifPresent(t -> meta.put("drive_type", t));
        return GraphDrives.container(id, Optional.empty(), id, GraphDrives.text(drive, "name").orElse("OneDrive"),
                GraphDrives.DRIVE, GraphDrives.text(drive, "webUrl"), meta);
    }
}
