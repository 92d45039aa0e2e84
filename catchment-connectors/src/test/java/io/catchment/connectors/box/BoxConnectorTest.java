package io.catchment.connectors.box;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catchment.connector.ChangePage;
import io.catchment.connector.Checkpoint;
import io.catchment.connector.Connection;
import io.catchment.connector.CrawlPage;
import io.catchment.connector.DataSourceType;
import io.catchment.connector.Fetched;
import io.catchment.connector.ItemFailure;
import io.catchment.connector.SourceItem;
import io.catchment.connectors.ConnectorHarness;
import io.catchment.http.SyncFailure;
import io.catchment.json.Json;
import io.catchment.testing.models.RecordedRequest;
import io.catchment.testing.sources.FakeBox;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoxConnectorTest {
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private FakeBox fake;
    private BoxConnector connector;
    private Connection connection;

    private String docs;
    private String reports;
    private String plan;
    private String notes;
    private String link;

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        validTokens.add("box-at-1");
        fake = new FakeBox(validTokens::contains);
        connector = new BoxConnector();
        connection = connect(() -> "box-at-1");
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    private Connection connect(Supplier<String> tokens) {
        return ConnectorHarness.connection(connector, ConnectorHarness.dataSource(DataSourceType.BOX, Json.object()),
                ConnectorHarness.bearer(tokens), Optional.of(fake.apiBase().toString()));
    }

    private static Map<String, SourceItem> byId(List<SourceItem> items) {
        return items.stream().collect(Collectors.toMap(SourceItem::externalId, Function.identity(), (a, b) -> {
            throw new AssertionError("duplicate item " + a.externalId());
        }, LinkedHashMap::new));
    }

    private void tree() {
        docs = fake.addFolder(FakeBox.ROOT, "Docs");
        reports = fake.addFolder(docs, "Reports");
        plan = fake.addFile(docs, "Plan.docx", "pretend docx");
        notes = fake.addFile(FakeBox.ROOT, "notes.md", "# notes");
        link = fake.addWebLink(docs, "Website", "https://example.com/");
        fake.addFiles(reports, 70, "report-");
        String deep = fake.addFolder(reports, "Deep");
        fake.addFiles(deep, 3, "deep-");
    }

    private static Map<String, String> query(RecordedRequest r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : r.query().orElse("").split("&")) {
            if (pair.isEmpty()) continue;
            String[] kv = pair.split("=", 2);
            out.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    @Test
    void crawlWalksEveryFolderPageByPageWithItemFields() throws Exception {
        tree();
        fake.pageSize(20);

        List<SourceItem> items = ConnectorHarness.crawlAll(connector, connection);
        Map<String, SourceItem> byId = byId(items);

        // Root + every active file and folder; the web link is skipped.
        assertThat(items).hasSize(1 + fake.size());
        assertThat(byId).doesNotContainKey(link);

        SourceItem root = byId.get("0");
        assertThat(root.name()).isEqualTo("All Files");
        assertThat(root.parentExternalId()).isEmpty();
        assertThat(root.rootExternalId()).isEqualTo("0");
        assertThat(root.expandable()).isTrue();
        assertThat(root.externalUrl()).contains("https://app.box.com/folder/0");

        SourceItem docsItem = byId.get(docs);
        assertThat(docsItem.itemType()).isEqualTo("FOLDER");
        assertThat(docsItem.parentExternalId()).contains("0");
        assertThat(docsItem.rootExternalId()).isEqualTo("0");
        assertThat(docsItem.selectable()).isTrue();
        assertThat(docsItem.expandable()).isTrue();
        assertThat(docsItem.externalUrl()).contains("https://app.box.com/folder/" + docs);
        assertThat(docsItem.version()).isEmpty();

        SourceItem planItem = byId.get(plan);
        assertThat(planItem.name()).isEqualTo("Plan.docx");
        assertThat(planItem.itemType()).isEqualTo("FILE");
        assertThat(planItem.isFile()).isTrue();
        assertThat(planItem.parentExternalId()).contains(docs);
        assertThat(planItem.fileFormat()).contains("DOCX");
        assertThat(planItem.version()).contains(fake.sha1(plan));
        assertThat(planItem.size()).hasValue("pretend docx".length());
        assertThat(planItem.createdAt()).contains(fake.createdAt(plan));
        assertThat(planItem.modifiedAt()).contains(fake.modifiedAt(plan));
        assertThat(planItem.externalUrl()).contains("https://app.box.com/file/" + plan);
        assertThat(planItem.metadata().path("etag").asText()).isEqualTo(fake.etag(plan));
        assertThat(planItem.metadata().path("path").asText()).isEqualTo("All Files/Docs");

        assertThat(byId.get(notes).parentExternalId()).contains("0");
        assertThat(byId.get(notes).fileFormat()).contains("MD");

        List<RecordedRequest> listings = fake.requests().stream().filter(r -> r.path().endsWith("/items")).toList();
        assertThat(listings).allSatisfy(r -> {
            Map<String, String> q = query(r);
            assertThat(q.get("fields")).isEqualTo(
                    "type,id,name,size,modified_at,created_at,etag,sha1,sequence_id,parent,path_collection,item_status");
            assertThat(q.get("limit")).isEqualTo("1000");
            assertThat(q.get("usemarker")).isEqualTo("true");
        });
        // Reports has 71 items: 4 pages of 20; the others one page each (root, Docs, Deep).
        assertThat(listings).hasSize(3 + 4);
        assertThat(listings.stream().filter(r -> r.path().equals("/2.0/folders/" + reports + "/items"))
                .filter(r -> query(r).containsKey("marker"))).hasSize(3);
    }

    @Test
    void aCrawlResumedFromAMidwayCheckpointGivesTheSameItems() throws Exception {
        tree();
        fake.pageSize(15);
        Set<String> all = ConnectorHarness.crawlAll(connector, connection).stream()
                .map(SourceItem::externalId).collect(Collectors.toSet());

        List<SourceItem> seen = new ArrayList<>();
        Optional<Checkpoint> at = Optional.empty();
        for (int i = 0; i < 4; i++) {
            CrawlPage page = connector.crawl(connection, at);
            seen.addAll(page.items());
            at = page.next();
        }
        String stored = at.orElseThrow().json();
        // Mid-folder: the checkpoint holds the marker of the folder being listed and the queue after it.
        assertThat(at.get().as(BoxConnector.CrawlState.class).marker()).isNotEmpty();
        assertThat(at.get().as(BoxConnector.CrawlState.class).folders()).first().isEqualTo(reports);

        BoxConnector again = new BoxConnector();
        Connection c2 = ConnectorHarness.connection(again, ConnectorHarness.dataSource(DataSourceType.BOX, Json.object()),
                ConnectorHarness.bearer(() -> "box-at-1"), Optional.of(fake.apiBase().toString()));
        at = Optional.of(Checkpoint.parse(stored));
        while (at.isPresent()) {
            CrawlPage page = again.crawl(c2, at);
            seen.addAll(page.items());
            at = page.next().map(cp -> Checkpoint.parse(cp.json()));
        }
        assertThat(seen.stream().map(SourceItem::externalId)).doesNotHaveDuplicates();
        assertThat(seen.stream().map(SourceItem::externalId).collect(Collectors.toSet())).isEqualTo(all);
    }

    @Test
    void aStaleMarkerListsTheFolderAgainFromItsStart() throws Exception {
        tree();
        fake.pageSize(20);
        Checkpoint stale = Checkpoint.of(new BoxConnector.CrawlState(List.of(reports), "bm90LWEtbWFya2Vy"));

        CrawlPage page = connector.crawl(connection, Optional.of(stale));

        assertThat(page.items()).isEmpty();
        BoxConnector.CrawlState next = page.next().orElseThrow().as(BoxConnector.CrawlState.class);
        assertThat(next.folders()).containsExactly(reports);
        assertThat(next.marker()).isNull();
        assertThat(fake.lastRequest().path()).isEqualTo("/2.0/folders/" + reports + "/items");
    }

    @Test
    void fetchFollowsTheRedirectToThePreSignedUrlAndWritesTheExactBytes() throws Exception {
        String content = "Grüße — ½ € ✓\nline two\n";
        String file = fake.addFile(FakeBox.ROOT, "greeting.txt", content);
        SourceItem item = byId(ConnectorHarness.crawlAll(connector, connection)).get(file);
        fake.clearRequests();

        Path target = tmp.resolve("out");
        Fetched fetched = connector.fetch(connection, item, target);

        assertThat(Files.readAllBytes(target)).isEqualTo(content.getBytes(StandardCharsets.UTF_8));
        assertThat(fetched.fileName()).isEqualTo("greeting.txt");
        assertThat(fetched.mimeType()).contains("text/plain");
        List<RecordedRequest> calls = fake.requests();
        assertThat(calls).extracting(RecordedRequest::path).hasSize(2);
        assertThat(calls.get(0).path()).isEqualTo("/2.0/files/" + file + "/content");
        assertThat(calls.get(1).path()).startsWith("/d/1/").endsWith("/download");
    }

    @Test
    void aDownloadThatIsNotReadyYetIsAskedForAgain() throws Exception {
        tree();
        SourceItem item = byId(ConnectorHarness.crawlAll(connector, connection)).get(plan);
        fake.notReady(plan, 1);
        fake.clearRequests();

        connector.fetch(connection, item, tmp.resolve("later"));

        assertThat(Files.readString(tmp.resolve("later"))).isEqualTo("pretend docx");
        assertThat(fake.count(r -> r.path().endsWith("/content"))).isEqualTo(2);
    }

    @Test
    void aDownloadThatStaysNotReadyIsThatItemsFailure() throws Exception {
        tree();
        SourceItem item = byId(ConnectorHarness.crawlAll(connector, connection)).get(plan);
        fake.notReady(plan, 100);
        fake.notReadySeconds(60);

        assertThatThrownBy(() -> connector.fetch(connection, item, tmp.resolve("never")))
                .isInstanceOfSatisfying(ItemFailure.class, f -> assertThat(f.gone()).isFalse());
    }

    @Test
    void aTrashedFileIsGone() throws Exception {
        tree();
        SourceItem item = byId(ConnectorHarness.crawlAll(connector, connection)).get(plan);
        fake.delete(plan);

        assertThatThrownBy(() -> connector.fetch(connection, item, tmp.resolve("gone")))
                .isInstanceOfSatisfying(ItemFailure.class, f -> assertThat(f.gone()).isTrue());
    }

    @Test
    void theChangeFeedReportsAddsEditsRenamesMovesAndDeletes() throws Exception {
        tree();
        String archive = fake.addFolder(docs, "Archive");
        String old = fake.addFile(archive, "old.txt", "old");
        Checkpoint cursor = connector.changeCursor(connection).orElseThrow();
        String planSha = fake.sha1(plan);
        List<String> reportIds = ConnectorHarness.crawlAll(connector, connection).stream()
                .filter(i -> i.parentExternalId().equals(Optional.of(reports)) && i.isFile())
                .map(SourceItem::externalId).toList();

        String added = fake.addFile(docs, "new.csv", "a,b\n1,2\n");
        fake.editContent(plan, "pretend docx, second edition");
        fake.rename(notes, "renamed.md");
        fake.move(reportIds.get(0), FakeBox.ROOT);
        fake.delete(reportIds.get(1));
        fake.delete(archive);
        String newFolder = fake.addFolder(FakeBox.ROOT, "Fresh");
        fake.addWebLink(newFolder, "Link", "https://example.com/x");

        ConnectorHarness.Caught caught = ConnectorHarness.changesUntilCaughtUp(connector, connection, cursor);

        Map<String, SourceItem> changed = byId(caught.changed());
        assertThat(changed.keySet()).containsExactlyInAnyOrder(added, plan, notes, reportIds.get(0), newFolder);
        assertThat(caught.removed()).containsExactlyInAnyOrder(reportIds.get(1), archive);
        assertThat(caught.removed()).doesNotContain(old);
        assertThat(changed.get(added).parentExternalId()).contains(docs);
        assertThat(changed.get(added).fileFormat()).contains("CSV");
        assertThat(changed.get(plan).version()).contains(fake.sha1(plan)).isNotEqualTo(Optional.of(planSha));
        assertThat(changed.get(notes).name()).isEqualTo("renamed.md");
        assertThat(changed.get(reportIds.get(0)).parentExternalId()).contains("0");
        assertThat(changed.get(newFolder).itemType()).isEqualTo("FOLDER");

        ConnectorHarness.Caught again = ConnectorHarness.changesUntilCaughtUp(connector, connection, caught.cursor());
        assertThat(again.changed()).isEmpty();
        assertThat(again.removed()).isEmpty();
    }

    @Test
    void aCopiedOrRestoredFolderBringsItsWholeSubtree() throws Exception {
        tree();
        String archive = fake.addFolder(FakeBox.ROOT, "Archive");
        String inner = fake.addFolder(archive, "Inner");
        fake.addFiles(inner, 5, "kept-");
        fake.delete(archive);
        fake.pageSize(2);
        Checkpoint cursor = connector.changeCursor(connection).orElseThrow();

        String copy = fake.copy(docs, FakeBox.ROOT, "Docs copy");
        fake.rename(copy, "Docs (copy)");
        fake.restore(archive);

        ConnectorHarness.Caught caught = ConnectorHarness.changesUntilCaughtUp(connector, connection, cursor);

        Map<String, SourceItem> changed = new LinkedHashMap<>();
        caught.changed().forEach(i -> changed.put(i.externalId(), i));
        // The copy of Docs: Reports (71 items inside, with Deep and its 3 files) and Plan.docx; the link is skipped.
        long copiedFiles = changed.values().stream().filter(i -> !i.externalId().equals(copy) && !i.externalId().equals(archive))
                .filter(i -> !i.metadata().path("path").asText().startsWith("All Files/Archive")
                        && !i.externalId().equals(inner)).count();
        assertThat(copiedFiles).isEqualTo(1 + 1 + 70 + 1 + 3);
        assertThat(changed.get(copy).name()).isEqualTo("Docs (copy)");
        assertThat(changed).containsKeys(archive, inner);
        assertThat(changed.values().stream().filter(i -> i.parentExternalId().equals(Optional.of(inner)))).hasSize(5);
        assertThat(caught.removed()).isEmpty();
        assertThat(changed.values()).noneMatch(i -> i.name().equals("Website"));
    }

    @Test
    void repeatedEventsAreReportedOnce() throws Exception {
        tree();
        fake.repeatEvents(true);
        Checkpoint cursor = connector.changeCursor(connection).orElseThrow();
        String a = fake.addFile(docs, "a.txt", "a");
        fake.rename(plan, "Plan v2.docx");
        fake.rename(notes, "notes v2.md");
        fake.delete(notes);

        ChangePage page = connector.changes(connection, cursor);

        assertThat(page).isInstanceOfSatisfying(ChangePage.Changes.class, ch -> {
            assertThat(ch.changed()).extracting(SourceItem::externalId).containsExactlyInAnyOrder(a, plan);
            assertThat(ch.changed()).filteredOn(i -> i.externalId().equals(plan)).extracting(SourceItem::name)
                    .containsExactly("Plan v2.docx");
            assertThat(ch.removed()).containsExactly(notes);
            assertThat(ch.more()).isTrue();
        });
        assertThat(fake.lastRequest().query().orElseThrow()).contains("stream_type=changes").contains("limit=500");
    }

    @Test
    void readingAnUnchangedFeedOverTenThousandFilesCostsAtMostTwoRequests() throws Exception {
        String big = fake.addFolder(FakeBox.ROOT, "Big");
        fake.addFiles(big, 10_000, "f-");
        Checkpoint cursor = connector.changeCursor(connection).orElseThrow();
        fake.clearRequests();

        ConnectorHarness.Caught caught = ConnectorHarness.changesUntilCaughtUp(connector, connection, cursor);

        assertThat(caught.changed()).isEmpty();
        assertThat(caught.removed()).isEmpty();
        assertThat(fake.requests().size()).isLessThanOrEqualTo(2);
    }

    @Test
    void theChangeFeedPagesThroughManyEvents() throws Exception {
        String big = fake.addFolder(FakeBox.ROOT, "Big");
        Checkpoint cursor = connector.changeCursor(connection).orElseThrow();
        List<String> ids = fake.addFiles(big, 1_200, "f-");

        ConnectorHarness.Caught caught = ConnectorHarness.changesUntilCaughtUp(connector, connection, cursor);

        assertThat(caught.changed()).extracting(SourceItem::externalId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(fake.count(r -> r.path().equals("/2.0/events"))).isEqualTo(1 + 3 + 1);
    }

    @Test
    void anUnknownStreamPositionAsksForAFullCrawl() throws Exception {
        assertThat(connector.changes(connection, Checkpoint.of(new BoxConnector.FeedState("garbage", List.of(), null))))
                .isInstanceOf(ChangePage.Reset.class);
        assertThat(fake.lastRequest().path()).isEqualTo("/2.0/events");
    }

    @Test
    void anExpiredStreamPositionAsksForAFullCrawl() throws Exception {
        tree();
        Checkpoint cursor = connector.changeCursor(connection).orElseThrow();
        fake.addFile(docs, "late.txt", "late");
        fake.expireStreamPositions();

        assertThat(connector.changes(connection, cursor)).isInstanceOf(ChangePage.Reset.class);
    }

    @Test
    void a429WithRetryAfterIsWaitedOut() throws Exception {
        tree();
        fake.failNext(FakeBox.rateLimited(1));

        assertThat(ConnectorHarness.crawlAll(connector, connection)).hasSize(1 + fake.size());
        assertThat(fake.count(r -> r.path().equals("/2.0/folders/0/items"))).isEqualTo(2);
    }

    @Test
    void a401IsRenewedWithTheRotatedToken() throws Exception {
        tree();
        validTokens.clear();
        validTokens.add("box-at-2");
        AtomicInteger asked = new AtomicInteger();
        Connection rotating = connect(() -> asked.incrementAndGet() == 1 ? "box-at-1" : "box-at-2");

        assertThat(ConnectorHarness.crawlAll(connector, rotating)).hasSize(1 + fake.size());

        List<RecordedRequest> calls = fake.requests();
        assertThat(calls.get(0).header("authorization")).contains("Bearer box-at-1");
        assertThat(calls.get(1).header("authorization")).contains("Bearer box-at-2");
        assertThat(calls.get(1).path()).isEqualTo(calls.get(0).path());
    }

    @Test
    void a401ThatCannotBeRenewedIsAnAuthFailure() {
        validTokens.clear();

        assertThatThrownBy(() -> connector.changeCursor(connection)).isInstanceOf(SyncFailure.Auth.class)
                .hasMessageNotContaining("box-at-1");
    }

    @Test
    void aFolderDeletedWhileQueuedIsSkipped() throws Exception {
        tree();
        fake.pageSize(20);
        CrawlPage first = connector.crawl(connection, Optional.empty());
        CrawlPage second = connector.crawl(connection, first.next());
        assertThat(second.next().orElseThrow().as(BoxConnector.CrawlState.class).folders()).containsExactly(reports);
        fake.delete(reports);
        List<SourceItem> rest = new ArrayList<>(first.items());
        rest.addAll(second.items());
        Optional<Checkpoint> at = second.next();
        while (at.isPresent()) {
            CrawlPage page = connector.crawl(connection, at);
            rest.addAll(page.items());
            at = page.next();
        }
        assertThat(rest).extracting(SourceItem::externalId).contains(docs, plan, reports).hasSize(1 + 2 + 2);
    }

    @Test
    void aRootWithoutAccessIsAConfigurationProblemWithBoxsMessage() throws Exception {
        fake.failNext(io.catchment.testing.models.FakeHttpApi.Reply.json(403, Map.of("type", "error", "status", 403,
                "code", "access_denied_insufficient_permissions", "message", "Access denied - insufficient permission")));

        assertThatThrownBy(() -> connector.crawl(connection, Optional.empty())).isInstanceOf(SyncFailure.Config.class)
                .hasMessageContaining("access_denied_insufficient_permissions").hasMessageNotContaining("box-at-1");
    }
}
