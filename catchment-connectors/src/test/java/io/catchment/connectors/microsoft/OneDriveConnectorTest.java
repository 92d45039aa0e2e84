package io.catchment.connectors.microsoft;

import static io.catchment.connectors.ConnectorHarness.bearer;
import static io.catchment.connectors.ConnectorHarness.changesUntilCaughtUp;
import static io.catchment.connectors.ConnectorHarness.connection;
import static io.catchment.connectors.ConnectorHarness.crawlAll;
import static io.catchment.connectors.ConnectorHarness.dataSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catchment.connector.ChangePage;
import io.catchment.connector.Checkpoint;
import io.catchment.connector.Connection;
import io.catchment.connector.CrawlPage;
import io.catchment.connector.DataSourceType;
import io.catchment.connector.Fetched;
import io.catchment.connector.ItemFailure;
import io.catchment.connector.ItemTypes;
import io.catchment.connector.SourceItem;
import io.catchment.connectors.ConnectorHarness.Caught;
import io.catchment.http.Authenticator;
import io.catchment.http.SyncFailure;
import io.catchment.json.Json;
import io.catchment.testing.models.RecordedRequest;
import io.catchment.testing.sources.FakeGraph;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
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

class OneDriveConnectorTest {
    private static final String TOKEN = "graph-access-token";

    private final FakeGraph fake = new FakeGraph(TOKEN::equals);
    private final String drive = fake.meDriveId();

    @TempDir
    Path temp;

    @AfterEach
    void close() {
        fake.close();
    }

    private Connection connect(OneDriveConnector connector, Authenticator auth) {
        return connection(connector, dataSource(DataSourceType.ONEDRIVE, Json.object()), auth, Optional.of(fake.apiBase()));
    }

    private Connection connect(OneDriveConnector connector) {
        return connect(connector, bearer(() -> TOKEN));
    }

    private static Map<String, SourceItem> byId(List<SourceItem> items) {
        return items.stream().collect(Collectors.toMap(SourceItem::externalId, Function.identity(), (a, b) -> b,
                LinkedHashMap::new));
    }

    private long deltaRequests() {
        return fake.count(r -> r.path().endsWith("/root/delta"));
    }

    @Test
    void crawlEnumeratesTheWholeDrivePageByPageWithItsFields() throws Exception {
        String reports = fake.addFolder(drive, "Reports");
        String year = fake.addFolder(reports, "2024");
        byte[] docx = "PK\u0003\u0004 not really a docx".getBytes(StandardCharsets.UTF_8);
        String plan = fake.addFile(year, "Plan Q3.docx", docx);
        String notes = fake.addFile(drive, "notes.md", "# Notes\n");
        List<String> bulk = fake.addFiles(reports, 120, "r-");
        OneDriveConnector connector = new OneDriveConnector(50);

        List<SourceItem> all = crawlAll(connector, connect(connector));

        Map<String, SourceItem> items = byId(all);
        assertThat(all).hasSize(1 + 2 + 2 + 120);
        assertThat(items).hasSize(all.size());
        assertThat(items).doesNotContainKey(fake.rootItemId(drive));
        assertThat(items.keySet()).containsAll(bulk).contains(drive, reports, year, plan, notes);
        // 125 delta entries (the root item included) at 50 a page
        assertThat(deltaRequests()).isEqualTo(3);
        RecordedRequest first = fake.requests().stream().filter(r -> r.path().endsWith("/root/delta")).findFirst().orElseThrow();
        assertThat(first.path()).isEqualTo("/v1.0/drives/" + drive + "/root/delta");
        assertThat(first.query()).contains("$top=50");

        SourceItem driveItem = items.get(drive);
        assertThat(driveItem.itemType()).isEqualTo("DRIVE");
        assertThat(driveItem.name()).isEqualTo("OneDrive");
        assertThat(driveItem.parentExternalId()).isEmpty();
        assertThat(driveItem.rootExternalId()).isEqualTo(drive);
        assertThat(driveItem.expandable()).isTrue();
        assertThat(driveItem.externalUrl()).hasValueSatisfying(u -> assertThat(u).startsWith("https://contoso-my.sharepoint.com/"));

        SourceItem folder = items.get(reports);
        assertThat(folder.itemType()).isEqualTo(ItemTypes.FOLDER);
        assertThat(folder.parentExternalId()).contains(drive);
        assertThat(folder.rootExternalId()).isEqualTo(drive);
        assertThat(folder.expandable()).isTrue();
        assertThat(folder.selectable()).isTrue();
        assertThat(folder.version()).isEmpty();
        assertThat(folder.externalUrl()).hasValueSatisfying(u -> assertThat(u).endsWith("/Documents/Reports"));
        assertThat(items.get(year).parentExternalId()).contains(reports);

        SourceItem file = items.get(plan);
        assertThat(file.itemType()).isEqualTo(ItemTypes.FILE);
        assertThat(file.isFile()).isTrue();
        assertThat(file.name()).isEqualTo("Plan Q3.docx");
        assertThat(file.parentExternalId()).contains(year);
        assertThat(file.rootExternalId()).isEqualTo(drive);
        assertThat(file.fileFormat()).contains("DOCX");
        assertThat(file.size()).hasValue(docx.length);
        assertThat(file.version()).hasValueSatisfying(v -> assertThat(v).hasSize(28)); // base64 of 20 bytes
        assertThat(file.createdAt()).isPresent();
        assertThat(file.modifiedAt()).isPresent();
        assertThat(file.externalUrl()).hasValueSatisfying(u -> assertThat(u).endsWith("/Reports/2024/Plan%20Q3.docx"));
        assertThat(file.metadata().path("drive_id").asText()).isEqualTo(drive);
        assertThat(file.metadata().path("item_id").asText()).isEqualTo(plan);
        assertThat(file.metadata().path("mime_type").asText()).startsWith("application/vnd.openxmlformats");

        assertThat(items.get(notes).fileFormat()).contains("MD");
        assertThat(items.get(notes).parentExternalId()).contains(drive);
        assertThat(items.get(bulk.getFirst()).fileFormat()).contains("TXT");
        assertThat(items.get(bulk.getFirst()).parentExternalId()).contains(reports);
    }

    @Test
    void aCrawlResumedFromAMidwayCheckpointGivesTheSameSet() throws Exception {
        String folder = fake.addFolder(drive, "A");
        fake.addFiles(folder, 70, "a-");
        fake.addFiles(drive, 60, "top-");
        OneDriveConnector connector = new OneDriveConnector(40);
        Connection c = connect(connector);
        Set<String> full = byId(crawlAll(connector, c)).keySet();

        CrawlPage one = connector.crawl(c, Optional.empty());
        CrawlPage two = connector.crawl(c, one.next());
        Checkpoint stored = Checkpoint.parse(two.next().orElseThrow().json());
        fake.clearRequests();
        // a new process picks the crawl up where the stored checkpoint says
        OneDriveConnector restarted = new OneDriveConnector(40);
        List<SourceItem> seen = new ArrayList<>(one.items());
        seen.addAll(two.items());
        Optional<Checkpoint> at = Optional.of(stored);
        while (at.isPresent()) {
            CrawlPage page = restarted.crawl(c, at);
            seen.addAll(page.items());
            at = page.next().map(cp -> Checkpoint.parse(cp.json()));
        }

        assertThat(seen.stream().map(SourceItem::externalId).collect(Collectors.toSet())).isEqualTo(full);
        assertThat(seen).hasSize(full.size());
        assertThat(fake.count(r -> r.path().equals("/v1.0/me/drive"))).isZero();
    }

    @Test
    void aDeltaLinkThatExpiresMidCrawlStartsTheEnumerationOver() throws Exception {
        fake.addFiles(drive, 30, "f-");
        OneDriveConnector connector = new OneDriveConnector(10);
        Connection c = connect(connector);
        CrawlPage first = connector.crawl(c, Optional.empty());

        fake.expireDeltaTokens(drive);
        Set<String> seen = new HashSet<>(byId(first.items()).keySet());
        Optional<Checkpoint> at = first.next();
        while (at.isPresent()) {
            CrawlPage page = connector.crawl(c, at);
            page.items().forEach(i -> seen.add(i.externalId()));
            at = page.next();
        }

        assertThat(seen).hasSize(31);
        assertThat(fake.count(r -> r.path().endsWith("/root/delta") && r.query().isPresent()
                && r.query().get().startsWith("$top=10"))).isEqualTo(2);
    }

    @Test
    void fetchFollowsTheRedirectAndWritesTheExactBytesWithoutSendingTheToken() throws Exception {
        byte[] bytes = new byte[768];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) i;
        String id = fake.addFile(fake.addFolder(drive, "Scans"), "scan 1.pdf", bytes);
        OneDriveConnector connector = new OneDriveConnector();
        Connection c = connect(connector);
        SourceItem item = byId(crawlAll(connector, c)).get(id);
        fake.clearRequests();

        Path target = temp.resolve("content");
        Fetched fetched = connector.fetch(c, item, target);

        assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
        assertThat(fetched.fileName()).isEqualTo("scan 1.pdf");
        assertThat(fetched.mimeType()).contains("application/pdf");
        RecordedRequest content = fake.lastRequest();
        assertThat(content.path()).isEqualTo("/v1.0/drives/" + drive + "/items/" + id + "/content");
        assertThat(content.header("authorization")).contains("Bearer " + TOKEN);
        RecordedRequest download = fake.downloadRequests().getLast();
        assertThat(download.path()).isEqualTo("/_layouts/15/download.aspx");
        assertThat(download.header("authorization")).isEmpty();
    }

    @Test
    void fetchOfAFileDeletedSinceTheCrawlIsGone() throws Exception {
        String id = fake.addFile(drive, "old.txt", "bye");
        OneDriveConnector connector = new OneDriveConnector();
        Connection c = connect(connector);
        SourceItem item = byId(crawlAll(connector, c)).get(id);
        fake.delete(id);

        assertThatThrownBy(() -> connector.fetch(c, item, temp.resolve("x")))
                .isInstanceOfSatisfying(ItemFailure.class, f -> {
                    assertThat(f.gone()).isTrue();
                    assertThat(f.getMessage()).contains("old.txt").contains("itemNotFound");
                });
    }

    @Test
    void theChangeFeedReportsAddsEditsRenamesMovesAndDeletes() throws Exception {
        String docs = fake.addFolder(drive, "Docs");
        String archive = fake.addFolder(drive, "Archive");
        String keep = fake.addFile(docs, "keep.txt", "same");
        String edited = fake.addFile(docs, "edit.txt", "v1");
        String renamed = fake.addFile(docs, "old-name.txt", "r");
        String moved = fake.addFile(docs, "mover.txt", "m");
        String deleted = fake.addFile(docs, "gone.txt", "g");
        String doomed = fake.addFolder(drive, "Doomed");
        String inDoomed = fake.addFile(doomed, "inner.txt", "i");
        OneDriveConnector connector = new OneDriveConnector(2);
        Connection c = connect(connector);
        Map<String, SourceItem> before = byId(crawlAll(connector, c));
        Checkpoint cursor = connector.changeCursor(c).orElseThrow();

        String added = fake.addFile(docs, "new.txt", "hello");
        fake.editContent(edited, "v2");
        fake.rename(renamed, "new-name.txt");
        fake.move(moved, archive);
        fake.delete(deleted);
        fake.delete(doomed);
        fake.clearRequests();
        Caught caught = changesUntilCaughtUp(connector, c, cursor);

        Map<String, SourceItem> changed = byId(caught.changed());
        assertThat(changed.keySet()).contains(added, edited, renamed, moved).doesNotContain(keep, fake.rootItemId(drive));
        assertThat(changed.values()).filteredOn(SourceItem::isFile).extracting(SourceItem::externalId)
                .containsExactlyInAnyOrder(added, edited, renamed, moved);
        assertThat(changed.get(added).name()).isEqualTo("new.txt");
        assertThat(changed.get(added).parentExternalId()).contains(docs);
        assertThat(changed.get(added).rootExternalId()).isEqualTo(drive);
        assertThat(changed.get(edited).version()).isPresent().isNotEqualTo(before.get(edited).version());
        assertThat(changed.get(renamed).name()).isEqualTo("new-name.txt");
        assertThat(changed.get(renamed).version()).isEqualTo(before.get(renamed).version());
        assertThat(changed.get(moved).parentExternalId()).contains(archive);
        assertThat(caught.removed()).containsExactlyInAnyOrder(deleted, doomed, inDoomed);
        assertThat(deltaRequests()).as("pages of 2").isGreaterThan(2);

        Caught again = changesUntilCaughtUp(connector, c, caught.cursor());
        assertThat(again.changed()).isEmpty();
        assertThat(again.removed()).isEmpty();
    }

    @Test
    void aCaughtUpFeedOverTenThousandFilesCostsAtMostTwoRequests() throws Exception {
        String bulk = fake.addFolder(drive, "Bulk");
        assertThat(fake.addFiles(bulk, 10_000, "doc-")).hasSize(10_000);
        OneDriveConnector connector = new OneDriveConnector();
        Connection c = connect(connector);
        Checkpoint cursor = connector.changeCursor(c).orElseThrow();

        fake.clearRequests();
        Caught caught = changesUntilCaughtUp(connector, c, cursor);

        assertThat(caught.changed()).isEmpty();
        assertThat(caught.removed()).isEmpty();
        assertThat(fake.requests()).hasSizeLessThanOrEqualTo(2);

        String one = fake.addFile(bulk, "one-more.txt", "1");
        fake.clearRequests();
        Caught next = changesUntilCaughtUp(connector, c, caught.cursor());
        assertThat(next.changed()).filteredOn(SourceItem::isFile).extracting(SourceItem::externalId).containsExactly(one);
        assertThat(fake.requests()).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void aCursorGraphNoLongerAcceptsResetsTheFeed() throws Exception {
        OneDriveConnector connector = new OneDriveConnector();
        Connection c = connect(connector);
        Checkpoint cursor = connector.changeCursor(c).orElseThrow();
        fake.addFile(drive, "x.txt", "x");

        fake.expireDeltaTokens(drive);
        ChangePage page = connector.changes(c, cursor);

        assertThat(page).isInstanceOfSatisfying(ChangePage.Reset.class,
                r -> assertThat(r.reason()).contains("resyncChangesApplyDifferences"));

        String link = cursor.value().path("link").asText();
        Checkpoint forged = Checkpoint.parse(cursor.json().replace(link, link.replaceAll("token=[^&]*", "token=bogus")));
        assertThat(connector.changes(c, forged)).isInstanceOf(ChangePage.Reset.class);
    }

    @Test
    void aTooManyRequestsAnswerIsWaitedOut() throws Exception {
        fake.addFile(drive, "a.txt", "a");
        fake.failNext(FakeGraph.tooManyRequests(1));
        OneDriveConnector connector = new OneDriveConnector();

        List<SourceItem> all = crawlAll(connector, connect(connector));

        assertThat(all).hasSize(2);
        assertThat(fake.count(r -> r.path().equals("/v1.0/me/drive"))).isEqualTo(2);
    }

    @Test
    void aRejectedTokenIsRenewedOnceAndTheCallRepeated() throws Exception {
        fake.addFile(drive, "a.txt", "a");
        AtomicInteger asked = new AtomicInteger();
        OneDriveConnector connector = new OneDriveConnector();
        Connection c = connect(connector, bearer(() -> asked.getAndIncrement() == 0 ? "expired-token" : TOKEN));

        assertThat(crawlAll(connector, c)).hasSize(2);

        List<RecordedRequest> log = fake.requests();
        assertThat(log.get(0).header("authorization")).contains("Bearer expired-token");
        assertThat(log.get(1).path()).isEqualTo(log.get(0).path());
        assertThat(log.get(1).header("authorization")).contains("Bearer " + TOKEN);
    }

    @Test
    void aTokenThatCannotBeRenewedNeedsReauthorization() {
        OneDriveConnector connector = new OneDriveConnector();
        Connection c = connect(connector, bearer(() -> "revoked"));

        assertThatThrownBy(() -> connector.crawl(c, Optional.empty())).isInstanceOf(SyncFailure.Auth.class)
                .hasMessageNotContaining("revoked");
    }

    @Test
    void aCheckpointLinkToAnotherHostIsRefusedWithoutSendingAnything() {
        OneDriveConnector connector = new OneDriveConnector();
        Connection c = connect(connector);
        Checkpoint evil = Checkpoint.of(new OneDriveConnector.Crawl(drive, "root",
                "https://collector.example/v1.0/drives/" + drive + "/root/delta"));

        assertThatThrownBy(() -> connector.crawl(c, Optional.of(evil))).isInstanceOf(SyncFailure.Config.class);
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void anAccountWithoutADriveIsAConfigurationProblem() {
        OneDriveConnector connector = new OneDriveConnector();
        Connection c = connection(connector, dataSource(DataSourceType.ONEDRIVE, Json.object()), bearer(() -> TOKEN),
                Optional.of(fake.baseUrl() + "/v2.0"));

        assertThatThrownBy(() -> connector.crawl(c, Optional.empty())).isInstanceOf(SyncFailure.Config.class)
                .hasMessageContaining("404");
    }
}
