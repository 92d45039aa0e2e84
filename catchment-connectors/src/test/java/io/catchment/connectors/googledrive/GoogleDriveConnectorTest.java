package io.catchment.connectors.googledrive;

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
import io.catchment.connectors.ConnectorHarness;
import io.catchment.http.Authenticator;
import io.catchment.http.SyncFailure;
import io.catchment.json.Json;
import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import io.catchment.testing.sources.FakeGoogleDrive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
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

class GoogleDriveConnectorTest {
    private final AtomicReference<String> validToken = new AtomicReference<>("drive-token-1");
    private final FakeGoogleDrive drive = new FakeGoogleDrive(t -> t.equals(validToken.get()));
    private final GoogleDriveConnector connector = new GoogleDriveConnector();
    private Connection c;

    @TempDir
    Path tmp;

    @BeforeEach
    void connect() {
        c = connection(ConnectorHarness.bearer(validToken::get));
    }

    @AfterEach
    void close() {
        drive.close();
    }

    private Connection connection(Authenticator auth) {
        return ConnectorHarness.connection(connector, ConnectorHarness.dataSource(DataSourceType.GOOGLE_DRIVE, Json.object()),
                auth, Optional.of(drive.apiBase().toString()));
    }

    private static Map<String, SourceItem> byId(List<SourceItem> items) {
        return items.stream().collect(Collectors.toMap(SourceItem::externalId, Function.identity()));
    }

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, String> params(RecordedRequest r) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String pair : r.query().orElse("").split("&")) {
            if (pair.isEmpty()) continue;
            String[] kv = pair.split("=", 2);
            out.put(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    @Test
    void fullCrawlPagesThroughMyDriveSharedDrivesAndSharedFilesWithTheirFields() throws Exception {
        String root = drive.myDriveId();
        String reports = drive.addFolder(root, "Reports");
        String y2024 = drive.addFolder(reports, "2024");
        String pdf = drive.addFile(reports, "q1.pdf", "application/pdf", "%PDF-1.4 quarter one".getBytes(StandardCharsets.UTF_8));
        String doc = drive.addGoogleDoc(y2024, "Plan", "The plan.");
        String sheet = drive.addGoogleSheet(root, "Budget", "a,b\n1,2\n");
        String slides = drive.addGoogleSlides(root, "Deck", "Slide one");
        String drawing = drive.addGoogleFile(root, "Sketch", FakeGoogleDrive.DRAWING, "");
        String shortcut = drive.addShortcut(root, "Plan shortcut", doc);
        String binned = drive.addFile(root, "old.txt", "bin me");
        drive.trash(binned);
        String team = drive.addSharedDrive("Team");
        String teamFolder = drive.addFolder(team, "Specs");
        String spec = drive.addFile(teamFolder, "spec.md", "# Spec");
        String topOfTeam = drive.addFile(team, "notes.txt", "team notes");
        String shared = drive.addSharedWithMe("from-a-friend.txt", "hello");
        List<String> bulk = drive.addFiles(reports, 2500, "bulk-");

        List<SourceItem> items = ConnectorHarness.crawlAll(connector, c);
        Map<String, SourceItem> byId = byId(items);

        assertThat(items).hasSize(byId.size()); // no item twice
        Set<String> expected = new java.util.HashSet<>(List.of(root, reports, y2024, pdf, doc, sheet, slides, drawing, team,
                teamFolder, spec, topOfTeam, shared));
        expected.addAll(bulk);
        assertThat(byId.keySet()).isEqualTo(expected).doesNotContain(shortcut, binned);

        SourceItem rootItem = byId.get(root);
        assertThat(rootItem.itemType()).isEqualTo(ItemTypes.FOLDER);
        assertThat(rootItem.name()).isEqualTo("My Drive");
        assertThat(rootItem.parentExternalId()).isEmpty();
        assertThat(rootItem.rootExternalId()).isEqualTo(root);
        assertThat(rootItem.expandable()).isTrue();

        SourceItem teamItem = byId.get(team);
        assertThat(teamItem.itemType()).isEqualTo(GoogleDriveConnector.DRIVE);
        assertThat(teamItem.name()).isEqualTo("Team");
        assertThat(teamItem.parentExternalId()).isEmpty();
        assertThat(teamItem.rootExternalId()).isEqualTo(team);
        assertThat(teamItem.selectable()).isTrue();
        assertThat(teamItem.expandable()).isTrue();

        SourceItem folder = byId.get(y2024);
        assertThat(folder.itemType()).isEqualTo(ItemTypes.FOLDER);
        assertThat(folder.parentExternalId()).contains(reports);
        assertThat(folder.rootExternalId()).isEqualTo(root);
        assertThat(folder.version()).isEmpty();
        assertThat(folder.externalUrl()).contains("https://drive.google.com/drive/folders/" + y2024);

        SourceItem pdfItem = byId.get(pdf);
        assertThat(pdfItem.itemType()).isEqualTo(ItemTypes.FILE);
        assertThat(pdfItem.isFile()).isTrue();
        assertThat(pdfItem.parentExternalId()).contains(reports);
        assertThat(pdfItem.rootExternalId()).isEqualTo(root);
        assertThat(pdfItem.fileFormat()).contains("PDF");
        assertThat(pdfItem.version()).contains(md5("%PDF-1.4 quarter one"));
        assertThat(pdfItem.size()).hasValue("%PDF-1.4 quarter one".length());
        assertThat(pdfItem.createdAt()).isPresent();
        assertThat(pdfItem.modifiedAt()).isPresent();
        assertThat(pdfItem.externalUrl()).contains("https://drive.google.com/file/d/" + pdf + "/view?usp=drivesdk");
        assertThat(pdfItem.metadata().path("mime_type").asText()).isEqualTo("application/pdf");

        SourceItem docItem = byId.get(doc);
        assertThat(docItem.fileFormat()).contains("TXT");
        assertThat(docItem.version()).contains(String.valueOf(drive.version(doc)));
        assertThat(docItem.parentExternalId()).contains(y2024);
        assertThat(docItem.externalUrl()).contains("https://docs.google.com/document/d/" + doc + "/edit?usp=drivesdk");
        assertThat(byId.get(sheet).fileFormat()).contains("CSV");
        assertThat(byId.get(slides).fileFormat()).contains("TXT");
        assertThat(byId.get(drawing).fileFormat()).isEmpty();

        assertThat(byId.get(spec).rootExternalId()).isEqualTo(team);
        assertThat(byId.get(spec).parentExternalId()).contains(teamFolder);
        assertThat(byId.get(spec).fileFormat()).contains("MD");
        assertThat(byId.get(spec).metadata().path("drive_id").asText()).isEqualTo(team);
        assertThat(byId.get(topOfTeam).parentExternalId()).contains(team);
        assertThat(byId.get(teamFolder).rootExternalId()).isEqualTo(team);

        assertThat(byId.get(shared).parentExternalId()).isEmpty();
        assertThat(byId.get(shared).rootExternalId()).isEqualTo(root);

        // One flat all-drives listing, 1000 at a time, paged with the tokens Drive gave.
        List<RecordedRequest> lists = drive.requests().stream().filter(r -> r.path().equals("/drive/v3/files")).toList();
        assertThat(lists).hasSize(3);
        for (RecordedRequest r : lists) {
            Map<String, String> p = params(r);
            assertThat(p).containsEntry("q", "trashed = false").containsEntry("corpora", "allDrives")
                    .containsEntry("supportsAllDrives", "true").containsEntry("includeItemsFromAllDrives", "true")
                    .containsEntry("pageSize", "1000");
            assertThat(p.get("fields")).startsWith("nextPageToken,").contains("files(");
        }
        assertThat(params(lists.get(0))).doesNotContainKey("pageToken");
        assertThat(params(lists.get(1))).containsKey("pageToken");
    }

    @Test
    void aCrawlResumedFromAMidwayCheckpointFindsTheSameItems() throws Exception {
        String root = drive.myDriveId();
        String folder = drive.addFolder(root, "Folder");
        drive.addFiles(folder, 40, "f-");
        String team = drive.addSharedDrive("Team");
        drive.addFiles(team, 15, "t-");
        drive.addSharedDrive("Other");
        drive.limitPageSize(7);

        Set<String> full = byId(ConnectorHarness.crawlAll(connector, c)).keySet();
        assertThat(full).hasSize(1 + 1 + 40 + 2 + 15);

        List<String> before = new ArrayList<>();
        Optional<Checkpoint> at = Optional.empty();
        for (int page = 0; page < 5; page++) {
            CrawlPage p = connector.crawl(c, at);
            p.items().forEach(i -> before.add(i.externalId()));
            at = p.next();
        }
        assertThat(at).isPresent();
        String stored = at.get().json();
        assertThat(stored).contains("\"page_token\"");

        // A fresh connector (as after a restart) goes on from the stored checkpoint alone.
        GoogleDriveConnector restarted = new GoogleDriveConnector();
        List<String> after = new ArrayList<>();
        Optional<Checkpoint> next = Optional.of(Checkpoint.parse(stored));
        while (next.isPresent()) {
            CrawlPage p = restarted.crawl(c, next);
            p.items().forEach(i -> after.add(i.externalId()));
            next = p.next().map(cp -> Checkpoint.parse(cp.json()));
        }
        Set<String> resumed = new java.util.HashSet<>(before);
        resumed.addAll(after);
        assertThat(resumed).isEqualTo(full);
        assertThat(before.size() + after.size()).isEqualTo(full.size());
    }

    @Test
    void anIncompleteAllDrivesSearchFallsBackToOneCorpusAtATime() throws Exception {
        String root = drive.myDriveId();
        String mine = drive.addFile(root, "mine.txt", "mine");
        String team = drive.addSharedDrive("Team");
        String inTeam = drive.addFile(team, "team.txt", "team");
        String other = drive.addSharedDrive("Other");
        String inOther = drive.addFile(drive.addFolder(other, "Deep"), "deep.txt", "deep");
        drive.simulateIncompleteSearch(true);

        // Items of the incomplete listing are listed again by the per-corpus pass; the engine upserts them.
        Set<String> ids = ConnectorHarness.crawlAll(connector, c).stream().map(SourceItem::externalId)
                .collect(Collectors.toSet());

        assertThat(ids).contains(root, mine, team, inTeam, other, inOther);
        List<Map<String, String>> lists = drive.requests().stream().filter(r -> r.path().equals("/drive/v3/files"))
                .map(GoogleDriveConnectorTest::params).toList();
        assertThat(lists).extracting(p -> p.get("corpora")).containsExactly("allDrives", "user", "drive", "drive");
        assertThat(lists).extracting(p -> p.get("driveId")).containsExactly(null, null, team, other);
    }

    @Test
    void fetchDownloadsBinaryFilesAndExportsDocsSheetsAndSlides() throws Exception {
        String root = drive.myDriveId();
        String pdf = drive.addFile(root, "report.pdf", "application/pdf", "%PDF-1.7 exact bytes".getBytes(StandardCharsets.UTF_8));
        String doc = drive.addGoogleDoc(root, "Plan", "Line one\nLine two");
        String sheet = drive.addGoogleSheet(root, "Budget", "item,cost\nrent,100\n");
        String slides = drive.addGoogleSlides(root, "Deck", "Title slide");
        String team = drive.addSharedDrive("Team");
        String teamFile = drive.addFile(team, "team.txt", "in a shared drive");
        Map<String, SourceItem> items = byId(ConnectorHarness.crawlAll(connector, c));

        Path target = tmp.resolve("pdf");
        Fetched fetched = connector.fetch(c, items.get(pdf), target);
        assertThat(fetched.fileName()).isEqualTo("report.pdf");
        assertThat(fetched.mimeType()).contains("application/pdf");
        assertThat(Files.readAllBytes(target)).isEqualTo("%PDF-1.7 exact bytes".getBytes(StandardCharsets.UTF_8));
        RecordedRequest download = drive.lastRequest();
        assertThat(download.path()).isEqualTo("/drive/v3/files/" + pdf);
        assertThat(params(download)).containsEntry("alt", "media").containsEntry("supportsAllDrives", "true");

        Fetched docFetched = connector.fetch(c, items.get(doc), tmp.resolve("doc"));
        assertThat(docFetched.fileName()).isEqualTo("Plan.txt");
        assertThat(docFetched.mimeType()).contains("text/plain");
        assertThat(Files.readString(tmp.resolve("doc"))).isEqualTo("Line one\nLine two");
        assertThat(drive.lastRequest().path()).isEqualTo("/drive/v3/files/" + doc + "/export");
        assertThat(params(drive.lastRequest())).containsEntry("mimeType", "text/plain");

        Fetched sheetFetched = connector.fetch(c, items.get(sheet), tmp.resolve("sheet"));
        assertThat(sheetFetched.fileName()).isEqualTo("Budget.csv");
        assertThat(params(drive.lastRequest())).containsEntry("mimeType", "text/csv");
        assertThat(Files.readString(tmp.resolve("sheet"))).isEqualTo("item,cost\nrent,100\n");

        Fetched slidesFetched = connector.fetch(c, items.get(slides), tmp.resolve("slides"));
        assertThat(slidesFetched.fileName()).isEqualTo("Deck.txt");
        assertThat(Files.readString(tmp.resolve("slides"))).isEqualTo("Title slide");

        connector.fetch(c, items.get(teamFile), tmp.resolve("team"));
        assertThat(Files.readString(tmp.resolve("team"))).isEqualTo("in a shared drive");
    }

    @Test
    void fetchFailuresAreOneItemsTrouble() throws Exception {
        String root = drive.myDriveId();
        String drawing = drive.addGoogleFile(root, "Sketch", FakeGoogleDrive.DRAWING, "<svg/>");
        String big = drive.addGoogleDoc(root, "Huge", "x".repeat(100));
        String doomed = drive.addFile(root, "doomed.txt", "soon gone");
        Map<String, SourceItem> items = byId(ConnectorHarness.crawlAll(connector, c));
        drive.exportSizeLimit(50);
        drive.delete(doomed);
        drive.clearRequests();

        assertThatThrownBy(() -> connector.fetch(c, items.get(drawing), tmp.resolve("d")))
                .isInstanceOfSatisfying(ItemFailure.class, f -> assertThat(f.gone()).isFalse())
                .hasMessageContaining("drawing");
        assertThat(drive.requests()).isEmpty(); // known not to be exportable as text: not even asked

        assertThatThrownBy(() -> connector.fetch(c, items.get(big), tmp.resolve("b")))
                .isInstanceOfSatisfying(ItemFailure.class, f -> assertThat(f.gone()).isFalse())
                .hasMessageContaining("larger than Google Drive can export");

        assertThatThrownBy(() -> connector.fetch(c, items.get(doomed), tmp.resolve("x")))
                .isInstanceOfSatisfying(ItemFailure.class, f -> assertThat(f.gone()).isTrue());
    }

    @Test
    void theChangeFeedReportsAddsEditsRenamesMovesAndRemovals() throws Exception {
        String root = drive.myDriveId();
        String a = drive.addFolder(root, "A");
        String b = drive.addFolder(root, "B");
        String edited = drive.addFile(a, "edited.txt", "before");
        String renamed = drive.addFile(a, "old-name.txt", "same");
        String moved = drive.addFile(a, "moved.txt", "moving");
        String deleted = drive.addFile(a, "deleted.txt", "bye");
        String binnedFolder = drive.addFolder(b, "Bin me");
        String binnedChild = drive.addFile(binnedFolder, "child.txt", "child");
        String untouched = drive.addFile(b, "untouched.txt", "same as ever");
        String renamedDrive = drive.addSharedDrive("Team");

        Checkpoint cursor = connector.changeCursor(c).orElseThrow();

        String added = drive.addFile(b, "new.txt", "brand new");
        drive.editContent(edited, "after");
        drive.rename(renamed, "new-name.txt");
        drive.move(moved, b);
        drive.delete(deleted);
        drive.trash(binnedFolder);
        String newDrive = drive.addSharedDrive("New team");
        drive.renameSharedDrive(renamedDrive, "Team (renamed)");
        String inNewDrive = drive.addFile(newDrive, "hello.txt", "hi");

        drive.limitPageSize(3); // several pages: nextPageToken, then newStartPageToken
        ConnectorHarness.Caught caught = ConnectorHarness.changesUntilCaughtUp(connector, c, cursor);

        Map<String, SourceItem> changed = byId(caught.changed());
        assertThat(changed.keySet()).containsExactlyInAnyOrder(added, edited, renamed, moved, newDrive, renamedDrive,
                inNewDrive);
        assertThat(caught.removed()).containsExactlyInAnyOrder(deleted, binnedFolder, binnedChild);
        assertThat(changed).doesNotContainKey(untouched);

        assertThat(changed.get(added).parentExternalId()).contains(b);
        assertThat(changed.get(added).rootExternalId()).isEqualTo(root);
        assertThat(changed.get(edited).version()).contains(md5("after"));
        assertThat(changed.get(edited).size()).hasValue(5);
        assertThat(changed.get(renamed).name()).isEqualTo("new-name.txt");
        assertThat(changed.get(renamed).version()).contains(md5("same"));
        assertThat(changed.get(moved).parentExternalId()).contains(b);
        assertThat(changed.get(newDrive).itemType()).isEqualTo(GoogleDriveConnector.DRIVE);
        assertThat(changed.get(renamedDrive).name()).isEqualTo("Team (renamed)");
        assertThat(changed.get(inNewDrive).rootExternalId()).isEqualTo(newDrive);
        assertThat(changed.get(inNewDrive).parentExternalId()).contains(newDrive);

        List<Map<String, String>> feed = drive.requests().stream().filter(r -> r.path().equals("/drive/v3/changes"))
                .map(GoogleDriveConnectorTest::params).toList();
        assertThat(feed.size()).isGreaterThan(2);
        assertThat(feed.getFirst()).containsEntry("includeRemoved", "true").containsEntry("supportsAllDrives", "true")
                .containsEntry("includeItemsFromAllDrives", "true").containsEntry("pageSize", "1000");
        assertThat(feed.getFirst().get("fields")).contains("newStartPageToken").contains("nextPageToken").contains("file(");

        // Caught up: the kept cursor reports nothing more until something changes.
        ConnectorHarness.Caught again = ConnectorHarness.changesUntilCaughtUp(connector, c, caught.cursor());
        assertThat(again.changed()).isEmpty();
        assertThat(again.removed()).isEmpty();
        drive.rename(untouched, "touched.txt");
        ConnectorHarness.Caught later = ConnectorHarness.changesUntilCaughtUp(connector, c, again.cursor());
        assertThat(later.changed()).extracting(SourceItem::externalId).containsExactly(untouched);
    }

    @Test
    void readingACaughtUpFeedOverTenThousandFilesTakesOneRequest() throws Exception {
        String folder = drive.addFolder(drive.myDriveId(), "Many");
        drive.addFiles(folder, 10_000, "file-");
        Checkpoint cursor = connector.changeCursor(c).orElseThrow();
        drive.clearRequests();

        ConnectorHarness.Caught caught = ConnectorHarness.changesUntilCaughtUp(connector, c, cursor);

        assertThat(caught.changed()).isEmpty();
        assertThat(caught.removed()).isEmpty();
        assertThat(drive.requests()).hasSizeLessThanOrEqualTo(2);
        assertThat(drive.requests()).allMatch(r -> r.path().equals("/drive/v3/changes"));
    }

    @Test
    void aCrawlOfTenThousandFilesTakesElevenListings() throws Exception {
        String folder = drive.addFolder(drive.myDriveId(), "Many");
        drive.addFiles(folder, 10_000, "file-");

        List<SourceItem> items = ConnectorHarness.crawlAll(connector, c);

        assertThat(items).hasSize(10_002);
        assertThat(drive.count(r -> r.path().equals("/drive/v3/files"))).isEqualTo(11); // 10,001 files and folders, 1000 a page
    }

    @Test
    void aCursorDriveNoLongerAcceptsMeansReset() throws Exception {
        drive.addFile(drive.myDriveId(), "one.txt", "1");
        Checkpoint cursor = connector.changeCursor(c).orElseThrow();
        drive.addFile(drive.myDriveId(), "two.txt", "2");
        drive.expireChangeTokens();

        ChangePage page = connector.changes(c, Checkpoint.parse(cursor.json()));

        assertThat(page).isInstanceOf(ChangePage.Reset.class);
        assertThat(((ChangePage.Reset) page).reason()).contains("400").doesNotContain(validToken.get());

        ChangePage bogus = connector.changes(c, Checkpoint.parse(
                "{\"page_token\":\"not-a-token\",\"my_drive_id\":\"" + drive.myDriveId() + "\"}"));
        assertThat(bogus).isInstanceOf(ChangePage.Reset.class);
    }

    @Test
    void a429WithRetryAfterIsWaitedOut() throws Exception {
        drive.failNext(FakeGoogleDrive.rateLimitReply(429, "rateLimitExceeded").withHeader("Retry-After", "1"));

        CrawlPage first = connector.crawl(c, Optional.empty());

        assertThat(first.items()).extracting(SourceItem::externalId).containsExactly(drive.myDriveId());
        assertThat(drive.count(r -> r.path().equals("/drive/v3/files/root"))).isEqualTo(2);
    }

    @Test
    void a403UserRateLimitExceededIsARateLimitNotAPermissionProblem() throws Exception {
        drive.addFile(drive.myDriveId(), "a.txt", "a");
        CrawlPage first = connector.crawl(c, Optional.empty());
        CrawlPage drives = connector.crawl(c, first.next());
        drive.failNext(FakeGoogleDrive.rateLimitReply(403, "userRateLimitExceeded"));

        CrawlPage files = connector.crawl(c, drives.next());

        assertThat(files.items()).extracting(SourceItem::name).containsExactly("a.txt");
        assertThat(drive.count(r -> r.path().equals("/drive/v3/files"))).isEqualTo(2);
        assertThat(connector.rateLimits().waitFor(new io.catchment.http.ProviderResponse(403, Map.of(),
                "{\"error\":{\"code\":403,\"errors\":[{\"reason\":\"insufficientFilePermissions\"}]}}"
                        .getBytes(StandardCharsets.UTF_8)), java.time.Instant.now())).isEmpty();
    }

    @Test
    void aForbiddenListingIsSomethingTheUserMustFix() {
        drive.failNext(FakeHttpApi.Reply.json(403, """
                {"error": {"code": 403, "message": "Request had insufficient authentication scopes.",
                  "errors": [{"message": "Insufficient Permission", "domain": "global",
                              "reason": "insufficientPermissions"}],
                  "status": "PERMISSION_DENIED"}}"""));

        assertThatThrownBy(() -> connector.crawl(c, Optional.empty()))
                .isInstanceOf(SyncFailure.Config.class)
                .hasMessageContaining("403").hasMessageContaining("insufficient authentication scopes");
        assertThat(drive.requests()).hasSize(1); // not taken for a rate limit
    }

    @Test
    void a401IsRenewedOnceWithTheRotatedToken() throws Exception {
        validToken.set("fresh-token");
        AtomicInteger asked = new AtomicInteger();
        // The door first holds an access token that has just expired; asking again gives the refreshed one.
        Connection rotating = connection(ConnectorHarness.bearer(
                () -> asked.getAndIncrement() == 0 ? "expired-token" : "fresh-token"));

        CrawlPage first = connector.crawl(rotating, Optional.empty());

        assertThat(first.items()).extracting(SourceItem::externalId).containsExactly(drive.myDriveId());
        List<RecordedRequest> roots = drive.requests();
        assertThat(roots).hasSize(2);
        assertThat(roots.get(0).header("authorization")).contains("Bearer expired-token");
        assertThat(roots.get(1).header("authorization")).contains("Bearer fresh-token");
    }

    @Test
    void aRevokedGrantIsAnAuthFailureAndNoTokenLeaks() {
        validToken.set("something-else");
        Connection stale = connection(ConnectorHarness.bearer(() -> "revoked-token"));

        assertThatThrownBy(() -> connector.crawl(stale, Optional.empty()))
                .isInstanceOf(SyncFailure.Auth.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("revoked-token"));
        assertThat(drive.lastRequest().header("authorization")).contains("Bearer revoked-token");
    }
}
