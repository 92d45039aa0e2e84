package io.catchment.connectors.microsoft;

import static io.catchment.connectors.ConnectorHarness.bearer;
import static io.catchment.connectors.ConnectorHarness.changesUntilCaughtUp;
import static io.catchment.connectors.ConnectorHarness.connection;
import static io.catchment.connectors.ConnectorHarness.crawlAll;
import static io.catchment.connectors.ConnectorHarness.dataSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.connector.ChangePage;
import io.catchment.connector.Checkpoint;
import io.catchment.connector.Connection;
import io.catchment.connector.CrawlPage;
import io.catchment.connector.DataSourceType;
import io.catchment.connector.Fetched;
import io.catchment.connector.SiteDirectory;
import io.catchment.connector.SourceItem;
import io.catchment.connectors.ConnectorHarness.Caught;
import io.catchment.http.SyncFailure;
import io.catchment.json.Json;
import io.catchment.testing.sources.FakeGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharePointConnectorTest {
    private static final String TOKEN = "sp-access-token";

    private final FakeGraph fake = new FakeGraph(TOKEN::equals);

    @TempDir
    Path temp;

    @AfterEach
    void close() {
        fake.close();
    }

    private Connection connect(SharePointConnector connector, ObjectNode metadata) {
        return connection(connector, dataSource(DataSourceType.SHAREPOINT, metadata), bearer(() -> TOKEN),
                Optional.of(fake.apiBase()));
    }

    private Connection connect(SharePointConnector connector) {
        return connect(connector, Json.object());
    }

    private static Map<String, SourceItem> byId(List<SourceItem> items) {
        return items.stream().collect(Collectors.toMap(SourceItem::externalId, Function.identity(), (a, b) -> b,
                LinkedHashMap::new));
    }

    /** Root site (Documents), Marketing (Documents, Brand Assets), Engineering (Documents), with some content. */
    private final class Tenant {
        final String rootSite = fake.rootSiteId();
        final String rootDocs = fake.defaultDriveOf(rootSite);
        final String marketing = fake.addSite("Marketing", "Marketing Team");
        final String marketingDocs = fake.defaultDriveOf(marketing);
        final String brand = fake.addDrive(marketing, "Brand Assets");
        final String engineering = fake.addSite("Engineering", "Engineering");
        final String engineeringDocs = fake.defaultDriveOf(engineering);
        final String policies = fake.addFolder(rootDocs, "Policies");
        final String handbook = fake.addFile(policies, "Handbook.pdf", "%PDF-1.7 handbook");
        final String logos = fake.addFolder(brand, "Logos");
        final String logo = fake.addFile(logos, "logo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff});
        final String plan = fake.addFile(marketingDocs, "Plan.docx", "plan");
        final String spec = fake.addFile(engineeringDocs, "spec.md", "# Spec");
        final List<String> designs = fake.addFiles(engineeringDocs, 25, "design-");
    }

    @Test
    void sitesAreListedPageByPageWithTheRootSiteUnnamed() throws Exception {
        Tenant t = new Tenant();
        fake.sitesPageSize(2);
        SharePointConnector connector = new SharePointConnector();
        Connection c = connect(connector);

        SiteDirectory.SitePage first = connector.sites(c, Optional.empty());
        SiteDirectory.SitePage second = connector.sites(c, first.cursor());

        assertThat(first.sites()).hasSize(2);
        assertThat(first.cursor()).isPresent();
        assertThat(second.sites()).hasSize(1);
        assertThat(second.cursor()).isEmpty();
        Map<String, SiteDirectory.Site> sites = new LinkedHashMap<>();
        first.sites().forEach(s -> sites.put(s.id(), s));
        second.sites().forEach(s -> sites.put(s.id(), s));
        assertThat(sites.keySet()).containsExactly(t.rootSite, t.marketing, t.engineering);
        assertThat(sites.get(t.rootSite).name()).isEmpty();
        assertThat(sites.get(t.rootSite).url()).isEqualTo("https://contoso.sharepoint.com");
        SiteDirectory.Site marketing = sites.get(t.marketing);
        assertThat(marketing.name()).contains("Marketing");
        assertThat(marketing.displayName()).isEqualTo("Marketing Team");
        assertThat(marketing.url()).isEqualTo("https://contoso.sharepoint.com/sites/Marketing");
        assertThat(marketing.id().split(",")).hasSize(3).startsWith("contoso.sharepoint.com");
        assertThat(fake.requests().getFirst().query()).contains("search=*");
    }

    @Test
    void aSiteCursorForAnotherHostOrPathIsRefused() {
        SharePointConnector connector = new SharePointConnector();
        Connection c = connect(connector);

        assertThatThrownBy(() -> connector.sites(c, Optional.of("https://collector.example/v1.0/sites?search=*")))
                .isInstanceOf(SyncFailure.Config.class);
        assertThatThrownBy(() -> connector.sites(c, Optional.of(fake.apiBase() + "/me/drive")))
                .isInstanceOf(SyncFailure.Config.class);
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void crawlWalksSitesLibrariesAndTheirTrees() throws Exception {
        Tenant t = new Tenant();
        fake.sitesPageSize(2).drivesPageSize(1);
        SharePointConnector connector = new SharePointConnector(10);

        List<SourceItem> all = crawlAll(connector, connect(connector));

        Map<String, SourceItem> items = byId(all);
        assertThat(all).hasSize(items.size());
        assertThat(all).filteredOn(i -> i.itemType().equals("SITE")).extracting(SourceItem::externalId)
                .containsExactlyInAnyOrder(t.rootSite, t.marketing, t.engineering);
        assertThat(all).filteredOn(i -> i.itemType().equals("DRIVE")).extracting(SourceItem::externalId)
                .containsExactlyInAnyOrder(t.rootDocs, t.marketingDocs, t.brand, t.engineeringDocs);
        assertThat(items.keySet()).contains(t.policies, t.handbook, t.logos, t.logo, t.plan, t.spec).containsAll(t.designs);
        assertThat(all).hasSize(3 + 4 + (2 + 2 + 1 + 26));

        SourceItem site = items.get(t.marketing);
        assertThat(site.name()).isEqualTo("Marketing Team");
        assertThat(site.parentExternalId()).isEmpty();
        assertThat(site.rootExternalId()).isEqualTo(t.marketing);
        assertThat(site.expandable()).isTrue();
        assertThat(site.externalUrl()).contains("https://contoso.sharepoint.com/sites/Marketing");

        SourceItem library = items.get(t.brand);
        assertThat(library.name()).isEqualTo("Brand Assets");
        assertThat(library.parentExternalId()).contains(t.marketing);
        assertThat(library.rootExternalId()).isEqualTo(t.brand);
        assertThat(library.externalUrl()).contains("https://contoso.sharepoint.com/sites/Marketing/Brand%20Assets");

        assertThat(items.get(t.logos).parentExternalId()).contains(t.brand);
        SourceItem logo = items.get(t.logo);
        assertThat(logo.parentExternalId()).contains(t.logos);
        assertThat(logo.rootExternalId()).isEqualTo(t.brand);
        assertThat(logo.fileFormat()).contains("PNG");
        assertThat(logo.size()).hasValue(6);
        assertThat(logo.metadata().path("site_id").asText()).isEqualTo(t.marketing);
        assertThat(logo.metadata().path("drive_id").asText()).isEqualTo(t.brand);
        assertThat(items.get(t.handbook).parentExternalId()).contains(t.policies);
        assertThat(items.get(t.handbook).rootExternalId()).isEqualTo(t.rootDocs);
        assertThat(items.get(t.spec).parentExternalId()).contains(t.engineeringDocs);
        // the libraries' root items are represented by the DRIVE items
        for (String d : List.of(t.rootDocs, t.marketingDocs, t.brand, t.engineeringDocs)) {
            assertThat(items).doesNotContainKey(fake.rootItemId(d));
        }
        // sites paged by 2, a site's libraries by 1, the 26-entry library by 10
        assertThat(fake.count(r -> r.path().equals("/v1.0/sites"))).isEqualTo(2);
        assertThat(fake.count(r -> r.path().endsWith("/drives"))).isEqualTo(4);
        assertThat(fake.count(r -> r.path().equals("/v1.0/drives/" + t.engineeringDocs + "/root/delta"))).isEqualTo(3);
    }

    @Test
    void aCrawlResumedFromAnyStoredCheckpointGivesTheSameSet() throws Exception {
        new Tenant();
        fake.sitesPageSize(2).drivesPageSize(1);
        SharePointConnector connector = new SharePointConnector(10);
        Connection c = connect(connector);
        List<Checkpoint> checkpoints = new ArrayList<>();
        List<List<SourceItem>> pages = new ArrayList<>();
        Optional<Checkpoint> at = Optional.empty();
        do {
            CrawlPage page = connector.crawl(c, at);
            pages.add(page.items());
            at = page.next().map(cp -> Checkpoint.parse(cp.json()));
            at.ifPresent(checkpoints::add);
        } while (at.isPresent());
        Set<String> full = pages.stream().flatMap(List::stream).map(SourceItem::externalId).collect(Collectors.toSet());
        assertThat(checkpoints).hasSizeGreaterThan(8);

        for (int k = 0; k < checkpoints.size(); k++) {
            List<SourceItem> seen = new ArrayList<>();
            for (int p = 0; p <= k; p++) seen.addAll(pages.get(p));
            SharePointConnector restarted = new SharePointConnector(10);
            Optional<Checkpoint> from = Optional.of(checkpoints.get(k));
            while (from.isPresent()) {
                CrawlPage page = restarted.crawl(c, from);
                seen.addAll(page.items());
                from = page.next().map(cp -> Checkpoint.parse(cp.json()));
            }
            assertThat(seen).as("resumed after page %d", k).hasSize(full.size());
            assertThat(seen.stream().map(SourceItem::externalId).collect(Collectors.toSet())).isEqualTo(full);
        }
    }

    @Test
    void aNamedSiteLimitsTheCrawlAndTheFeedToThatSite() throws Exception {
        Tenant t = new Tenant();
        SharePointConnector connector = new SharePointConnector();
        Connection c = connect(connector, Json.object().put(SharePointConnector.SITE_NAME, "marketing"));

        Map<String, SourceItem> items = byId(crawlAll(connector, c));

        assertThat(items.keySet()).containsExactlyInAnyOrder(t.marketing, t.marketingDocs, t.brand, t.logos, t.logo, t.plan);
        Checkpoint cursor = connector.changeCursor(c).orElseThrow();
        List<String> feeds = new ArrayList<>();
        cursor.value().path("drives").fieldNames().forEachRemaining(feeds::add);
        assertThat(feeds).containsExactlyInAnyOrder(t.marketingDocs, t.brand);

        Connection missing = connect(connector, Json.object().put(SharePointConnector.SITE_NAME, "Finance"));
        assertThatThrownBy(() -> crawlAll(connector, missing)).isInstanceOf(SyncFailure.Config.class)
                .hasMessageContaining("Finance");
    }

    @Test
    void theChangeFeedCoversEveryLibraryInOneCursor() throws Exception {
        Tenant t = new Tenant();
        SharePointConnector connector = new SharePointConnector(5);
        Connection c = connect(connector);
        Map<String, SourceItem> before = byId(crawlAll(connector, c));
        Checkpoint cursor = connector.changeCursor(c).orElseThrow();
        assertThat(cursor.value().path("drives").size()).isEqualTo(4);

        String banner = fake.addFile(t.logos, "banner.png", "png");
        fake.editContent(t.handbook, "%PDF-1.7 handbook, second edition");
        fake.rename(t.plan, "Plan 2025.docx");
        String archive = fake.addFolder(t.engineeringDocs, "Archive");
        fake.move(t.spec, archive);
        fake.delete(t.designs.get(3));
        fake.delete(t.logos); // takes logo.png and the new banner with it
        Caught caught = changesUntilCaughtUp(connector, c, cursor);

        Map<String, SourceItem> changed = byId(caught.changed());
        assertThat(changed.values()).filteredOn(SourceItem::isFile).extracting(SourceItem::externalId)
                .containsExactlyInAnyOrder(t.handbook, t.plan, t.spec);
        assertThat(changed.get(t.handbook).version()).isPresent().isNotEqualTo(before.get(t.handbook).version());
        assertThat(changed.get(t.handbook).rootExternalId()).isEqualTo(t.rootDocs);
        assertThat(changed.get(t.plan).name()).isEqualTo("Plan 2025.docx");
        assertThat(changed.get(t.spec).parentExternalId()).contains(archive);
        assertThat(changed.get(archive).parentExternalId()).contains(t.engineeringDocs);
        assertThat(changed.get(archive).metadata().path("site_id").asText()).isEqualTo(t.engineering);
        assertThat(caught.removed()).containsExactlyInAnyOrder(t.designs.get(3), t.logos, t.logo, banner);

        Caught again = changesUntilCaughtUp(connector, c, caught.cursor());
        assertThat(again.changed()).isEmpty();
        assertThat(again.removed()).isEmpty();
    }

    @Test
    void aCaughtUpFeedOverTenThousandFilesCostsAtMostTwoRequests() throws Exception {
        String docs = fake.defaultDriveOf(fake.rootSiteId());
        fake.addFiles(fake.addFolder(docs, "Bulk"), 10_000, "doc-");
        SharePointConnector connector = new SharePointConnector();
        Connection c = connect(connector);
        Checkpoint cursor = connector.changeCursor(c).orElseThrow();

        fake.clearRequests();
        Caught caught = changesUntilCaughtUp(connector, c, cursor);

        assertThat(caught.changed()).isEmpty();
        assertThat(caught.removed()).isEmpty();
        assertThat(fake.requests()).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void aLibraryWhoseTokenExpiredOrThatWasDeletedResetsTheFeed() throws Exception {
        Tenant t = new Tenant();
        SharePointConnector connector = new SharePointConnector();
        Connection c = connect(connector);
        Checkpoint cursor = connector.changeCursor(c).orElseThrow();

        fake.expireDeltaTokens(t.brand);
        assertThat(readAll(connector, c, cursor)).isInstanceOfSatisfying(ChangePage.Reset.class,
                r -> assertThat(r.reason()).contains(t.brand));

        Checkpoint fresh = connector.changeCursor(c).orElseThrow();
        fake.deleteDrive(t.engineeringDocs);
        assertThat(readAll(connector, c, fresh)).isInstanceOf(ChangePage.Reset.class);
    }

    /** Reads the feed until it is caught up or reset; returns the last page. */
    private static ChangePage readAll(SharePointConnector connector, Connection c, Checkpoint cursor) throws SyncFailure {
        Checkpoint at = cursor;
        while (true) {
            ChangePage page = connector.changes(c, Checkpoint.parse(at.json()));
            if (!(page instanceof ChangePage.Changes ch) || !ch.more()) return page;
            at = ch.cursor();
        }
    }

    @Test
    void aLibraryDeletedDuringTheCrawlIsSkipped() throws Exception {
        Tenant t = new Tenant();
        SharePointConnector connector = new SharePointConnector();
        Connection c = connect(connector);
        List<SourceItem> seen = new ArrayList<>();
        Optional<Checkpoint> at = Optional.empty();
        boolean deleted = false;
        do {
            CrawlPage page = connector.crawl(c, at);
            seen.addAll(page.items());
            if (!deleted && seen.stream().anyMatch(i -> i.externalId().equals(t.engineeringDocs))) {
                fake.deleteDrive(t.engineeringDocs);
                deleted = true;
            }
            at = page.next();
        } while (at.isPresent());

        assertThat(byId(seen).keySet()).contains(t.logo, t.handbook).doesNotContain(t.spec);
    }

    @Test
    void fetchDownloadsALibraryFileExactly() throws Exception {
        Tenant t = new Tenant();
        SharePointConnector connector = new SharePointConnector();
        Connection c = connect(connector);
        SourceItem logo = byId(crawlAll(connector, c)).get(t.logo);

        Path target = temp.resolve("logo");
        Fetched fetched = connector.fetch(c, logo, target);

        assertThat(Files.readAllBytes(target)).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff});
        assertThat(fetched.fileName()).isEqualTo("logo.png");
        assertThat(fetched.mimeType()).contains("image/png");
        assertThat(fake.downloadRequests().getLast().header("authorization")).isEmpty();
    }

    @Test
    void throttlingWithRetryAfterIsWaitedOut() throws Exception {
        new Tenant();
        fake.failNext(FakeGraph.tooManyRequests(1), FakeGraph.serviceUnavailable(1));
        SharePointConnector connector = new SharePointConnector();

        SiteDirectory.SitePage page = connector.sites(connect(connector), Optional.empty());

        assertThat(page.sites()).hasSize(3);
        assertThat(fake.requests()).hasSize(3);
    }

    @Test
    void anExpiredTokenIsRenewedAndTheRequestRepeated() throws Exception {
        new Tenant();
        AtomicInteger asked = new AtomicInteger();
        SharePointConnector connector = new SharePointConnector();
        Connection c = connection(connector, dataSource(DataSourceType.SHAREPOINT, Json.object()),
                bearer(() -> asked.getAndIncrement() == 0 ? "stale" : TOKEN), Optional.of(fake.apiBase()));

        assertThat(connector.sites(c, Optional.empty()).sites()).hasSize(3);

        assertThat(fake.requests()).hasSize(2);
        assertThat(fake.requests().get(0).header("authorization")).contains("Bearer stale");
        assertThat(fake.requests().get(1).header("authorization")).contains("Bearer " + TOKEN);
    }

    @Test
    void noPermissionToListSitesIsAConfigurationProblemNamingGraphsError() {
        SharePointConnector connector = new SharePointConnector();
        Connection c = connect(connector);
        fake.failNext(FakeGraph.Reply.json(403, Map.of("error", Map.of("code", "accessDenied",
                "message", "Access denied. You do not have permission to perform this action or access this resource."))));

        assertThatThrownBy(() -> connector.crawl(c, Optional.empty())).isInstanceOf(SyncFailure.Config.class)
                .hasMessageContaining("accessDenied").hasMessageContaining("403");
    }
}
