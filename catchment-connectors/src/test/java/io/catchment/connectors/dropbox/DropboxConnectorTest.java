package io.catchment.connectors.dropbox;

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
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.models.RecordedRequest;
import io.catchment.testing.sources.FakeDropbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropboxConnectorTest {
    private final AtomicReference<String> token = new AtomicReference<>("sl.token-1");
    private final Set<String> validTokens = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private FakeDropbox fake;
    private DropboxConnector connector;
    private Connection connection;

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        validTokens.add("sl.token-1");
        fake = new FakeDropbox(validTokens::contains);
        connector = new DropboxConnector();
        connection = connect(token::get);
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    private Connection connect(java.util.function.Supplier<String> tokens) {
        return ConnectorHarness.connection(connector, ConnectorHarness.dataSource(DataSourceType.DROPBOX, Json.object()),
                ConnectorHarness.bearer(tokens), Optional.of(fake.apiBase().toString()));
    }

    private static Map<String, SourceItem> byId(List<SourceItem> items) {
        return items.stream().collect(Collectors.toMap(SourceItem::externalId, Function.identity(), (a, b) -> {
            throw new AssertionError("duplicate item " + a.externalId());
        }));
    }

    private void tree() {
        fake.addFolder("", "Docs");
        fake.addFolder("/Docs", "Reports");
        fake.addFile("/Docs", "Plan.PDF", "pretend pdf");
        fake.addFile("", "Top notes.md", "# top");
        fake.addFiles("/Docs/Reports", 120, "report-");
        fake.addCloudDoc("/Docs", "Meeting.paper", "md", "# Meeting\n\n- agreed".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void crawlPagesThroughTheWholeTreeWithItemFields() throws Exception {
        tree();
        fake.pageSize(25);

        List<SourceItem> items = ConnectorHarness.crawlAll(connector, connection);

        assertThat(items).hasSize(fake.size()).hasSize(2 + 3 + 120);
        Map<String, SourceItem> byId = byId(items);

        SourceItem docs = byId.get("/docs");
        assertThat(docs.name()).isEqualTo("Docs");
        assertThat(docs.itemType()).isEqualTo("FOLDER");
        assertThat(docs.expandable()).isTrue();
        assertThat(docs.selectable()).isTrue();
        assertThat(docs.parentExternalId()).isEmpty();
        assertThat(docs.rootExternalId()).isEqualTo("/");
        assertThat(docs.version()).isEmpty();
        assertThat(docs.externalUrl()).contains("https://www.dropbox.com/home/Docs");

        SourceItem reports = byId.get("/docs/reports");
        assertThat(reports.parentExternalId()).contains("/docs");

        SourceItem plan = byId.get("/docs/plan.pdf");
        assertThat(plan.name()).isEqualTo("Plan.PDF");
        assertThat(plan.itemType()).isEqualTo("FILE");
        assertThat(plan.isFile()).isTrue();
        assertThat(plan.parentExternalId()).contains("/docs");
        assertThat(plan.rootExternalId()).isEqualTo("/");
        assertThat(plan.fileFormat()).contains("PDF");
        assertThat(plan.version()).contains(fake.contentHash("/Docs/Plan.PDF"));
        assertThat(plan.version()).contains(FakeDropbox.contentHash("pretend pdf".getBytes(StandardCharsets.UTF_8)));
        assertThat(plan.size()).hasValue("pretend pdf".length());
        assertThat(plan.modifiedAt()).contains(fake.serverModified("/Docs/Plan.PDF"));
        assertThat(plan.externalUrl()).contains("https://www.dropbox.com/home/Docs?preview=Plan.PDF");
        assertThat(plan.metadata().path("id").asText()).isEqualTo(fake.id("/Docs/Plan.PDF"));
        assertThat(plan.metadata().path("rev").asText()).isEqualTo(fake.rev("/Docs/Plan.PDF"));

        SourceItem top = byId.get("/top notes.md");
        assertThat(top.parentExternalId()).isEmpty();
        assertThat(top.fileFormat()).contains("MD");
        assertThat(top.externalUrl()).contains("https://www.dropbox.com/home?preview=Top%20notes.md");

        SourceItem paper = byId.get("/docs/meeting.paper");
        assertThat(paper.fileFormat()).contains("MD");
        assertThat(paper.metadata().path("is_downloadable").asBoolean()).isFalse();

        assertThat(byId.get("/docs/reports/report-7.txt").parentExternalId()).contains("/docs/reports");

        List<RecordedRequest> calls = fake.requests();
        assertThat(calls.getFirst().path()).isEqualTo("/2/files/list_folder");
        assertThat(calls.getFirst().json().path("path").asText()).isEmpty();
        assertThat(calls.getFirst().json().path("recursive").asBoolean()).isTrue();
        assertThat(calls.getFirst().json().path("include_deleted").asBoolean()).isFalse();
        assertThat(calls.getFirst().json().path("limit").asInt()).isEqualTo(2000);
        assertThat(fake.count(r -> r.path().equals("/2/files/list_folder/continue"))).isEqualTo(4);
    }

    @Test
    void aCrawlResumedFromAMidwayCheckpointGivesTheSameItems() throws Exception {
        tree();
        fake.pageSize(20);
        Set<String> all = ConnectorHarness.crawlAll(connector, connection).stream()
                .map(SourceItem::externalId).collect(Collectors.toSet());

        List<SourceItem> seen = new ArrayList<>();
        CrawlPage first = connector.crawl(connection, Optional.empty());
        CrawlPage second = connector.crawl(connection, first.next());
        seen.addAll(first.items());
        seen.addAll(second.items());
        String stored = second.next().orElseThrow().json();

        // A new process: a new connector and connection, the checkpoint read back from storage.
        DropboxConnector again = new DropboxConnector();
        Connection c2 = ConnectorHarness.connection(again, ConnectorHarness.dataSource(DataSourceType.DROPBOX, Json.object()),
                ConnectorHarness.bearer(token::get), Optional.of(fake.apiBase().toString()));
        Optional<Checkpoint> at = Optional.of(Checkpoint.parse(stored));
        while (at.isPresent()) {
            CrawlPage page = again.crawl(c2, at);
            seen.addAll(page.items());
            at = page.next().map(cp -> Checkpoint.parse(cp.json()));
        }
        assertThat(seen.stream().map(SourceItem::externalId)).doesNotHaveDuplicates();
        assertThat(seen.stream().map(SourceItem::externalId).collect(Collectors.toSet())).isEqualTo(all);
    }

    @Test
    void fetchDownloadsTheExactBytesWithAHeaderSafeArgument() throws Exception {
        fake.addFolder("", "Über");
        String content = "Grüße aus Köln — ½ € ✓\nline two\n";
        fake.addFile("/Über", "Straße notes.txt", content);
        SourceItem file = byId(ConnectorHarness.crawlAll(connector, connection)).get("/über/straße notes.txt");
        fake.clearRequests();

        Path target = tmp.resolve("out");
        Fetched fetched = connector.fetch(connection, file, target);

        assertThat(Files.readAllBytes(target)).isEqualTo(content.getBytes(StandardCharsets.UTF_8));
        assertThat(fetched.fileName()).isEqualTo("Straße notes.txt");
        assertThat(fetched.mimeType()).contains("text/plain");
        RecordedRequest download = fake.lastRequest();
        assertThat(download.path()).isEqualTo("/2/files/download");
        String arg = download.header("dropbox-api-arg").orElseThrow();
        assertThat(arg.chars().allMatch(ch -> ch < 0x7F)).isTrue();
        assertThat(arg).contains("\\u00fc");
        assertThat(Json.read(arg).path("path").asText()).isEqualTo("/über/straße notes.txt");
        assertThat(download.body()).isEmpty();
        assertThat(download.header("content-type")).isEmpty();
    }

    @Test
    void cloudDocsAreExported() throws Exception {
        tree();
        SourceItem paper = byId(ConnectorHarness.crawlAll(connector, connection)).get("/docs/meeting.paper");
        fake.clearRequests();

        Path target = tmp.resolve("paper");
        Fetched fetched = connector.fetch(connection, paper, target);

        assertThat(Files.readString(target)).isEqualTo("# Meeting\n\n- agreed");
        assertThat(fetched.fileName()).isEqualTo("Meeting.md");
        assertThat(fetched.mimeType()).contains("text/markdown");
        assertThat(fake.requests()).extracting(RecordedRequest::path).containsExactly("/2/files/export");
    }

    @Test
    void aFileWithoutExportMetadataThatCannotBeDownloadedFallsBackToExport() throws Exception {
        tree();
        SourceItem paper = byId(ConnectorHarness.crawlAll(connector, connection)).get("/docs/meeting.paper");
        com.fasterxml.jackson.databind.node.ObjectNode meta = paper.metadata();
        meta.remove("is_downloadable");
        meta.remove("export_as");
        SourceItem stale = new SourceItem(paper.externalId(), paper.parentExternalId(), paper.rootExternalId(), paper.name(),
                paper.itemType(), true, false, paper.fileFormat(), paper.externalUrl(), paper.version(), paper.size(),
                paper.createdAt(), paper.modifiedAt(), meta);
        fake.clearRequests();

        Fetched fetched = connector.fetch(connection, stale, tmp.resolve("p2"));

        assertThat(fetched.fileName()).isEqualTo("Meeting.md");
        assertThat(fake.requests()).extracting(RecordedRequest::path).containsExactly("/2/files/download", "/2/files/export");
    }

    @Test
    void aFileDeletedSinceTheCrawlIsGone() throws Exception {
        tree();
        SourceItem plan = byId(ConnectorHarness.crawlAll(connector, connection)).get("/docs/plan.pdf");
        fake.delete("/Docs/Plan.PDF");

        assertThatThrownBy(() -> connector.fetch(connection, plan, tmp.resolve("gone")))
                .isInstanceOfSatisfying(ItemFailure.class, f -> assertThat(f.gone()).isTrue());
    }

    @Test
    void theChangeFeedReportsAddsEditsRenamesMovesAndDeletes() throws Exception {
        tree();
        fake.addFolder("/Docs", "Old");
        fake.addFile("/Docs/Old", "inside.txt", "inside");
        Checkpoint cursor = connector.changeCursor(connection).orElseThrow();
        String planHashBefore = fake.contentHash("/Docs/Plan.PDF");

        fake.addFile("/Docs", "new.csv", "a,b\n1,2\n");
        fake.editContent("/Docs/Plan.PDF", "pretend pdf, second edition");
        fake.rename("/Top notes.md", "Renamed notes.md");
        fake.move("/Docs/Reports/report-3.txt", "");
        fake.delete("/Docs/Reports/report-4.txt");
        fake.rename("/Docs/Old", "Archive");

        ConnectorHarness.Caught caught = ConnectorHarness.changesUntilCaughtUp(connector, connection, cursor);

        Map<String, SourceItem> changed = byId(caught.changed());
        assertThat(changed.keySet()).containsExactlyInAnyOrder("/docs/new.csv", "/docs/plan.pdf", "/renamed notes.md",
                "/report-3.txt", "/docs/archive", "/docs/archive/inside.txt");
        assertThat(caught.removed()).containsExactlyInAnyOrder("/top notes.md", "/docs/reports/report-3.txt",
                "/docs/reports/report-4.txt", "/docs/old");
        assertThat(changed.get("/docs/new.csv").fileFormat()).contains("CSV");
        assertThat(changed.get("/docs/plan.pdf").version()).contains(fake.contentHash("/Docs/Plan.PDF"))
                .isNotEqualTo(Optional.of(planHashBefore));
        assertThat(changed.get("/renamed notes.md").name()).isEqualTo("Renamed notes.md");
        assertThat(changed.get("/report-3.txt").parentExternalId()).isEmpty();
        assertThat(changed.get("/docs/archive/inside.txt").parentExternalId()).contains("/docs/archive");
        assertThat(changed.get("/docs/archive").itemType()).isEqualTo("FOLDER");

        // Caught up: the kept cursor sees nothing more.
        ConnectorHarness.Caught again = ConnectorHarness.changesUntilCaughtUp(connector, connection, caught.cursor());
        assertThat(again.changed()).isEmpty();
        assertThat(again.removed()).isEmpty();
    }

    @Test
    void theChangeFeedPagesWhenThereIsMoreThanOnePage() throws Exception {
        fake.addFolder("", "Bulk");
        Checkpoint cursor = connector.changeCursor(connection).orElseThrow();
        fake.addFiles("/Bulk", 2500, "b-");

        ChangePage first = connector.changes(connection, cursor);
        assertThat(first).isInstanceOfSatisfying(ChangePage.Changes.class, ch -> {
            assertThat(ch.more()).isTrue();
            assertThat(ch.changed()).hasSize(2000);
        });
        ConnectorHarness.Caught caught = ConnectorHarness.changesUntilCaughtUp(connector, connection, cursor);
        assertThat(caught.changed()).hasSize(2500);
    }

    @Test
    void readingAnUnchangedFeedOverTenThousandFilesCostsAtMostTwoRequests() throws Exception {
        fake.addFolder("", "Big");
        fake.addFiles("/Big", 10_000, "f-");
        Checkpoint cursor = connector.changeCursor(connection).orElseThrow();
        fake.clearRequests();

        ConnectorHarness.Caught caught = ConnectorHarness.changesUntilCaughtUp(connector, connection, cursor);

        assertThat(caught.changed()).isEmpty();
        assertThat(caught.removed()).isEmpty();
        assertThat(fake.requests().size()).isLessThanOrEqualTo(2);
    }

    @Test
    void aResetCursorAsksForAFullCrawl() throws Exception {
        tree();
        Checkpoint cursor = connector.changeCursor(connection).orElseThrow();
        fake.resetCursors();

        assertThat(connector.changes(connection, cursor)).isInstanceOf(ChangePage.Reset.class);
        assertThat(fake.lastRequest().path()).isEqualTo("/2/files/list_folder/continue");
    }

    @Test
    void anUnreadableStoredCursorAsksForAFullCrawl() throws Exception {
        Checkpoint garbled = Checkpoint.of(new DropboxConnector.FeedState("not-a-cursor"));

        assertThat(connector.changes(connection, garbled)).isInstanceOf(ChangePage.Reset.class);
    }

    @Test
    void aCrawlWhoseCursorIsResetMidwayStartsOver() throws Exception {
        tree();
        fake.pageSize(30);
        CrawlPage first = connector.crawl(connection, Optional.empty());
        fake.resetCursors();

        CrawlPage restart = connector.crawl(connection, first.next());

        assertThat(restart.items()).isEmpty();
        List<SourceItem> rest = new ArrayList<>();
        Optional<Checkpoint> at = restart.next();
        while (at.isPresent()) {
            CrawlPage page = connector.crawl(connection, at);
            rest.addAll(page.items());
            at = page.next();
        }
        assertThat(rest).hasSize(fake.size());
    }

    @Test
    void a429WithRetryAfterIsWaitedOut() throws Exception {
        tree();
        fake.failNext(FakeDropbox.tooManyRequests(1));

        List<SourceItem> items = ConnectorHarness.crawlAll(connector, connection);

        assertThat(items).hasSize(fake.size());
        assertThat(fake.count(r -> r.path().equals("/2/files/list_folder"))).isEqualTo(2);
    }

    @Test
    void a429WithOnlyTheBodysRetryAfterIsWaitedOut() throws Exception {
        tree();
        // No Retry-After header: the standard signal alone would guess 30 s (more than the test's 2 s inline wait).
        fake.failNext(Reply.json(429, Map.of("error_summary", "too_many_requests/..",
                "error", Map.of("reason", Map.of(".tag", "too_many_requests"), "retry_after", 1))));

        assertThat(ConnectorHarness.crawlAll(connector, connection)).hasSize(fake.size());
        assertThat(fake.count(r -> r.path().equals("/2/files/list_folder"))).isEqualTo(2);
    }

    @Test
    void a401IsRenewedWithTheRotatedToken() throws Exception {
        tree();
        // The old token has just died; the first request still carries it, the renewal brings the new one.
        validTokens.clear();
        validTokens.add("sl.token-2");
        AtomicInteger asked = new AtomicInteger();
        Connection rotating = connect(() -> asked.incrementAndGet() == 1 ? "sl.token-1" : "sl.token-2");

        assertThat(ConnectorHarness.crawlAll(connector, rotating)).hasSize(fake.size());

        List<RecordedRequest> calls = fake.requests();
        assertThat(calls.get(0).header("authorization")).contains("Bearer sl.token-1");
        assertThat(calls.get(1).header("authorization")).contains("Bearer sl.token-2");
        assertThat(calls.get(1).path()).isEqualTo("/2/files/list_folder");
    }

    @Test
    void a401ThatCannotBeRenewedIsAnAuthFailure() {
        validTokens.clear();

        assertThatThrownBy(() -> connector.crawl(connection, Optional.empty())).isInstanceOf(SyncFailure.Auth.class)
                .hasMessageNotContaining("sl.token-1");
    }

    @Test
    void theContentHostIsDerivedFromTheApiHost() {
        assertThat(DropboxConnector.contentBase("https://api.dropboxapi.com/2")).isEqualTo("https://content.dropboxapi.com/2");
        assertThat(DropboxConnector.contentBase("http://127.0.0.1:4567/2")).isEqualTo("http://127.0.0.1:4567/2");
    }

    @Test
    void theFakeRefusesNonAsciiArgumentHeadersAsDropboxDoes() throws Exception {
        fake.addFile("", "é.txt", "x");
        // Java's HTTP client will not send such a header (it turns it into '?'), so write the request by hand.
        try (java.net.Socket socket = new java.net.Socket(fake.apiBase().getHost(), fake.apiBase().getPort())) {
            byte[] request = ("POST /2/files/download HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sl.token-1\r\n"
                    + "Dropbox-API-Arg: {\"path\":\"/é.txt\"}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(request);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(answer).contains("Error in call to API function \"files/download\"");
        }
    }

    @Test
    void namesAreUniqueAcrossTheCrawl() throws Exception {
        tree();
        fake.pageSize(7);
        Set<String> ids = new HashSet<>();
        for (SourceItem item : ConnectorHarness.crawlAll(connector, connection)) {
            assertThat(ids.add(item.externalId())).as(item.externalId()).isTrue();
        }
    }
}
