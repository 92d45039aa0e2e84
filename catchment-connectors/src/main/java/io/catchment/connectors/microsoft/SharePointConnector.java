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
import io.catchment.connector.SiteDirectory;
import io.catchment.connector.SourceItem;
import io.catchment.http.ProviderResponse;
import io.catchment.http.SyncFailure;
import io.catchment.json.Json;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * SharePoint Online through Microsoft Graph: the sites the account can see
 * ({@code GET /sites?search=*}), each site's document libraries ({@code GET /sites/{id}/drives})
 * and each library's tree through its delta, as {@link OneDriveConnector} reads a drive. When the
 * data source's metadata names a site ({@value #SITE_NAME}), only that site is synced. Also lists
 * a tenant's sites for {@code /integrations/sharepoint/sites/list}. See the README beside this class.
 */
public final class SharePointConnector implements Connector, SiteDirectory {
    /** Items per delta page when the composition root does not choose. */
    public static final int DEFAULT_PAGE_SIZE = 200;
    /** Data source metadata naming the one site to sync (the connect request's {@code site_name}). */
    public static final String SITE_NAME = "sharepoint_site_name";

    private final GraphDrives graph;

    /** Pages of {@value #DEFAULT_PAGE_SIZE}; the API base comes from the connection (the catalogue's Graph URL). */
    public SharePointConnector() {
        this(DEFAULT_PAGE_SIZE);
    }

    /** @param deltaPageSize {@code $top} of delta requests (tests use small pages) */
    public SharePointConnector(int deltaPageSize) {
        this.graph = new GraphDrives("SharePoint", deltaPageSize);
    }

    /**
     * Where a crawl stands, worked through depth first so the lists stay short: the drive being
     * enumerated ({@code current}), libraries still to enumerate, the next page of a site's
     * libraries, sites whose libraries are still to list, the next page of sites.
     * {@code matched}: a site passed the site-name filter.
     */
    record Crawl(String sitesLink, List<String> sites, String drivesLink, String drivesSite, List<DriveTodo> drives,
                 DriveRun current, boolean matched) {
        Crawl {
            sites = sites == null ? List.of() : List.copyOf(sites);
            drives = drives == null ? List.of() : List.copyOf(drives);
        }

        boolean done() {
            return current == null && drives.isEmpty() && drivesLink == null && sites.isEmpty() && sitesLink == null;
        }
    }

    record DriveTodo(String driveId, String siteId) {}

    record DriveRun(String driveId, String siteId, String rootItemId, String link) {}

    /**
     * The change feed: each library's delta link, and the libraries still to read in the pass
     * under way (empty between syncs: the next call starts a pass over all of them).
     */
    record Cursor(Map<String, DriveCursor> drives, List<String> pass) {
        Cursor {
            drives = drives == null ? Map.of() : new LinkedHashMap<>(drives);
            pass = pass == null ? List.of() : List.copyOf(pass);
        }
    }

    record DriveCursor(String siteId, String rootItemId, String link) {}

    @Override
    public DataSourceType type() {
        return DataSourceType.SHAREPOINT;
    }

    // ------------------------------------------------------------------------------------ sites

    @Override
    public SitePage sites(Connection c, Optional<String> cursor) throws SyncFailure {
        String link = cursor.orElse(sitesSearch(c));
        URI uri = graph.checkedLink(c, link);
        if (!uri.getRawPath().equals(URI.create(GraphDrives.apiBase(c)).getRawPath() + "/sites")) {
            throw new SyncFailure.Config("That cursor does not continue a SharePoint site listing");
        }
        JsonNode page = graph.getJson(c, link, "the list of sites");
        List<Site> sites = new ArrayList<>();
        for (JsonNode s : page.path("value")) {
            String id = s.path("id").asText("");
            if (id.isEmpty()) continue;
            Optional<String> name = GraphDrives.text(s, "name");
            sites.add(new Site(id, name, GraphDrives.text(s, "displayName").or(() -> name).orElse(id),
                    GraphDrives.text(s, "webUrl").orElse("")));
        }
        return new SitePage(sites, GraphDrives.text(page, "@odata.nextLink"));
    }

    // ------------------------------------------------------------------------------------ crawl

    @Override
    public CrawlPage crawl(Connection c, Optional<Checkpoint> from) throws SyncFailure {
        Crawl at = from.isPresent() ? from.get().as(Crawl.class)
                : new Crawl(sitesSearch(c), List.of(), null, null, List.of(), null, false);
        Optional<String> wanted = wantedSite(c);
        List<SourceItem> items = new ArrayList<>();
        Crawl next;
        if (at.current() != null) {
            next = enumerate(c, at, at.current(), items);
        } else if (!at.drives().isEmpty()) {
            DriveTodo todo = at.drives().getFirst();
            Crawl rest = new Crawl(at.sitesLink(), at.sites(), at.drivesLink(), at.drivesSite(),
                    at.drives().subList(1, at.drives().size()), null, at.matched());
            Optional<String> root = graph.rootItemId(c, todo.driveId());
            next = root.isEmpty() ? rest // the library was deleted since it was listed
                    : enumerate(c, rest, new DriveRun(todo.driveId(), todo.siteId(), root.get(),
                            graph.deltaStart(c, todo.driveId())), items);
        } else if (at.drivesLink() != null) {
            next = listDrives(c, at, at.drivesLink(), at.drivesSite(), items);
        } else if (!at.sites().isEmpty()) {
            String site = at.sites().getFirst();
            Crawl rest = new Crawl(at.sitesLink(), at.sites().subList(1, at.sites().size()), null, null, at.drives(),
                    null, at.matched());
            next = listDrives(c, rest, GraphDrives.url(c, "sites", site, "drives"), site, items);
        } else if (at.sitesLink() != null) {
            next = listSites(c, at, wanted, items);
        } else {
            next = at;
        }
        return new CrawlPage(items, next.done() ? Optional.empty() : Optional.of(Checkpoint.of(next)));
    }

    private Crawl listSites(Connection c, Crawl at, Optional<String> wanted, List<SourceItem> items) throws SyncFailure {
        JsonNode page = graph.getJson(c, at.sitesLink(), "the list of sites");
        List<String> sites = new ArrayList<>(at.sites());
        boolean matched = at.matched();
        for (JsonNode s : page.path("value")) {
            String id = s.path("id").asText("");
            if (id.isEmpty() || (wanted.isPresent() && !isWanted(s, wanted.get()))) continue;
            matched = true;
            sites.add(id);
            items.add(siteItem(s));
        }
        String nextLink = GraphDrives.text(page, "@odata.nextLink").orElse(null);
        if (nextLink == null && wanted.isPresent() && !matched) throw noSuchSite(wanted.get());
        return new Crawl(nextLink, sites, null, null, at.drives(), null, matched);
    }

    private Crawl listDrives(Connection c, Crawl rest, String link, String siteId, List<SourceItem> items) throws SyncFailure {
        ProviderResponse r = graph.get(c, link);
        if (r.status() == 404) {
            return new Crawl(rest.sitesLink(), rest.sites(), null, null, rest.drives(), null, rest.matched());
        }
        if (!r.ok()) throw graph.refused(r, "the document libraries of site " + siteId);
        JsonNode page = r.json();
        List<DriveTodo> drives = new ArrayList<>(rest.drives());
        for (JsonNode d : page.path("value")) {
            String id = d.path("id").asText("");
            if (id.isEmpty()) continue;
            drives.add(new DriveTodo(id, siteId));
            items.add(driveItem(d, siteId));
        }
        String nextLink = GraphDrives.text(page, "@odata.nextLink").orElse(null);
        return new Crawl(rest.sitesLink(), rest.sites(), nextLink, nextLink == null ? null : siteId, drives, null,
                rest.matched());
    }

    private Crawl enumerate(Connection c, Crawl rest, DriveRun run, List<SourceItem> items) throws SyncFailure {
        GraphDrives.DriveRef ref = new GraphDrives.DriveRef(run.driveId(), run.rootItemId(), run.siteId());
        DriveRun current = switch (graph.readDelta(c, ref, run.link())) {
            case GraphDrives.Delta.Page page -> {
                items.addAll(page.changed());
                yield page.nextLink().map(l -> new DriveRun(run.driveId(), run.siteId(), run.rootItemId(), l)).orElse(null);
            }
            // the enumeration's link expired mid-way: enumerate this library again from the start
            case GraphDrives.Delta.Expired expired ->
                    new DriveRun(run.driveId(), run.siteId(), run.rootItemId(), graph.deltaStart(c, run.driveId()));
            case GraphDrives.Delta.Missing missing -> null; // the library was deleted during the crawl
        };
        return new Crawl(rest.sitesLink(), rest.sites(), rest.drivesLink(), rest.drivesSite(), rest.drives(), current,
                rest.matched());
    }

    // ------------------------------------------------------------------------------- change feed

    @Override
    public Optional<Checkpoint> changeCursor(Connection c) throws SyncFailure {
        Optional<String> wanted = wantedSite(c);
        Map<String, DriveCursor> drives = new LinkedHashMap<>();
        boolean matched = false;
        for (String link = sitesSearch(c); link != null; ) {
            JsonNode page = graph.getJson(c, link, "the list of sites");
            for (JsonNode s : page.path("value")) {
                String siteId = s.path("id").asText("");
                if (siteId.isEmpty() || (wanted.isPresent() && !isWanted(s, wanted.get()))) continue;
                matched = true;
                for (String drivesLink = GraphDrives.url(c, "sites", siteId, "drives"); drivesLink != null; ) {
                    ProviderResponse r = graph.get(c, drivesLink);
                    if (r.status() == 404) break;
                    if (!r.ok()) throw graph.refused(r, "the document libraries of site " + siteId);
                    for (JsonNode d : r.json().path("value")) {
                        String driveId = d.path("id").asText("");
                        if (driveId.isEmpty()) continue;
                        Optional<String> root = graph.rootItemId(c, driveId);
                        Optional<String> latest = root.isEmpty() ? Optional.empty() : graph.latestDeltaLink(c, driveId);
                        if (latest.isPresent()) drives.put(driveId, new DriveCursor(siteId, root.get(), latest.get()));
                    }
                    drivesLink = GraphDrives.text(r.json(), "@odata.nextLink").orElse(null);
                }
            }
            link = GraphDrives.text(page, "@odata.nextLink").orElse(null);
        }
        if (wanted.isPresent() && !matched) throw noSuchSite(wanted.get());
        return Optional.of(Checkpoint.of(new Cursor(drives, List.of())));
    }

    @Override
    public ChangePage changes(Connection c, Checkpoint cursor) throws SyncFailure {
        Cursor at = cursor.as(Cursor.class);
        List<String> pass = at.pass().isEmpty() ? List.copyOf(at.drives().keySet()) : at.pass();
        if (pass.isEmpty()) return new ChangePage.Changes(List.of(), List.of(), cursor, false);
        String driveId = pass.getFirst();
        List<String> rest = pass.subList(1, pass.size());
        DriveCursor drive = at.drives().get(driveId);
        if (drive == null) {
            return new ChangePage.Changes(List.of(), List.of(), Checkpoint.of(new Cursor(at.drives(), rest)), !rest.isEmpty());
        }
        GraphDrives.DriveRef ref = new GraphDrives.DriveRef(driveId, drive.rootItemId(), drive.siteId());
        return switch (graph.readDelta(c, ref, drive.link())) {
            case GraphDrives.Delta.Page page -> {
                Map<String, DriveCursor> drives = new LinkedHashMap<>(at.drives());
                drives.put(driveId, new DriveCursor(drive.siteId(), drive.rootItemId(),
                        page.nextLink().or(page::deltaLink).orElseThrow()));
                List<String> left = page.nextLink().isPresent() ? pass : rest;
                yield new ChangePage.Changes(page.changed(), page.removed(), Checkpoint.of(new Cursor(drives, left)),
                        !left.isEmpty());
            }
            case GraphDrives.Delta.Expired expired -> new ChangePage.Reset(expired.reason());
            case GraphDrives.Delta.Missing missing -> new ChangePage.Reset("SharePoint library " + missing.reason());
        };
    }

    @Override
    public Fetched fetch(Connection c, SourceItem item, Path target) throws SyncFailure, ItemFailure {
        return graph.fetch(c, item, target);
    }

    // ------------------------------------------------------------------------------------ helpers

    private static String sitesSearch(Connection c) {
        return GraphDrives.url(c, "sites") + "?search=*";
    }

    private static Optional<String> wantedSite(Connection c) {
        String name = c.dataSource().metadata().path(SITE_NAME).asText("").strip();
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    /** The site's URL name or display name is the one asked for (case-insensitive). */
    private static boolean isWanted(JsonNode site, String wanted) {
        String w = wanted.toLowerCase(Locale.ROOT);
        return GraphDrives.text(site, "name").map(n -> n.toLowerCase(Locale.ROOT).equals(w)).orElse(false)
                || GraphDrives.text(site, "displayName").map(n -> n.toLowerCase(Locale.ROOT).equals(w)).orElse(false);
    }

    private static SyncFailure.Config noSuchSite(String name) {
        return new SyncFailure.Config("No SharePoint site named \"" + name + "\" is visible to this account");
    }

    private static SourceItem siteItem(JsonNode s) {
        String id = s.path("id").asText();
        Optional<String> name = GraphDrives.text(s, "name");
        ObjectNode meta = Json.object().put("site_id", id);
        name.ifPresent(n -> meta.put("site_name", n));
        return GraphDrives.container(id, Optional.empty(), id, GraphDrives.text(s, "displayName").or(() -> name).orElse(id),
                GraphDrives.SITE, GraphDrives.text(s, "webUrl"), meta);
    }

    private static SourceItem driveItem(JsonNode d, String siteId) {
        String id = d.path("id").asText();
        ObjectNode meta = Json.object().put("drive_id", id).put("site_id", siteId);
        GraphDrives.text(d, "driveType").ifPresent(t -> meta.put("drive_type", t));
        return GraphDrives.container(id, Optional.of(siteId), id, GraphDrives.text(d, "name").orElse(id), GraphDrives.DRIVE,
                GraphDrives.text(d, "webUrl"), meta);
    }
}
