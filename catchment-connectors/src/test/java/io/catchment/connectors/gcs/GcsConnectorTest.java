package io.catchment.connectors.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.connector.ChangePage;
import io.catchment.connector.Checkpoint;
import io.catchment.connector.Connection;
import io.catchment.connector.CrawlPage;
import io.catchment.connector.DataSourceType;
import io.catchment.connector.Fetched;
import io.catchment.connector.ItemFailure;
import io.catchment.connector.ItemTypes;
import io.catchment.connector.SourceItem;
import io.catchment.connectors.ConnectorHarness;
import io.catchment.http.Authenticator;
import io.catchment.http.SyncFailure;
import io.catchment.json.Json;
import io.catchment.testing.models.RecordedRequest;
import io.catchment.testing.sources.FakeGoogleCloudStorage;
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

class GcsConnectorTest {
    private final AtomicReference<String> validToken = new AtomicReference<>("gcs-token-1");
    private final FakeGoogleCloudStorage gcs = new FakeGoogleCloudStorage(t -> t.equals(validToken.get()));
    private final GcsConnector connector = new GcsConnector(gcs.resourceManagerBase().toString());
    private Connection c;

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        gcs.addProject("proj-one", "Project One");
        gcs.addProject("proj-closed", "Closing", "DELETE_REQUESTED");
        gcs.addProject("proj-two", "Project Two");
        gcs.addBucket("proj-one", "alpha");
        gcs.addBucket("proj-closed", "gone-with-project");
        gcs.addBucket("proj-two", "beta");
        c = connection(Json.object(), ConnectorHarness.bearer(validToken::get));
    }

    @AfterEach
    void close() {
        gcs.close();
    }

    private Connection connection(ObjectNode metadata, Authenticator auth) {
        return ConnectorHarness.connection(connector, ConnectorHarness.dataSource(DataSourceType.GOOGLE_CLOUD_STORAGE, metadata),
                auth, Optional.of(gcs.apiBase().toString()));
    }

    private static Map<String, SourceItem> byId(List<SourceItem> items) {
        return items.stream().collect(Collectors.toMap(SourceItem::externalId, Function.identity()));
    }

    private void fillAlpha() {
        gcs.addFile("alpha", "readme.md", "# Alpha");
        gcs.addFile("alpha", "docs/a.txt", "A");
        gcs.addFile("alpha", "docs/sub/b.pdf", "%PDF-1.4 b".getBytes(StandardCharsets.UTF_8), "application/pdf");
        gcs.addFile("alpha", "docs/sub/c d.txt", "spaced");
        gcs.addFile("alpha", "docs!/odd.txt", "sorts before docs/");
        gcs.addFolder("alpha", "empty/");
        gcs.addFile("alpha", "z/\u00fcber.txt", "unicode");
    }

    @Test
    void fullCrawlListsBucketsSynthesizedFoldersAndObjectsWithTheirFields() throws Exception {
        fillAlpha();
        List<String> bulk = gcs.addFiles("beta/bulk/", 2500, "f-");

        List<SourceItem> items = ConnectorHarness.crawlAll(connector, c);
        Map<String, SourceItem> byId = byId(items);

        assertThat(items).hasSize(byId.size()); // every folder once, though its objects span pages
        Set<String> expected = new HashSet<>(List.of("alpha", "beta", "alpha/readme.md", "alpha/docs/", "alpha/docs/a.txt",
                "alpha/docs/sub/", "alpha/docs/sub/b.pdf", "alpha/docs/sub/c d.txt", "alpha/docs!/", "alpha/docs!/odd.txt",
                "alpha/empty/", "alpha/z/", "alpha/z/\u00fcber.txt", "beta/bulk/"));
        bulk.forEach(name -> expected.add("beta/" + name));
        assertThat(byId.keySet()).isEqualTo(expected);

        SourceItem alpha = byId.get("alpha");
        assertThat(alpha.itemType()).isEqualTo(GcsConnector.BUCKET);
        assertThat(alpha.parentExternalId()).isEmpty();
        assertThat(alpha.rootExternalId()).isEqualTo("alpha");
        assertThat(alpha.expandable()).isTrue();
        assertThat(alpha.selectable()).isTrue();

        SourceItem sub = byId.get("alpha/docs/sub/");
        assertThat(sub.itemType()).isEqualTo(ItemTypes.FOLDER);
        assertThat(sub.name()).isEqualTo("sub");
        assertThat(sub.parentExternalId()).contains("alpha/docs/");
        assertThat(sub.rootExternalId()).isEqualTo("alpha");
        assertThat(byId.get("alpha/docs/").parentExternalId()).contains("alpha");
        assertThat(byId.get("alpha/empty/").itemType()).isEqualTo(ItemTypes.FOLDER); // a placeholder object, not a file

        SourceItem pdf = byId.get("alpha/docs/sub/b.pdf");
        assertThat(pdf.itemType()).isEqualTo(ItemTypes.FILE);
        assertThat(pdf.name()).isEqualTo("b.pdf");
        assertThat(pdf.parentExternalId()).contains("alpha/docs/sub/");
        assertThat(pdf.rootExternalId()).isEqualTo("alpha");
        assertThat(pdf.version()).contains(String.valueOf(gcs.generation("alpha", "docs/sub/b.pdf")));
        assertThat(pdf.size()).hasValue(10);
        assertThat(pdf.fileFormat()).contains("PDF");
        assertThat(pdf.createdAt()).isPresent();
        assertThat(pdf.modifiedAt()).isPresent();
        assertThat(pdf.externalUrl()).contains("https://console.cloud.google.com/storage/browser/_details/alpha/docs/sub/b.pdf");
        assertThat(pdf.metadata().path("object_name").asText()).isEqualTo("docs/sub/b.pdf");
        assertThat(byId.get("alpha/readme.md").fileFormat()).contains("MD");
        assertThat(byId.get("alpha/readme.md").parentExternalId()).contains("alpha");
        assertThat(byId.get("beta/" + bulk.getFirst()).parentExternalId()).contains("beta/bulk/");

        // Only ACTIVE projects; objects listed flat, 1000 at a time.
        assertThat(gcs.count(r -> r.path().equals("/storage/v1/b") && r.query().orElse("").contains("proj-closed"))).isZero();
        List<RecordedRequest> betaLists = gcs.requests().stream().filter(r -> r.path().equals("/storage/v1/b/beta/o")).toList();
        assertThat(betaLists).hasSize(3);
        assertThat(betaLists).allSatisfy(r -> assertThat(r.query().orElse("")).contains("maxResults=1000")
                .doesNotContain("delimiter"));
    }

    @Test
    void foldersAreReportedOnceEvenWhenEveryPageIsTiny() throws Exception {
        fillAlpha();
        gcs.addFiles("beta/x/y/", 7, "f-");
        gcs.addFiles("beta/x/", 3, "g-");
        gcs.limitPageSize(2); // projects, buckets and objects all page

        List<SourceItem> items = ConnectorHarness.crawlAll(connector, c);

        Map<String, SourceItem> byId = byId(items); // throws on a duplicate id
        assertThat(byId).containsKeys("beta/x/", "beta/x/y/", "alpha/docs/sub/", "alpha/z/");
        assertThat(items).hasSize(2 + 11 + 12); // buckets; alpha: 5 folders, 6 objects; beta: 2 folders, 10 objects
        assertThat(gcs.count(r -> r.path().equals("/v1/projects"))).isEqualTo(2);
    }

    @Test
    void aCrawlResumedFromAMidwayCheckpointFindsTheSameItems() throws Exception {
        fillAlpha();
        gcs.addFiles("beta/deep/er/", 9, "n-");
        gcs.limitPageSize(3);
        Set<String> full = byId(ConnectorHarness.crawlAll(connector, c)).keySet();

        List<String> before = new ArrayList<>();
        Optional<Checkpoint> at = Optional.empty();
        for (int page = 0; page < 7; page++) {
            CrawlPage p = connector.crawl(c, at);
            p.items().forEach(i -> before.add(i.externalId()));
            at = p.next();
        }
        String stored = at.orElseThrow().json();
        assertThat(stored).contains("\"objects\"").contains("\"last_name\"");

        GcsConnector restarted = new GcsConnector(gcs.resourceManagerBase().toString());
        List<String> after = new ArrayList<>();
        Optional<Checkpoint> next = Optional.of(Checkpoint.parse(stored));
        while (next.isPresent()) {
            CrawlPage p = restarted.crawl(c, next);
            p.items().forEach(i -> after.add(i.externalId()));
            next = p.next().map(cp -> Checkpoint.parse(cp.json()));
        }
        Set<String> resumed = new HashSet<>(before);
        resumed.addAll(after);
        assertThat(resumed).isEqualTo(full);
        assertThat(before.size() + after.size()).isEqualTo(full.size());
    }

    @Test
    void fetchDownloadsTheExactBytesWithTheNameEncodedAsOneSegment() throws Exception {
        fillAlpha();
        Map<String, SourceItem> items = byId(ConnectorHarness.crawlAll(connector, c));

        Fetched fetched = connector.fetch(c, items.get("alpha/docs/sub/c d.txt"), tmp.resolve("c"));

        assertThat(fetched.fileName()).isEqualTo("c d.txt");
        assertThat(fetched.mimeType()).contains("text/plain");
        assertThat(Files.readString(tmp.resolve("c"))).isEqualTo("spaced");
        RecordedRequest download = gcs.lastRequest();
        assertThat(download.path()).isEqualTo("/storage/v1/b/alpha/o/docs%2Fsub%2Fc%20d.txt");
        assertThat(download.query()).contains("alt=media");

        connector.fetch(c, items.get("alpha/z/\u00fcber.txt"), tmp.resolve("u"));
        assertThat(Files.readAllBytes(tmp.resolve("u"))).isEqualTo("unicode".getBytes(StandardCharsets.UTF_8));
        assertThat(gcs.lastRequest().path()).isEqualTo("/storage/v1/b/alpha/o/z%2F%C3%BCber.txt");

        Fetched pdf = connector.fetch(c, items.get("alpha/docs/sub/b.pdf"), tmp.resolve("b"));
        assertThat(pdf.fileName()).isEqualTo("b.pdf");
        assertThat(pdf.mimeType()).contains("application/pdf");
        assertThat(Files.readString(tmp.resolve("b"))).isEqualTo("%PDF-1.4 b");
    }

    @Test
    void aDeletedObjectIsGoneAtFetch() throws Exception {
        fillAlpha();
        Map<String, SourceItem> items = byId(ConnectorHarness.crawlAll(connector, c));
        gcs.delete("alpha", "docs/a.txt");

        assertThatThrownBy(() -> connector.fetch(c, items.get("alpha/docs/a.txt"), tmp.resolve("a")))
                .isInstanceOfSatisfying(ItemFailure.class, f -> assertThat(f.gone()).isTrue());
    }

    @Test
    void thereIsNoChangeFeedSoARecrawlShowsEditsRenamesAndDeletes() throws Exception {
        fillAlpha();
        assertThat(connector.changeCursor(c)).isEmpty();
        assertThat(connector.changes(c, Checkpoint.parse("{}"))).isInstanceOf(ChangePage.Reset.class);
        Map<String, SourceItem> before = byId(ConnectorHarness.crawlAll(connector, c));

        gcs.editContent("alpha", "docs/a.txt", "A, edited");
        gcs.rename("alpha", "readme.md", "docs/readme.md");
        gcs.delete("alpha", "docs!/odd.txt");
        gcs.addFile("beta", "new.txt", "new");
        Map<String, SourceItem> after = byId(ConnectorHarness.crawlAll(connector, c));

        assertThat(after.get("alpha/docs/a.txt").version()).isNotEqualTo(before.get("alpha/docs/a.txt").version());
        assertThat(after.get("alpha/docs/a.txt").size()).hasValue(9);
        assertThat(after.get("alpha/docs/sub/b.pdf").version()).isEqualTo(before.get("alpha/docs/sub/b.pdf").version());
        assertThat(after).doesNotContainKeys("alpha/readme.md", "alpha/docs!/odd.txt", "alpha/docs!/")
                .containsKeys("alpha/docs/readme.md", "beta/new.txt");
    }

    @Test
    void aProjectWhereBucketsMayNotBeListedIsSkipped() throws Exception {
        gcs.addFile("alpha", "a.txt", "a");
        gcs.addFile("beta", "b.txt", "b");
        gcs.denyBucketListing("proj-one");

        Set<String> ids = byId(ConnectorHarness.crawlAll(connector, c)).keySet();

        assertThat(ids).containsExactlyInAnyOrder("beta", "beta/b.txt");
    }

    @Test
    void aConfiguredProjectIsListedWithoutResourceManager() throws Exception {
        gcs.addFile("beta", "b.txt", "b");
        ObjectNode metadata = Json.object();
        metadata.put(GcsConnector.PROJECT_ID, "proj-two");
        Connection configured = connection(metadata, ConnectorHarness.bearer(validToken::get));

        Set<String> ids = byId(ConnectorHarness.crawlAll(connector, configured)).keySet();

        assertThat(ids).containsExactlyInAnyOrder("beta", "beta/b.txt");
        assertThat(gcs.count(r -> r.path().startsWith("/v1/"))).isZero();

        gcs.denyBucketListing("proj-two");
        assertThatThrownBy(() -> ConnectorHarness.crawlAll(connector, configured))
                .isInstanceOf(SyncFailure.Config.class).hasMessageContaining("proj-two").hasMessageContaining("403");
    }

    @Test
    void resourceManagerRefusingIsAConfigFailure() {
        gcs.failNext(io.catchment.testing.models.FakeHttpApi.Reply.json(403, """
                {"error": {"code": 403, "message": "Request had insufficient authentication scopes.",
                  "status": "PERMISSION_DENIED"}}"""));

        assertThatThrownBy(() -> ConnectorHarness.crawlAll(connector, c))
                .isInstanceOf(SyncFailure.Config.class).hasMessageContaining("insufficient authentication scopes");
    }

    @Test
    void a429WithRetryAfterIsWaitedOut() throws Exception {
        gcs.addFile("alpha", "a.txt", "a");
        gcs.failNext(FakeGoogleCloudStorage.rateLimitReply(429, "rateLimitExceeded").withHeader("Retry-After", "1"));

        Set<String> ids = byId(ConnectorHarness.crawlAll(connector, c)).keySet();

        assertThat(ids).contains("alpha/a.txt");
        assertThat(gcs.count(r -> r.path().equals("/v1/projects"))).isEqualTo(2);
    }

    @Test
    void a401IsRenewedOnceWithTheRotatedToken() throws Exception {
        validToken.set("fresh-token");
        AtomicInteger asked = new AtomicInteger();
        Connection rotating = connection(Json.object(), ConnectorHarness.bearer(
                () -> asked.getAndIncrement() == 0 ? "expired-token" : "fresh-token"));

        CrawlPage first = connector.crawl(rotating, Optional.empty());

        assertThat(first.next()).isPresent();
        List<RecordedRequest> sent = gcs.requests();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).header("authorization")).contains("Bearer expired-token");
        assertThat(sent.get(1).header("authorization")).contains("Bearer fresh-token");
    }

    @Test
    void aRevokedGrantIsAnAuthFailure() {
        Connection stale = connection(Json.object(), ConnectorHarness.bearer(() -> "revoked-token"));

        assertThatThrownBy(() -> connector.crawl(stale, Optional.empty()))
                .isInstanceOf(SyncFailure.Auth.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("revoked-token"));
    }
}
