package io.catchment.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.http.HttpPolicy;
import io.catchment.server.support.Client;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testing.models.RecordedRequest;
import io.catchment.testing.sources.FakeGoogleDrive;
import io.catchment.testsupport.DatabaseKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a sync meets trouble, through Google Drive's fake: rate limits (of the crawl and of a file),
 * an expired token, a revoked grant, a file that cannot be fetched, cancelling, incremental_sync,
 * and what a sync of an unchanged account costs.
 */
class SyncFaultsTest {
    @TempDir
    Path dir;

    GoogleDriveSource source;
    FakeGoogleDrive drive;
    TestServer server;
    TestServer.OrgHandle acme;
    Client alice;
    SyncDriver driver;
    long id;

    @BeforeEach
    void start() {
        source = new GoogleDriveSource();
        drive = source.drive();
        source.addFolder("Reports");
        source.addFile("Reports/alpha.txt", SyncFlowTest.ALPHA);
        source.addFile("Reports/beta.txt", SyncFlowTest.BETA);
        server = TestServer.start(DatabaseKind.H2, dir, c -> source.configure(c)
                .withSync(c.sync().withSweepEvery(Duration.ofMillis(500))
                        .withHttp(HttpPolicy.defaults().withWaits(Duration.ofMillis(50), Duration.ofSeconds(2)))));
        acme = server.newOrganization("Acme");
        alice = acme.asCustomer("alice");
        driver = new SyncDriver(alice);
        id = source.connect(server, alice);
        driver.awaitCrawled(id);
    }

    @AfterEach
    void stop() {
        server.close();
        source.close();
    }

    private String reports() {
        return driver.item(id, "Reports").get("external_id").asText();
    }

    private Reply syncReports(Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("data_source_id", id, "ids", List.of(reports())));
        body.putAll(extra);
        Reply r = alice.post("/integrations/files/sync", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    private Map<String, JsonNode> awaitReady(String... names) {
        return driver.awaitFiles(id, "files READY", f -> SyncDriver.ready(f, names));
    }

    private long downloads() {
        return drive.count(r -> r.query().orElse("").contains("alt=media") || r.path().endsWith("/export"));
    }

    @Test
    void aRateLimitedFileWaitsAsRateLimitedThenSyncs() {
        // 5 s is more than the 2 s this server waits in place: the file is put back for when Drive said.
        drive.failNext(FakeGoogleDrive.rateLimitReply(429, "rateLimitExceeded").withHeader("Retry-After", "5"));
        syncReports(Map.of());
        AtomicBoolean sawRateLimited = new AtomicBoolean();
        driver.awaitFiles(id, "both files READY", f -> {
            f.values().forEach(x -> {
                if ("RATE_LIMITED".equals(x.get("sync_status").asText())) sawRateLimited.set(true);
            });
            return SyncDriver.ready(f, "alpha.txt", "beta.txt");
        });
        assertThat(sawRateLimited).as("the file showed RATE_LIMITED while it waited").isTrue();
        assertThat(downloads()).as("the limited download was tried once more").isEqualTo(3);
    }

    @Test
    void aRateLimitedCrawlIsQueuedAgainAndFinishes() {
        String before = driver.dataSource(id).get("source_items_synced_at").asText();
        server.clock().advance(Duration.ofMinutes(1)); // so the next crawl's time differs
        drive.failNext(FakeGoogleDrive.rateLimitReply(403, "userRateLimitExceeded"),
                FakeGoogleDrive.rateLimitReply(403, "userRateLimitExceeded"),
                FakeGoogleDrive.rateLimitReply(403, "userRateLimitExceeded"),
                FakeGoogleDrive.rateLimitReply(403, "userRateLimitExceeded"));
        Reply r = alice.post("/integrations/items/sync", Map.of("data_source_id", id));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("sync_status").asText()).isIn("QUEUED_FOR_SYNCING", "SYNCING");
        JsonNode done = driver.awaitDataSource(id, "the crawl after the rate limit",
                d -> "READY".equals(d.get("sync_status").asText()) && !d.get("source_items_synced_at").asText().equals(before));
        assertThat(done.get("sync_error_message").isNull()).isTrue();
        assertThat(driver.items(id, null, Map.of())).extracting(i -> i.get("name").asText()).contains("alpha.txt", "beta.txt");
    }

    @Test
    void anExpiredTokenIsRefreshedOnceAndTheSyncGoesOn() {
        int refreshes = source.oauth.refreshRequests();
        source.oauth.expireAccessTokens();
        syncReports(Map.of());
        awaitReady("alpha.txt", "beta.txt");
        assertThat(source.oauth.refreshRequests()).as("one refresh for the data source").isEqualTo(refreshes + 1);
    }

    @Test
    void aRevokedGrantEndsInSyncErrorAskingToReconnect() {
        source.oauth.revokeRefreshTokens();
        source.oauth.expireAccessTokens();
        Reply r = alice.post("/integrations/items/sync", Map.of("data_source_id", id));
        assertThat(r.status()).isEqualTo(200);
        Instant deadline = Instant.now().plusSeconds(60);
        JsonNode ds = driver.dataSource(id);
        while (!"SYNC_ERROR".equals(ds.get("sync_status").asText()) && Instant.now().isBefore(deadline)) {
            SyncDriver.sleep(100);
            ds = driver.dataSource(id);
        }
        assertThat(ds.get("sync_status").asText()).isEqualTo("SYNC_ERROR");
        assertThat(ds.get("sync_error_message").asText()).contains("Reauthorization required");
        assertThat(ds.toString()).doesNotContain("access_token").doesNotContain("refresh_token");
    }

    @Test
    void aFileThatCannotBeFetchedFailsAloneAndTheRestSyncs() {
        source.ids.put("Reports/diagram", drive.addGoogleFile(source.ids.get("Reports"), "diagram",
                FakeGoogleDrive.DRAWING, "a drawing"));
        alice.post("/integrations/items/sync", Map.of("data_source_id", id));
        driver.awaitDataSource(id, "the new item crawled", d -> "READY".equals(d.get("sync_status").asText())
                && driver.items(id, null, Map.of("name", "diagram")).size() == 1);
        syncReports(Map.of());
        Map<String, JsonNode> files = driver.awaitFiles(id, "every file final", f -> SyncDriver.ready(f, "alpha.txt", "beta.txt")
                && f.containsKey("diagram") && "SYNC_ERROR".equals(f.get("diagram").get("sync_status").asText()));
        assertThat(files.get("diagram").get("sync_error_message").asText()).isNotBlank();
        JsonNode ds = driver.awaitDataSource(id, "READY", d -> "READY".equals(d.get("sync_status").asText()));
        assertThat(ds.get("sync_progress").get("files_failed").asInt()).isEqualTo(1);
        assertThat(ds.get("sync_progress").get("files_ready").asInt()).as("two files and the folder").isEqualTo(3);
    }

    @Test
    void incrementalSyncSkipsUnchangedFilesAndAPlainSyncIngestsThemAgain() {
        syncReports(Map.of());
        Map<String, JsonNode> first = awaitReady("alpha.txt", "beta.txt");
        long afterFirst = downloads();
        assertThat(afterFirst).isEqualTo(2);

        syncReports(Map.of("incremental_sync", true));
        driver.awaitDataSource(id, "READY", d -> "READY".equals(d.get("sync_status").asText())
                && d.get("sync_progress").get("files_queued").asInt() == 0 && d.get("sync_progress").get("files_syncing").asInt() == 0);
        SyncDriver.sleep(1000);
        assertThat(downloads()).as("nothing changed: nothing fetched").isEqualTo(afterFirst);
        assertThat(driver.files(id).get("alpha.txt").get("last_sync").asText())
                .isEqualTo(first.get("alpha.txt").get("last_sync").asText());

        syncReports(Map.of("incremental_sync", true, "chunk_size", 300));
        driver.awaitFiles(id, "re-chunked", f -> f.get("alpha.txt").get("chunk_size").asInt() == 300
                && SyncDriver.ready(f, "alpha.txt", "beta.txt"));
        assertThat(downloads()).as("new embedding properties: ingested again").isEqualTo(afterFirst + 2);

        server.clock().advance(Duration.ofMinutes(1)); // so the next ingestion's time differs
        syncReports(Map.of());
        driver.awaitFiles(id, "ingested again", f -> !f.get("alpha.txt").get("last_sync").asText()
                .equals(first.get("alpha.txt").get("last_sync").asText()) && SyncDriver.ready(f, "alpha.txt", "beta.txt")
                && f.get("alpha.txt").get("chunk_size").asInt() == 1500);
        assertThat(downloads()).isEqualTo(afterFirst + 4);
    }

    @Test
    void resyncFileFetchesTheFileFromItsSourceAgain() {
        syncReports(Map.of());
        Map<String, JsonNode> files = awaitReady("alpha.txt", "beta.txt");
        long beta = files.get("beta.txt").get("id").asLong();
        source.editFile("Reports/beta.txt", SyncFlowTest.BETA_EDITED);
        Reply r = alice.post("/resync_file", Map.of("file_id", beta));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        driver.awaitFiles(id, "the new text searchable", f -> SyncDriver.ready(f, "beta.txt")
                && driver.searchContents("volcano ash in the stratosphere", 3).stream().anyMatch(c -> c.contains("Volcanic")));
        assertThat(driver.searchContents("sourdough bread with a starter", 10)).noneMatch(c -> c.contains("Sourdough"));
    }

    @Test
    void cancellingAStopsTheCrawlAndSaysSo() {
        drive.limitPageSize(1);
        drive.delayEachAnswer(300);
        for (int i = 0; i < 30; i++) drive.addFile(source.ids.get("Reports"), "extra-" + i + ".txt", "extra " + i);
        Reply started = alice.post("/integrations/items/sync", Map.of("data_source_id", id));
        assertThat(started.status()).isEqualTo(200);
        SyncDriver.sleep(1200);
        Reply cancelled = alice.post("/integrations/items/sync/cancel", Map.of("data_source_id", id));
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.json().get("last_sync_action").asText()).isEqualTo("CANCEL");
        SyncDriver.sleep(1500);
        long requests = drive.requests().size();
        SyncDriver.sleep(1500);
        assertThat(drive.requests().size()).as("the crawl stopped").isEqualTo(requests);
        JsonNode ds = driver.dataSource(id);
        assertThat(ds.get("last_sync_action").asText()).isEqualTo("CANCEL");
        assertThat(ds.get("sync_status").asText()).isEqualTo("READY");
    }

    @Test
    void badRequestsGetCarbonsErrorShape() {
        Reply unknown = alice.post("/integrations/items/list", Map.of("data_source_id", 999_999));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("detail").asText()).contains("999999");
        Reply missing = alice.post("/integrations/files/sync", Map.of("data_source_id", id));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"ids\"]");
        Reply badOrder = alice.post("/integrations/items/list", Map.of("data_source_id", id, "order_by", "size"));
        assertThat(badOrder.status()).isEqualTo(422);
        Reply notStorage = alice.post("/integrations/s3/files", Map.of("data_source_id", id, "ids", List.of()));
        assertThat(notStorage.status()).isEqualTo(422);
        Reply otherUser = acme.asCustomer("bob").post("/integrations/items/sync", Map.of("data_source_id", id));
        assertThat(otherUser.status()).as("bob cannot touch alice's data source").isEqualTo(404);
    }

    @Test
    void anUnchangedSourceOfTenThousandFilesCostsAHandfulOfRequestsToSyncAgain() {
        String bulk = drive.addFolder(source.ids.get(""), "Bulk");
        drive.addFiles(bulk, 10_000, "record-");
        String crawledBefore = driver.dataSource(id).get("source_items_synced_at").asText();
        server.clock().advance(Duration.ofMinutes(1)); // so the next crawl's time differs
        alice.post("/integrations/items/sync", Map.of("data_source_id", id));
        driver.awaitDataSource(id, "the 10,000 files crawled", d -> "READY".equals(d.get("sync_status").asText())
                && !d.get("source_items_synced_at").asText().equals(crawledBefore));
        String bulkId = driver.item(id, "Bulk").get("external_id").asText();
        Reply r = alice.post("/integrations/files/sync", Map.of("data_source_id", id, "ids", List.of(bulkId),
                "skip_file_processing", true));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode synced = driver.awaitDataSource(id, "10,000 files recorded", d -> "READY".equals(d.get("sync_status").asText())
                && d.get("sync_progress").get("files_total").asInt() == 10_001);
        assertThat(synced.get("sync_progress").get("files_ready").asInt()).isEqualTo(10_001);

        Reply auto = acme.client().post("/update_users", Map.of("customer_ids", List.of("alice"),
                "auto_sync_enabled_sources", List.of("GOOGLE_DRIVE")));
        assertThat(auto.status()).isEqualTo(200);
        drive.clearRequests();
        String before = driver.dataSource(id).get("last_synced_at").asText();
        server.clock().advance(Duration.ofHours(7));
        driver.awaitDataSource(id, "the auto-sync", d -> !d.get("last_synced_at").asText().equals(before)
                && "READY".equals(d.get("sync_status").asText()));
        List<RecordedRequest> made = drive.requests();
        assertThat(made).as("an unchanged 10,000-file source: " + made.stream().map(q -> q.method() + " " + q.path()).toList())
                .hasSizeLessThanOrEqualTo(5);
        assertThat(driver.dataSource(id).get("sync_progress").get("files_total").asInt()).isEqualTo(10_001);
    }
}
