package io.catchment.connectors.azureblob;

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
import io.catchment.connector.credentials.CredentialVerifiers.Endpoints;
import io.catchment.connectors.ConnectorHarness;
import io.catchment.datasource.DataSource;
import io.catchment.http.SyncFailure;
import io.catchment.json.Json;
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.models.RecordedRequest;
import io.catchment.testing.sources.FakeAzureBlob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AzureBlobConnectorTest {
    private static final String ACCOUNT = "devstoreaccount1";
    /** The storage emulator's published well-known key. */
    private static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final String ODD_NAME = "reports/Q1 résumé+plan (final) 100%.txt";

    private final FakeAzureBlob azure = new FakeAzureBlob(ACCOUNT, KEY, Clock.systemUTC());
    private final Endpoints endpoints = Endpoints.defaults().withAzureBlob(azure.baseUrl().toString());
    /** Containers two to a page, so their paging shows with a handful; blobs in Azure's own pages of 5000. */
    private final AzureBlobConnector connector = new AzureBlobConnector(endpoints, Clock.systemUTC(), 2,
            AzureBlobConnector.MAX_PAGE);
    private final DataSource source = ConnectorHarness.dataSource(DataSourceType.AZURE_BLOB_STORAGE,
            Json.object().put("account_name", ACCOUNT));

    @TempDir
    Path dir;

    @BeforeEach
    void fill() {
        azure.addContainer("archive");
        azure.addContainer("bulk");
        azure.addFiles("bulk/many", 11_000, "file-");
        azure.addContainer("docs");
        azure.putBlob("docs", "readme.md", "# Docs\n");
        azure.putBlob("docs", "reports-old.txt", "old");
        azure.putBlob("docs", "reports/2024-notes.txt", "notes");
        azure.putBlob("docs", "reports/2024/q1.pdf", "quarter one");
        azure.putBlob("docs", "reports/2024/q2.pdf", "quarter two");
        azure.putBlob("docs", "reports/summary.txt", "summary");
        azure.putBlob("docs", ODD_NAME, "naïve café ✓\nline 2\n");
        azure.putBlob("docs", "odd\u0001name.txt", "control character in the name");
        azure.putBlob("docs", "data", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8), "text/csv");
    }

    @AfterEach
    void close() {
        azure.close();
    }

    private Connection connection(AzureBlobConnector c, String key) {
        return ConnectorHarness.connection(c, source,
                c.keyAuthenticator(source, Map.of("account_name", ACCOUNT, "account_key", key)).orElseThrow(),
                Optional.empty());
    }

    private Connection connection() {
        return connection(connector, KEY);
    }

    private static Map<String, SourceItem> byId(List<SourceItem> items) {
        return items.stream().collect(Collectors.toMap(SourceItem::externalId, Function.identity()));
    }

    private List<RecordedRequest> blobListings(String container) {
        return azure.requests().stream().filter(r -> r.path().equals("/" + container)).toList();
    }

    @Test
    void crawlsContainersSynthesizedFoldersAndBlobsPageByPage() throws Exception {
        List<SourceItem> items = ConnectorHarness.crawlAll(connector, connection());

        Map<String, SourceItem> byId = byId(items);
        assertThat(byId).hasSameSizeAs(items);
        assertThat(items.stream().filter(i -> i.rootExternalId().equals("docs")).map(SourceItem::externalId))
                .containsExactlyInAnyOrder("docs", "docs/readme.md", "docs/reports-old.txt", "docs/reports/",
                        "docs/reports/2024-notes.txt", "docs/reports/2024/", "docs/reports/2024/q1.pdf",
                        "docs/reports/2024/q2.pdf", "docs/reports/summary.txt", "docs/" + ODD_NAME,
                        "docs/odd\u0001name.txt", "docs/data");
        assertThat(items.stream().filter(i -> i.rootExternalId().equals("bulk") && i.isFile())).hasSize(11_000);
        assertThat(byId).containsKey("archive");

        SourceItem container = byId.get("docs");
        assertThat(container.itemType()).isEqualTo("Container");
        assertThat(container.expandable()).isTrue();
        assertThat(container.parentExternalId()).isEmpty();
        assertThat(container.externalUrl()).contains(azure.baseUrl() + "/docs");

        SourceItem folder = byId.get("docs/reports/2024/");
        assertThat(folder.itemType()).isEqualTo(ItemTypes.FOLDER);
        assertThat(folder.name()).isEqualTo("2024");
        assertThat(folder.parentExternalId()).contains("docs/reports/");
        assertThat(folder.rootExternalId()).isEqualTo("docs");

        SourceItem q1 = byId.get("docs/reports/2024/q1.pdf");
        assertThat(q1.itemType()).isEqualTo(ItemTypes.FILE);
        assertThat(q1.name()).isEqualTo("q1.pdf");
        assertThat(q1.parentExternalId()).contains("docs/reports/2024/");
        assertThat(q1.fileFormat()).contains("PDF");
        assertThat(q1.version()).isEqualTo(azure.etag("docs", "reports/2024/q1.pdf"));
        assertThat(q1.version().orElseThrow()).startsWith("0x");
        assertThat(q1.size()).hasValue("quarter one".length());
        assertThat(q1.createdAt()).isPresent();
        assertThat(q1.modifiedAt()).isPresent();
        assertThat(q1.externalUrl()).contains(azure.baseUrl() + "/docs/reports/2024/q1.pdf");
        assertThat(q1.metadata().path("container").asText()).isEqualTo("docs");
        assertThat(q1.metadata().path("blob").asText()).isEqualTo("reports/2024/q1.pdf");
        assertThat(byId.get("docs/data").fileFormat()).contains("CSV"); // from its Content-Type
        assertThat(byId.get("docs/odd\u0001name.txt").name()).isEqualTo("odd\u0001name.txt");

        // Containers: two to a page, three containers; blobs: 11,000 in pages of 5000.
        assertThat(azure.requests().stream().filter(r -> r.path().equals("/"))).hasSize(2);
        List<RecordedRequest> bulk = blobListings("bulk");
        assertThat(bulk).hasSize(3);
        assertThat(bulk).allSatisfy(r -> assertThat(r.query().orElse(""))
                .contains("restype=container").contains("comp=list").contains("maxresults=5000"));
        assertThat(bulk.get(0).query().orElse("")).doesNotContain("marker=");
        assertThat(bulk.get(1).query().orElse("")).contains("marker=");
        assertThat(azure.requests()).allSatisfy(r -> {
            assertThat(r.header("x-ms-version")).contains("2020-10-02");
            assertThat(r.header("authorization").orElseThrow()).startsWith("SharedKey " + ACCOUNT + ":");
        });
    }

    @Test
    void aCrawlResumedFromAMidwayCheckpointGivesTheSameItems() throws Exception {
        Set<String> full = byId(ConnectorHarness.crawlAll(connector, connection())).keySet();

        Connection c = connection();
        List<String> before = new ArrayList<>();
        CrawlPage page = connector.crawl(c, Optional.empty());
        before.addAll(page.items().stream().map(SourceItem::externalId).toList());
        while (!page.next().orElseThrow().json().contains("\"marker\":\"")) {
            page = connector.crawl(c, page.next());
            before.addAll(page.items().stream().map(SourceItem::externalId).toList());
        }
        String stored = page.next().orElseThrow().json(); // inside the blob listing of "bulk"

        AzureBlobConnector restarted = new AzureBlobConnector(endpoints, Clock.systemUTC(), 2, AzureBlobConnector.MAX_PAGE);
        List<String> after = new ArrayList<>();
        Optional<Checkpoint> at = Optional.of(Checkpoint.parse(stored));
        while (at.isPresent()) {
            CrawlPage next = restarted.crawl(connection(restarted, KEY), at);
            after.addAll(next.items().stream().map(SourceItem::externalId).toList());
            at = next.next().map(cp -> Checkpoint.parse(cp.json()));
        }

        assertThat(before).contains("bulk/many/file-0.txt");
        assertThat(new HashSet<>(before)).doesNotContainAnyElementsOf(after);
        Set<String> union = new HashSet<>(before);
        union.addAll(after);
        assertThat(union).isEqualTo(full);
    }

    @Test
    void aMarkerAzureNoLongerAcceptsListsThatContainerAgain() throws Exception {
        Set<String> full = byId(ConnectorHarness.crawlAll(connector, connection())).keySet();
        azure.clearRequests();

        Connection c = connection();
        Set<String> ids = new HashSet<>();
        CrawlPage page = connector.crawl(c, Optional.empty());
        ids.addAll(page.items().stream().map(SourceItem::externalId).toList());
        while (!page.next().orElseThrow().json().contains("\"marker\":\"")) {
            page = connector.crawl(c, page.next());
            ids.addAll(page.items().stream().map(SourceItem::externalId).toList());
        }
        azure.expireMarkers();
        for (Optional<Checkpoint> at = page.next(); at.isPresent(); at = page.next()) {
            page = connector.crawl(c, at);
            ids.addAll(page.items().stream().map(SourceItem::externalId).toList());
        }

        assertThat(ids).isEqualTo(full);
        List<RecordedRequest> bulk = blobListings("bulk");
        assertThat(bulk.stream().filter(r -> !r.query().orElse("").contains("marker="))).hasSize(2);
    }

    @Test
    void fetchDownloadsTheExactBytesOfANameThatNeedsEncoding() throws Exception {
        Map<String, SourceItem> items = byId(ConnectorHarness.crawlAll(connector, connection()));
        Path target = dir.resolve("content");

        Fetched fetched = connector.fetch(connection(), items.get("docs/" + ODD_NAME), target);

        assertThat(Files.readAllBytes(target)).isEqualTo(azure.content("docs", ODD_NAME).orElseThrow());
        assertThat(Files.readString(target)).isEqualTo("naïve café ✓\nline 2\n");
        assertThat(fetched.fileName()).isEqualTo("Q1 résumé+plan (final) 100%.txt");
        assertThat(fetched.mimeType()).contains("text/plain");
        assertThat(azure.lastRequest().path())
                .isEqualTo("/docs/reports/Q1%20r%C3%A9sum%C3%A9%2Bplan%20%28final%29%20100%25.txt");

        Path odd = dir.resolve("odd");
        connector.fetch(connection(), items.get("docs/odd\u0001name.txt"), odd);
        assertThat(Files.readString(odd)).isEqualTo("control character in the name");
    }

    @Test
    void aDeletedBlobIsGoneAndAnArchivedOneFailsAlone() throws Exception {
        Map<String, SourceItem> items = byId(ConnectorHarness.crawlAll(connector, connection()));
        azure.deleteBlob("docs", "reports/summary.txt");
        azure.archiveBlob("docs", "readme.md");

        assertThatThrownBy(() -> connector.fetch(connection(), items.get("docs/reports/summary.txt"), dir.resolve("a")))
                .isInstanceOfSatisfying(ItemFailure.class, failure -> {
                    assertThat(failure.gone()).isTrue();
                    assertThat(failure.getMessage()).contains("BlobNotFound");
                });
        assertThatThrownBy(() -> connector.fetch(connection(), items.get("docs/readme.md"), dir.resolve("b")))
                .isInstanceOfSatisfying(ItemFailure.class, failure -> {
                    assertThat(failure.gone()).isFalse();
                    assertThat(failure.getMessage()).contains("archive tier");
                });
        assertThatThrownBy(() -> connector.fetch(connection(), items.get("docs/reports/"), dir.resolve("c")))
                .isInstanceOf(ItemFailure.class);
    }

    @Test
    void directoriesOfAHierarchicalNamespaceAreFoldersNotFiles() throws Exception {
        azure.addContainer("lake");
        azure.addDirectory("lake", "raw");
        azure.addDirectory("lake", "raw/2024");
        azure.putBlob("lake", "raw-notes.txt", "sorts between the directory and its contents");
        azure.putBlob("lake", "raw/2024/events.json", "{}");
        azure.addDirectory("lake", "empty");

        Map<String, SourceItem> items = byId(ConnectorHarness.crawlAll(connector, connection()));

        assertThat(items.keySet().stream().filter(id -> id.startsWith("lake")))
                .containsExactlyInAnyOrder("lake", "lake/raw-notes.txt", "lake/raw/", "lake/raw/2024/",
                        "lake/raw/2024/events.json", "lake/empty/");
        assertThat(items.get("lake/empty/").itemType()).as("an empty directory is a folder").isEqualTo("FOLDER");
        assertThat(items.get("lake/raw/2024/events.json").fileFormat()).contains("JSON");
    }

    @Test
    void aRateLimitIsWaitedOut() throws Exception {
        azure.failNext(new Reply(429, Map.of("Retry-After", "1", "x-ms-error-code", "TooManyRequests"), ""),
                new Reply(503, Map.of("Content-Type", "application/xml", "x-ms-error-code", "ServerBusy"),
                        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code><Message>The server"
                                + " is busy.</Message></Error>"));

        CrawlPage page = connector.crawl(connection(), Optional.empty());

        assertThat(page.items()).extracting(SourceItem::externalId).containsExactly("archive", "bulk");
        assertThat(azure.requests()).hasSize(3);
    }

    @Test
    void aKeyAzureRejectsEndsTheGrantWithoutShowingIt() {
        String other = "c2VjcmV0LWtleS1vZi1hbm90aGVyLWFjY291bnQtMDAwMDAwMDAwMDAwMDAwMDAwMA==";

        assertThatThrownBy(() -> connector.crawl(connection(connector, other), Optional.empty()))
                .isInstanceOfSatisfying(SyncFailure.Auth.class, failure -> assertThat(failure.getMessage())
                        .contains("account key").doesNotContain(other).doesNotContain(KEY));
        assertThat(azure.requests()).hasSize(1);
        assertThat(connector.keyAuthenticator(source, Map.of("account_name", ACCOUNT, "account_key", KEY))
                .orElseThrow()).satisfies(auth -> assertThat(auth.renewAfterRejection()).isFalse());
    }

    @Test
    void aKeyThatIsNotAKeyFailsBeforeAnythingIsSent() {
        assertThatThrownBy(() -> connector.crawl(connection(connector, "not base64!"), Optional.empty()))
                .isInstanceOfSatisfying(SyncFailure.Auth.class, failure ->
                        assertThat(failure.getMessage()).doesNotContain("not base64!"));
        assertThat(azure.requests()).isEmpty();
    }

    @Test
    void aContainerTheKeyMayNotReadIsForTheUserToFix() {
        azure.denyContainer("docs");

        assertThatThrownBy(() -> ConnectorHarness.crawlAll(connector, connection()))
                .isInstanceOfSatisfying(SyncFailure.Config.class, failure -> assertThat(failure.getMessage())
                        .contains("container 'docs'").contains("AuthorizationPermissionMismatch"));
    }

    @Test
    void aContainerDeletedDuringTheCrawlIsSkipped() throws Exception {
        Connection c = connection();
        List<SourceItem> items = new ArrayList<>();
        CrawlPage page = connector.crawl(c, Optional.empty());
        items.addAll(page.items());
        page = connector.crawl(c, page.next());
        items.addAll(page.items());
        assertThat(items).extracting(SourceItem::externalId).containsExactly("archive", "bulk", "docs");
        azure.deleteContainer("docs");

        for (Optional<Checkpoint> at = page.next(); at.isPresent(); at = page.next()) {
            page = connector.crawl(c, at);
            items.addAll(page.items());
        }

        assertThat(items.stream().filter(i -> i.rootExternalId().equals("docs"))).hasSize(1);
        assertThat(items.stream().filter(i -> i.rootExternalId().equals("bulk"))).hasSize(11_002);
    }

    @Test
    void withoutAChangeFeedEditsRenamesMovesAndDeletesShowInTheNextCrawl() throws Exception {
        assertThat(connector.changeCursor(connection())).isEmpty();
        assertThat(connector.changes(connection(), Checkpoint.of(new AzureBlobConnector.Crawl(null, List.of(), null, null))))
                .isInstanceOf(ChangePage.Reset.class);
        Map<String, SourceItem> before = byId(ConnectorHarness.crawlAll(connector, connection()));

        azure.editBlob("docs", "readme.md", "# Docs, edited\n");
        azure.renameBlob("docs", "reports/summary.txt", "reports/summary-2024.txt");
        azure.renameBlob("docs", "reports/2024/q2.pdf", "old/q2.pdf");
        azure.deleteBlob("docs", "reports/2024-notes.txt");
        azure.putBlob("docs", "reports/2024/q3.pdf", "quarter three");
        Map<String, SourceItem> after = byId(ConnectorHarness.crawlAll(connector, connection()));

        assertThat(after.get("docs/readme.md").version()).isNotEqualTo(before.get("docs/readme.md").version())
                .isEqualTo(azure.etag("docs", "readme.md"));
        assertThat(after.get("docs/reports/2024/q1.pdf").version()).isEqualTo(before.get("docs/reports/2024/q1.pdf").version());
        Set<String> removed = new HashSet<>(before.keySet());
        removed.removeAll(after.keySet());
        Set<String> added = new HashSet<>(after.keySet());
        added.removeAll(before.keySet());
        assertThat(removed).containsExactlyInAnyOrder("docs/reports/summary.txt", "docs/reports/2024/q2.pdf",
                "docs/reports/2024-notes.txt");
        assertThat(added).containsExactlyInAnyOrder("docs/reports/summary-2024.txt", "docs/old/", "docs/old/q2.pdf",
                "docs/reports/2024/q3.pdf");
    }
}
