package io.catchment.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.http.HttpPolicy;
import io.catchment.server.support.Client;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testsupport.DatabaseKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file-store connector end to end against its fake: connect (OAuth in a browser, or keys),
 * crawl, browse items, sync a folder, find its content through {@code /embeddings}; then add, edit,
 * move and delete files at the source, and one auto-sync brings files and search in line. Each
 * connector runs on one of the two databases, so both are covered without doubling the time.
 */
class SyncFlowTest {
    static final String ALPHA = "The aurora borealis paints the polar night sky green when solar wind meets the atmosphere.";
    static final String BETA = "Sourdough bread needs a lively starter, a long cold proof and a very hot oven.";
    static final String BETA_EDITED = "Volcanic eruptions send ash clouds high into the stratosphere and ground airplanes.";
    static final String DELTA = "Chess openings such as the Sicilian defence shape the middle game for both players.";
    static final String GAMMA = "Honeybees dance in the hive to tell their sisters where the flowers with nectar are.";

    @TempDir
    Path dir;

    static Stream<Arguments> sources() {
        return Stream.of(
                Arguments.of("GOOGLE_DRIVE", DatabaseKind.H2, (Supplier<SourceFixture>) SourceFixtures::googleDrive),
                Arguments.of("GOOGLE_CLOUD_STORAGE", DatabaseKind.POSTGRESQL, (Supplier<SourceFixture>) SourceFixtures::gcs),
                Arguments.of("DROPBOX", DatabaseKind.POSTGRESQL, (Supplier<SourceFixture>) SourceFixtures::dropbox),
                Arguments.of("BOX", DatabaseKind.H2, (Supplier<SourceFixture>) SourceFixtures::box),
                Arguments.of("ONEDRIVE", DatabaseKind.H2, (Supplier<SourceFixture>) SourceFixtures::oneDrive),
                Arguments.of("SHAREPOINT", DatabaseKind.POSTGRESQL, (Supplier<SourceFixture>) SourceFixtures::sharePoint),
                Arguments.of("S3", DatabaseKind.H2, (Supplier<SourceFixture>) SourceFixtures::s3),
                Arguments.of("AZURE_BLOB_STORAGE", DatabaseKind.POSTGRESQL, (Supplier<SourceFixture>) SourceFixtures::azureBlob));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("sources")
    void connectCrawlSyncSearchThenAutoSyncFollowsTheSource(String name, DatabaseKind kind, Supplier<SourceFixture> make) {
        try (SourceFixture source = make.get()) {
            source.addFolder("Reports");
            source.addFolder("Reports/Archive");
            source.addFolder("Elsewhere");
            source.addFile("Reports/alpha.txt", ALPHA);
            source.addFile("Reports/beta.txt", BETA);
            source.addFile("Reports/delta.txt", DELTA);
            source.addFile("Elsewhere/unpicked.txt", "Nobody picked this file, so it is never synced.");
            try (TestServer server = TestServer.start(kind, dir, c -> source.configure(c)
                    .withSync(c.sync().withSweepEvery(Duration.ofMillis(500))
                            .withHttp(HttpPolicy.defaults().withWaits(Duration.ofMillis(50), Duration.ofSeconds(3)))))) {
                TestServer.OrgHandle acme = server.newOrganization("Acme");
                Client alice = acme.asCustomer("alice");
                SyncDriver driver = new SyncDriver(alice);
                long id = source.connect(server, alice);
                JsonNode crawled = driver.awaitCrawled(id);
                assertThat(crawled.get("data_source_type").asText()).isEqualTo(name);

                // Browse: the folder, its children, the formats.
                JsonNode reports = driver.item(id, "Reports");
                assertThat(reports.get("is_expandable").asBoolean()).isTrue();
                assertThat(reports.get("item_type").asText()).isIn("FOLDER");
                List<JsonNode> children = driver.items(id, reports.get("external_id").asText(), Map.of());
                assertThat(children).extracting(c -> c.get("name").asText())
                        .containsExactlyInAnyOrder("Archive", "alpha.txt", "beta.txt", "delta.txt");
                JsonNode alphaItem = children.stream().filter(c -> c.get("name").asText().equals("alpha.txt")).findFirst().orElseThrow();
                assertThat(alphaItem.get("file_format").asText()).isEqualTo("TXT");
                assertThat(alphaItem.get("is_selectable").asBoolean()).isTrue();
                assertThat(alphaItem.get("is_expandable").asBoolean()).isFalse();
                assertThat(alphaItem.get("parent_external_id").asText()).isEqualTo(reports.get("external_id").asText());
                assertThat(alphaItem.get("organization_user_file_to_sync_id").isNull()).as("not synced yet").isTrue();
                List<JsonNode> foldersFirst = driver.items(id, reports.get("external_id").asText(), Map.of());
                assertThat(foldersFirst).isNotEmpty();

                // Sync the folder; its files become searchable, the unpicked one never appears.
                Reply sync = alice.post(source.syncPath(), source.syncFolderBody(id, reports.get("external_id").asText(), "Reports"));
                assertThat(sync.status()).as(sync.toString()).isEqualTo(200);
                Map<String, JsonNode> files = driver.awaitFiles(id, "the folder's files READY",
                        f -> SyncDriver.ready(f, "alpha.txt", "beta.txt", "delta.txt"));
                assertThat(files).doesNotContainKey("unpicked.txt");
                JsonNode alpha = files.get("alpha.txt");
                assertThat(alpha.get("source").asText()).isEqualTo(name);
                assertThat(alpha.get("external_file_id").asText()).isEqualTo(alphaItem.get("external_id").asText());
                assertThat(alpha.get("organization_user_data_source_id").asLong()).isEqualTo(id);
                assertThat(alpha.get("parent_id").isNull()).as("the folder's file is its parent").isFalse();
                assertThat(files.get("Reports").get("id").asLong()).isEqualTo(alpha.get("parent_id").asLong());
                assertThat(driver.searchFileIds("northern lights in the polar sky", 1)).containsExactly(alpha.get("id").asLong());
                assertThat(driver.searchFileIds("baking bread with a starter", 1)).containsExactly(files.get("beta.txt").get("id").asLong());
                JsonNode item = driver.item(id, "alpha.txt");
                assertThat(item.get("organization_user_file_to_sync_id").asLong()).isEqualTo(alpha.get("id").asLong());
                JsonNode synced = driver.awaitDataSource(id, "READY after the sync", d -> "READY".equals(d.get("sync_status").asText()));
                assertThat(synced.get("last_sync_action").asText()).isEqualTo("UPDATE");

                // The source changes behind our back.
                source.addFile("Reports/gamma.txt", GAMMA);
                source.editFile("Reports/beta.txt", BETA_EDITED);
                source.moveFile("Reports/alpha.txt", "Reports/Archive/alpha.txt");
                source.deleteFile("Reports/delta.txt");
                long deltaId = files.get("delta.txt").get("id").asLong();

                // One auto-sync: on for the user's source type, and due once the clock passes the interval.
                Reply update = acme.client().post("/update_users", Map.of("customer_ids", List.of("alice"),
                        "auto_sync_enabled_sources", List.of(name)));
                assertThat(update.status()).as(update.toString()).isEqualTo(200);
                String before = driver.dataSource(id).get("last_synced_at").asText();
                server.clock().advance(Duration.ofHours(7));
                driver.awaitDataSource(id, "an auto-sync", d -> !d.get("last_synced_at").asText().equals(before)
                        && "READY".equals(d.get("sync_status").asText()));
                Map<String, JsonNode> after = driver.awaitFiles(id, "files in line with the source",
                        f -> SyncDriver.ready(f, "alpha.txt", "beta.txt", "gamma.txt") && !f.containsKey("delta.txt")
                                && f.get("beta.txt").get("id").asLong() == files.get("beta.txt").get("id").asLong()
                                && driver.searchFileIds("volcano ash in the stratosphere", 1)
                                        .equals(List.of(files.get("beta.txt").get("id").asLong())));
                assertThat(driver.searchFileIds("bees dancing to show where flowers are", 1))
                        .containsExactly(after.get("gamma.txt").get("id").asLong());
                assertThat(driver.searchFileIds("chess openings and the Sicilian defence", 5)).doesNotContain(deltaId);
                assertThat(driver.searchContents("sourdough bread with a starter", 10))
                        .as("the edited file's old text is gone from search").noneMatch(c -> c.contains("Sourdough"))
                        .anyMatch(c -> c.contains("Volcanic"));
                assertThat(driver.searchContents("chess openings", 10)).noneMatch(c -> c.contains("Sicilian"));
                assertThat(driver.searchFileIds("northern lights in the polar sky", 1))
                        .containsExactly(after.get("alpha.txt").get("id").asLong());
                assertThat(after.get("alpha.txt").get("parent_id").asLong()).as("moved into Archive")
                        .isEqualTo(after.get("Archive").get("id").asLong());
            }
        }
    }
}
