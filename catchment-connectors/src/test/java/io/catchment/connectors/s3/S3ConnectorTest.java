package io.catchment.connectors.s3;

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
import io.catchment.connector.credentials.CredentialVerifiers.Endpoints;
import io.catchment.connectors.ConnectorHarness;
import io.catchment.datasource.DataSource;
import io.catchment.http.SyncFailure;
import io.catchment.json.Json;
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.models.RecordedRequest;
import io.catchment.testing.sources.FakeS3;
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

class S3ConnectorTest {
    private static final String KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String ODD_KEY = "reports/Q1 résumé+plan (final) 100%.txt";

    private final FakeS3 s3 = new FakeS3(KEY, SECRET, "us-east-1", Clock.systemUTC());
    private final S3Connector connector = new S3Connector(Endpoints.defaults().withAwsS3(s3.baseUrl()));
    private final DataSource source = ConnectorHarness.dataSource(DataSourceType.S3, Json.object()
            .put("provider", "AWS_S3").put("endpoint", "s3.amazonaws.com").put("region", "us-east-1"));

    @TempDir
    Path dir;

    @BeforeEach
    void fill() {
        s3.addBucket("bulk");
        s3.addFiles("bulk/many", 2500, "file-");
        s3.addBucket("docs");
        s3.putObject("docs", "readme.md", "# Docs\n");
        s3.putObject("docs", "reports-old.txt", "old");
        s3.putObject("docs", "reports/2024-notes.txt", "notes");
        s3.putObject("docs", "reports/2024/q1.pdf", "quarter one");
        s3.putObject("docs", "reports/2024/q2.pdf", "quarter two");
        s3.putObject("docs", "reports/summary.txt", "summary");
        s3.putObject("docs", ODD_KEY, "naïve café ✓\nline 2\n");
        s3.addFolder("docs", "empty");
    }

    @AfterEach
    void close() {
        s3.close();
    }

    private Connection connection(String secret) {
        return ConnectorHarness.connection(connector, source,
                connector.keyAuthenticator(source, Map.of("access_key", KEY, "access_key_secret", secret)).orElseThrow(),
                Optional.empty());
    }

    private Connection connection() {
        return connection(SECRET);
    }

    private static Map<String, SourceItem> byId(List<SourceItem> items) {
        return items.stream().collect(Collectors.toMap(SourceItem::externalId, Function.identity()));
    }

    private static List<RecordedRequest> listings(FakeS3 fake, String bucket) {
        return fake.requests().stream().filter(r -> r.path().equals("/" + bucket)).toList();
    }

    @Test
    void crawlsBucketsSynthesizedFoldersAndObjectsPageByPage() throws Exception {
        List<SourceItem> items = ConnectorHarness.crawlAll(connector, connection());

        Map<String, SourceItem> byId = byId(items);
        assertThat(byId).hasSameSizeAs(items); // every item once, folders included
        assertThat(items.stream().filter(i -> i.rootExternalId().equals("docs")).map(SourceItem::externalId))
                .containsExactlyInAnyOrder("docs", "docs/readme.md", "docs/reports-old.txt", "docs/reports/",
                        "docs/reports/2024-notes.txt", "docs/reports/2024/", "docs/reports/2024/q1.pdf",
                        "docs/reports/2024/q2.pdf", "docs/reports/summary.txt", "docs/" + ODD_KEY, "docs/empty/");
        assertThat(items.stream().filter(i -> i.rootExternalId().equals("bulk") && i.isFile())).hasSize(2500);
        assertThat(byId.get("bulk/many/").parentExternalId()).contains("bulk");

        SourceItem bucket = byId.get("docs");
        assertThat(bucket.itemType()).isEqualTo(S3Connector.BUCKET);
        assertThat(bucket.expandable()).isTrue();
        assertThat(bucket.selectable()).isTrue();
        assertThat(bucket.parentExternalId()).isEmpty();
        assertThat(bucket.createdAt()).isPresent();

        SourceItem folder = byId.get("docs/reports/2024/");
        assertThat(folder.itemType()).isEqualTo(ItemTypes.FOLDER);
        assertThat(folder.name()).isEqualTo("2024");
        assertThat(folder.parentExternalId()).contains("docs/reports/");
        assertThat(folder.rootExternalId()).isEqualTo("docs");
        assertThat(folder.expandable()).isTrue();
        assertThat(byId.get("docs/empty/").parentExternalId()).contains("docs");

        SourceItem q1 = byId.get("docs/reports/2024/q1.pdf");
        assertThat(q1.itemType()).isEqualTo(ItemTypes.FILE);
        assertThat(q1.isFile()).isTrue();
        assertThat(q1.name()).isEqualTo("q1.pdf");
        assertThat(q1.parentExternalId()).contains("docs/reports/2024/");
        assertThat(q1.rootExternalId()).isEqualTo("docs");
        assertThat(q1.fileFormat()).contains("PDF");
        assertThat(q1.version()).isEqualTo(s3.etag("docs", "reports/2024/q1.pdf"));
        assertThat(q1.size()).hasValue("quarter one".length());
        assertThat(q1.modifiedAt()).isPresent();
        assertThat(q1.externalUrl()).contains(s3.baseUrl() + "/docs/reports/2024/q1.pdf");
        assertThat(q1.metadata().path("bucket").asText()).isEqualTo("docs");
        assertThat(q1.metadata().path("key").asText()).isEqualTo("reports/2024/q1.pdf");
        assertThat(q1.metadata().path("region").asText()).isEqualTo("us-east-1");
        assertThat(byId.get("docs/readme.md").fileFormat()).contains("MD");
        assertThat(byId.get("docs/" + ODD_KEY).name()).isEqualTo("Q1 résumé+plan (final) 100%.txt");

        // ListObjectsV2 pages of 1000: 2500 objects are three requests, each after the first with a token.
        List<RecordedRequest> bulk = listings(s3, "bulk");
        assertThat(bulk).hasSize(3);
        assertThat(bulk).allSatisfy(r -> assertThat(r.query().orElse(""))
                .contains("list-type=2").contains("max-keys=1000").contains("encoding-type=url"));
        assertThat(bulk.get(0).query().orElse("")).doesNotContain("continuation-token");
        assertThat(bulk.get(1).query().orElse("")).contains("continuation-token=");
        assertThat(bulk.get(2).query().orElse("")).contains("continuation-token=");
        assertThat(s3.requests()).allSatisfy(r -> {
            assertThat(r.header("authorization")).hasValueSatisfying(a -> assertThat(a)
                    .startsWith("AWS4-HMAC-SHA256 Credential=" + KEY + "/").contains("/us-east-1/s3/aws4_request"));
            assertThat(r.headers()).doesNotContainKey(S3Connector.REGION_HEADER.toLowerCase(java.util.Locale.ROOT));
        });
    }

    @Test
    void aCrawlResumedFromAMidwayCheckpointGivesTheSameItems() throws Exception {
        Set<String> full = byId(ConnectorHarness.crawlAll(connector, connection())).keySet();

        Connection c = connection();
        List<String> before = new ArrayList<>();
        CrawlPage page = connector.crawl(c, Optional.empty()); // the buckets
        before.addAll(page.items().stream().map(SourceItem::externalId).toList());
        page = connector.crawl(c, page.next()); // the first 1000 objects of "bulk"
        before.addAll(page.items().stream().map(SourceItem::externalId).toList());
        String stored = page.next().orElseThrow().json();
        assertThat(stored).contains("continuation_token");

        // A new process picks the stored checkpoint up.
        S3Connector restarted = new S3Connector(Endpoints.defaults().withAwsS3(s3.baseUrl()));
        List<String> after = new ArrayList<>();
        Optional<Checkpoint> at = Optional.of(Checkpoint.parse(stored));
        while (at.isPresent()) {
            CrawlPage next = restarted.crawl(connection(), at);
            after.addAll(next.items().stream().map(SourceItem::externalId).toList());
            at = next.next().map(cp -> Checkpoint.parse(cp.json()));
        }

        assertThat(new HashSet<>(before)).doesNotContainAnyElementsOf(after);
        Set<String> union = new HashSet<>(before);
        union.addAll(after);
        assertThat(union).isEqualTo(full);
        assertThat(before.size() + after.size()).isEqualTo(full.size());
    }

    @Test
    void aContinuationTokenS3NoLongerAcceptsGoesOnAfterTheLastKeyListed() throws Exception {
        Set<String> full = byId(ConnectorHarness.crawlAll(connector, connection())).keySet();
        s3.clearRequests();

        Connection c = connection();
        List<String> ids = new ArrayList<>();
        CrawlPage page = connector.crawl(c, Optional.empty());
        ids.addAll(page.items().stream().map(SourceItem::externalId).toList());
        page = connector.crawl(c, page.next());
        ids.addAll(page.items().stream().map(SourceItem::externalId).toList());
        s3.expireContinuationTokens();
        Optional<Checkpoint> at = page.next();
        while (at.isPresent()) {
            page = connector.crawl(c, at);
            ids.addAll(page.items().stream().map(SourceItem::externalId).toList());
            at = page.next();
        }

        assertThat(ids).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).isEqualTo(full);
        assertThat(listings(s3, "bulk")).anySatisfy(r -> assertThat(r.query().orElse(""))
                .contains("start-after=many%2Ffile-").doesNotContain("continuation-token"));
    }

    @Test
    void fetchDownloadsTheExactBytesOfAKeyThatNeedsEncoding() throws Exception {
        SourceItem item = byId(ConnectorHarness.crawlAll(connector, connection())).get("docs/" + ODD_KEY);
        Path target = dir.resolve("content");

        Fetched fetched = connector.fetch(connection(), item, target);

        assertThat(Files.readAllBytes(target)).isEqualTo(s3.content("docs", ODD_KEY).orElseThrow());
        assertThat(Files.readString(target)).isEqualTo("naïve café ✓\nline 2\n");
        assertThat(fetched.fileName()).isEqualTo("Q1 résumé+plan (final) 100%.txt");
        assertThat(fetched.mimeType()).contains("text/plain");
        assertThat(s3.lastRequest().path())
                .isEqualTo("/docs/reports/Q1%20r%C3%A9sum%C3%A9%2Bplan%20%28final%29%20100%25.txt");
    }

    @Test
    void aDeletedObjectIsGoneAndAFolderIsNotFetched() throws Exception {
        Map<String, SourceItem> items = byId(ConnectorHarness.crawlAll(connector, connection()));
        s3.deleteObject("docs", "reports/summary.txt");

        assertThatThrownBy(() -> connector.fetch(connection(), items.get("docs/reports/summary.txt"), dir.resolve("a")))
                .isInstanceOfSatisfying(ItemFailure.class, failure -> {
                    assertThat(failure.gone()).isTrue();
                    assertThat(failure.getMessage()).contains("s3://docs/reports/summary.txt").contains("NoSuchKey");
                });
        assertThatThrownBy(() -> connector.fetch(connection(), items.get("docs/empty/"), dir.resolve("b")))
                .isInstanceOfSatisfying(ItemFailure.class, failure -> assertThat(failure.gone()).isFalse());
        assertThat(Files.exists(dir.resolve("a"))).isFalse();
    }

    @Test
    void aBucketInAnotherRegionIsListedAndFetchedWithSignaturesForThatRegion() throws Exception {
        s3.addBucket("eu-docs", "eu-west-1");
        s3.putObject("eu-docs", "notes/plan.txt", "bonjour");

        Map<String, SourceItem> items = byId(ConnectorHarness.crawlAll(connector, connection()));

        SourceItem plan = items.get("eu-docs/notes/plan.txt");
        assertThat(plan.metadata().path("region").asText()).isEqualTo("eu-west-1");
        assertThat(items).containsKey("eu-docs/notes/");
        List<RecordedRequest> listing = listings(s3, "eu-docs");
        assertThat(listing).hasSize(2);
        assertThat(listing.get(0).header("authorization").orElseThrow()).contains("/us-east-1/s3/");
        assertThat(listing.get(1).header("authorization").orElseThrow()).contains("/eu-west-1/s3/");

        s3.clearRequests();
        Path target = dir.resolve("plan");
        connector.fetch(connection(), plan, target);

        assertThat(Files.readString(target)).isEqualTo("bonjour");
        assertThat(s3.requests()).singleElement().satisfies(r ->
                assertThat(r.header("authorization").orElseThrow()).contains("/eu-west-1/s3/aws4_request"));
    }

    @Test
    void digitalOceanSpacesIsSignedForTheRegionOfTheStoredEndpoint() throws Exception {
        try (FakeS3 spaces = new FakeS3("DO00QWERTYUIOPASDFGH", SECRET, "nyc3", Clock.systemUTC())) {
            spaces.addBucket("static");
            spaces.putObject("static", "img/logo.txt", "logo");
            S3Connector doConnector = new S3Connector(Endpoints.defaults().withAwsS3(s3.baseUrl())
                    .withDigitalOceanSpaces(spaces.baseUrl().toString()));
            DataSource doSource = ConnectorHarness.dataSource(DataSourceType.S3, Json.object()
                    .put("provider", "DIGITALOCEAN_SPACES").put("endpoint", "nyc3.digitaloceanspaces.com")
                    .put("region", "nyc3"));
            Connection c = ConnectorHarness.connection(doConnector, doSource, doConnector.keyAuthenticator(doSource,
                    Map.of("access_key", "DO00QWERTYUIOPASDFGH", "access_key_secret", SECRET,
                            "endpoint_url", "nyc3.digitaloceanspaces.com")).orElseThrow(), Optional.empty());

            Map<String, SourceItem> items = byId(ConnectorHarness.crawlAll(doConnector, c));
            Path target = dir.resolve("logo");
            doConnector.fetch(c, items.get("static/img/logo.txt"), target);

            assertThat(items).containsOnlyKeys("static", "static/img/", "static/img/logo.txt");
            assertThat(Files.readString(target)).isEqualTo("logo");
            assertThat(spaces.requests()).allSatisfy(r ->
                    assertThat(r.header("authorization").orElseThrow()).contains("/nyc3/s3/aws4_request"));
            assertThat(s3.requests()).isEmpty();
        }
    }

    @Test
    void aRateLimitIsWaitedOut() throws Exception {
        s3.failNext(new Reply(429, Map.of("Retry-After", "1", "Content-Type", "application/xml"),
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>TooManyRequests</Code>"
                                + "<Message>Please slow down.</Message></Error>"),
                new Reply(503, Map.of("Content-Type", "application/xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                        + "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>"
                        + "<RequestId>4442587FB7D0A2F9</RequestId><HostId>h</HostId></Error>"));

        CrawlPage page = connector.crawl(connection(), Optional.empty());

        assertThat(page.items()).extracting(SourceItem::externalId).containsExactly("bulk", "docs");
        assertThat(s3.requests()).hasSize(3);
    }

    @Test
    void keysS3RejectsEndTheGrantWithoutShowingTheSecret() {
        String wrong = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY";

        assertThatThrownBy(() -> connector.crawl(connection(wrong), Optional.empty()))
                .isInstanceOfSatisfying(SyncFailure.Auth.class, failure -> assertThat(failure.getMessage())
                        .contains("SignatureDoesNotMatch").doesNotContain(wrong).doesNotContain(SECRET));
        assertThat(s3.requests()).hasSize(1);
    }

    @Test
    void aRejectionIsNotRetriedWithTheSameKeys() {
        s3.failNext(new Reply(401, Map.of("Content-Type", "application/xml"),
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>Unauthorized</Code></Error>"));

        assertThat(connector.keyAuthenticator(source, Map.of("access_key", KEY, "access_key_secret", SECRET))
                .orElseThrow()).satisfies(auth -> assertThat(auth.renewAfterRejection()).isFalse());
        assertThatThrownBy(() -> connector.crawl(connection(), Optional.empty())).isInstanceOf(SyncFailure.Auth.class);
        assertThat(s3.requests()).hasSize(1);
    }

    @Test
    void aBucketTheKeyMayNotReadIsForTheUserToFix() {
        s3.denyBucket("docs");

        assertThatThrownBy(() -> ConnectorHarness.crawlAll(connector, connection()))
                .isInstanceOfSatisfying(SyncFailure.Config.class, failure -> assertThat(failure.getMessage())
                        .contains("bucket 'docs'").contains("AccessDenied"));
    }

    @Test
    void aBucketDeletedDuringTheCrawlIsSkipped() throws Exception {
        Connection c = connection();
        CrawlPage page = connector.crawl(c, Optional.empty());
        assertThat(page.items()).extracting(SourceItem::externalId).containsExactly("bulk", "docs");
        List<SourceItem> items = new ArrayList<>();
        s3.deleteBucket("docs");

        for (Optional<Checkpoint> at = page.next(); at.isPresent(); at = page.next()) {
            page = connector.crawl(c, at);
            items.addAll(page.items());
        }

        assertThat(items).hasSize(2501).allSatisfy(i -> assertThat(i.rootExternalId()).isEqualTo("bulk"));
    }

    @Test
    void withoutAChangeFeedEditsRenamesMovesAndDeletesShowInTheNextCrawl() throws Exception {
        assertThat(connector.changeCursor(connection())).isEmpty();
        assertThat(connector.changes(connection(), Checkpoint.of(new S3Connector.Crawl(List.of(), null, null, null))))
                .isInstanceOf(ChangePage.Reset.class);
        Map<String, SourceItem> before = byId(ConnectorHarness.crawlAll(connector, connection()));

        s3.editObject("docs", "readme.md", "# Docs, edited\n");
        s3.renameObject("docs", "reports/summary.txt", "reports/summary-2024.txt");
        s3.renameObject("docs", "reports/2024/q2.pdf", "archive/q2.pdf");
        s3.deleteObject("docs", "reports/2024-notes.txt");
        s3.putObject("docs", "reports/2024/q3.pdf", "quarter three");
        Map<String, SourceItem> after = byId(ConnectorHarness.crawlAll(connector, connection()));

        assertThat(after.get("docs/readme.md").version()).isNotEqualTo(before.get("docs/readme.md").version())
                .isEqualTo(s3.etag("docs", "readme.md"));
        assertThat(after.get("docs/reports/2024/q1.pdf").version()).isEqualTo(before.get("docs/reports/2024/q1.pdf").version());
        Set<String> removed = new HashSet<>(before.keySet());
        removed.removeAll(after.keySet());
        Set<String> added = new HashSet<>(after.keySet());
        added.removeAll(before.keySet());
        assertThat(removed).containsExactlyInAnyOrder("docs/reports/summary.txt", "docs/reports/2024/q2.pdf",
                "docs/reports/2024-notes.txt");
        assertThat(added).containsExactlyInAnyOrder("docs/reports/summary-2024.txt", "docs/archive/",
                "docs/archive/q2.pdf", "docs/reports/2024/q3.pdf");
        assertThat(after.get("docs/archive/q2.pdf").parentExternalId()).contains("docs/archive/");
    }

    @Test
    void theCheckpointIsPlainJson() throws Exception {
        CrawlPage page = connector.crawl(connection(), Optional.empty());
        ObjectNode json = (ObjectNode) Json.read(page.next().orElseThrow().json());

        assertThat(json.path("buckets")).hasSize(2);
        assertThat(page.next().orElseThrow().json()).doesNotContain(SECRET).doesNotContain(KEY);
    }
}
