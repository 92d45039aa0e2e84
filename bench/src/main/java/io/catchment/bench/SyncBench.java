package io.catchment.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.oauth.ClientApp;
import io.catchment.oauth.OAuthService;
import io.catchment.oauth.UrlOverrides;
import io.catchment.server.OAuthSettings;
import io.catchment.testing.oauth.FakeOAuthProvider;
import io.catchment.testing.sources.FakeGoogleDrive;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Sync cost against a stateful fake Google Drive ({@link FakeGoogleDrive}, Drive v3's wire format
 * over a real socket, behind {@link FakeOAuthProvider}) holding N small text files in folders of
 * 100: connect through {@code /integrations/oauth_url} and the callback, crawl, pick the root
 * folder with {@code /integrations/files/sync} ({@code skip_embedding_generation=true}, so the
 * figures are sync cost, not model cost) until every file is READY; then an auto-sync of the
 * unchanged account (Drive's changes feed; made due by moving the server's clock on) and a
 * re-crawl ({@code /integrations/items/sync}). Provider requests are the fake's recorded requests.
 *
 * <p>Usage: {@code SyncBench --quick|--full [--sizes 1000,10000] [--crawl-only]} ({@code --crawl-only}
 * measures only the crawl and the re-crawl, for sizes where ingesting every file takes too long); quick: 1k files (10k takes about 3 minutes on 2 cores), full:
 * 1k, 10k and 100k. Tables on stdout, progress on stderr.
 */
public final class SyncBench {
    static final int FILES_PER_FOLDER = 100;
    static final Duration PATIENCE = Duration.ofHours(2);
    private static final HttpClient BROWSER = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private SyncBench() {}

    record Phase(String name, double seconds, long requests) {}

    record SizeResult(int files, int folders, List<Phase> phases, String load) {}

    public static void main(String[] args) throws Exception {
        String mode = "quick";
        List<Integer> sizes = null;
        boolean crawlOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> mode = "quick";
                case "--full" -> mode = "full";
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).map(s -> Integer.parseInt(s.strip())).toList();
                case "--crawl-only" -> crawlOnly = true;
                default -> throw new IllegalArgumentException("Unknown argument " + args[i]
                        + " (use --quick or --full, optionally --sizes 1000,10000,100000 --crawl-only)");
            }
        }
        if (sizes == null) sizes = mode.equals("full") ? List.of(1_000, 10_000, 100_000) : List.of(1_000);
        long start = System.nanoTime();
        List<SizeResult> results = new ArrayList<>();
        for (int n : sizes) results.add(run(n, crawlOnly));
        print(mode, results);
        SearchBench.progress("sync: done in %.1f s", SearchBench.seconds(System.nanoTime() - start));
        System.out.flush();
        System.exit(0);
    }

    private static SizeResult run(int files, boolean crawlOnly) throws Exception {
        OAuthService service = OAuthService.GOOGLE_DRIVE;
        try (LoadSampler load = new LoadSampler();
             FakeOAuthProvider oauth = new FakeOAuthProvider(service.name(), "client-bench", "secret-bench")
                     .account("acct-bench", "ada@example.com", "Ada Lovelace");
             FakeGoogleDrive drive = new FakeGoogleDrive(oauth::isValidAccessToken)) {
            SearchBench.progress("sync %,d: filling the fake drive ...", files);
            String root = drive.addFolder(drive.myDriveId(), "Bench");
            int folders = (files + FILES_PER_FOLDER - 1) / FILES_PER_FOLDER;
            for (int f = 0; f < folders; f++) {
                String folder = drive.addFolder(root, String.format(Locale.ROOT, "folder-%04d", f));
                for (int i = f * FILES_PER_FOLDER; i < Math.min(files, (f + 1) * FILES_PER_FOLDER); i++) {
                    drive.addFile(folder, String.format(Locale.ROOT, "file-%06d.txt", i),
                            "File " + i + " of the sync benchmark. It holds one short paragraph of text about item " + i + ".");
                }
            }
            Map<String, String> urls = new LinkedHashMap<>(oauth.urls());
            urls.put("api_base_url", drive.apiBase().toString());
            OAuthSettings settings = new OAuthSettings(Map.of(service, new ClientApp("client-bench", "secret-bench")),
                    Map.of(service, UrlOverrides.fromMap(urls)), Map.of());
            try (BenchServer server = BenchServer.start(c -> c.withOAuth(settings)
                    .withSync(c.sync().withSweepEvery(Duration.ofMillis(500))))) {
                Http user = server.customer("Bench", "bench-user");
                Http org = new Http(user.baseUrl, Map.of("authorization", user.headers.get("authorization")));
                List<Phase> phases = new ArrayList<>();

                // 1. Connect and crawl.
                drive.clearRequests();
                long t0 = System.nanoTime();
                JsonNode r = user.post("/integrations/oauth_url", Map.of("service", service.name())).ok().json();
                String callback = oauth.authorize(r.get("oauth_url").asText());
                HttpResponse<String> page = browse(callback);
                if (page.statusCode() != 200) throw new IllegalStateException("callback: " + page.statusCode() + " " + page.body());
                long id = user.post("/user_data_sources", Map.of("filters", Map.of("source", service.name()))).ok().json()
                        .get("results").get(0).get("id").asLong();
                SearchBench.progress("sync %,d: connected; crawling ...", files);
                awaitSource(user, id, "crawl", d -> "READY".equals(d.get("sync_status").asText())
                        && !d.get("source_items_synced_at").isNull());
                add(files, phases, new Phase("connect + crawl (source items listed)", SearchBench.seconds(System.nanoTime() - t0),
                        drive.requests().size()));

                // 2. Pick the root folder: every file fetched, parsed, chunked (no embeddings), READY.
                // (--crawl-only leaves this and the incremental sync out: crawl and re-crawl only.)
                if (!crawlOnly) {
                    drive.clearRequests();
                    long t1 = System.nanoTime();
                    user.post("/integrations/files/sync", Map.of("data_source_id", id, "ids", List.of(root),
                            "skip_embedding_generation", true)).ok();
                    int expected = files + folders + 1; // folders get READY records too
                    awaitFiles(user, id, expected, files);
                    double pick = SearchBench.seconds(System.nanoTime() - t1);
                    add(files, phases, new Phase("files/sync of the root → all files READY", pick, drive.requests().size()));
                    add(files, phases, new Phase("full sync = connect + crawl + files/sync → all READY",
                            SearchBench.seconds(System.nanoTime() - t0), phases.get(0).requests() + phases.get(1).requests()));
                }

                // 3. An auto-sync of the unchanged account, through the changes feed (needs picks).
                if (!crawlOnly) {
                    org.post("/update_users", Map.of("customer_ids", List.of("bench-user"),
                            "auto_sync_enabled_sources", List.of(service.name()))).ok();
                    String before = dataSource(user, id).get("last_synced_at").asText();
                    drive.clearRequests();
                    long t2 = System.nanoTime();
                    server.clock.advance(Duration.ofHours(7));
                    awaitSource(user, id, "auto-sync", d -> !d.get("last_synced_at").asText().equals(before)
                            && "READY".equals(d.get("sync_status").asText()));
                    add(files, phases, new Phase("unchanged incremental sync (auto-sync, changes feed)",
                            SearchBench.seconds(System.nanoTime() - t2), drive.requests().size()));
                }

                // 4. A re-crawl of the unchanged account (items/sync): lists everything again.
                String crawledBefore = dataSource(user, id).get("source_items_synced_at").asText();
                drive.clearRequests();
                long t3 = System.nanoTime();
                user.post("/integrations/items/sync", Map.of("data_source_id", id)).ok();
                awaitSource(user, id, "re-crawl", d -> !d.get("source_items_synced_at").asText().equals(crawledBefore)
                        && "READY".equals(d.get("sync_status").asText()));
                add(files, phases, new Phase("unchanged re-crawl (items/sync)", SearchBench.seconds(System.nanoTime() - t3),
                        drive.requests().size()));
                return new SizeResult(files, folders, phases, load.summary());
            }
        }
    }

    private static void add(int files, List<Phase> phases, Phase phase) {
        phases.add(phase);
        SearchBench.progress("sync %,d: %s: %.1f s, %,d requests", files, phase.name(), phase.seconds(), phase.requests());
    }

    private static JsonNode dataSource(Http user, long id) {
        return user.post("/user_data_sources", Map.of("filters", Map.of("ids", List.of(id)))).ok().json().get("results").get(0);
    }

    private static void awaitSource(Http user, long id, String what, Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode d = dataSource(user, id);
            if (done.test(d)) return;
            if ("SYNC_ERROR".equals(d.get("sync_status").asText())) throw new IllegalStateException(what + ": SYNC_ERROR " + d);
            Thread.sleep(100);
        }
        throw new IllegalStateException("no " + what + " within " + PATIENCE);
    }

    private static void awaitFiles(Http user, long id, int expected, int files) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long lastReport = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int ready = count(user, id, "READY");
            int failed = count(user, id, "SYNC_ERROR");
            if (ready + failed >= expected) {
                if (failed > 0) SearchBench.progress("sync %,d: %,d files in SYNC_ERROR", files, failed);
                return;
            }
            if (System.nanoTime() - lastReport > 10e9) {
                SearchBench.progress("sync %,d: %,d of %,d READY", files, ready, expected);
                lastReport = System.nanoTime();
            }
            // Each poll counts the data source's files twice; at 100k files that is real work for the
            // server, so poll less often as the source grows (0.2 s up to 10k files, 2 s at 100k).
            Thread.sleep(Math.max(200, files / 50));
        }
        throw new IllegalStateException("files not READY within " + PATIENCE);
    }

    private static int count(Http user, long id, String status) {
        return user.post("/user_files_v2", Map.of("filters", Map.of("organization_user_data_source_id", List.of(id),
                "sync_statuses", List.of(status)), "pagination", Map.of("limit", 1))).ok().json().get("count").asInt();
    }

    private static HttpResponse<String> browse(String url) throws Exception {
        HttpResponse<String> r = BROWSER.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 303) return browse(URI.create(url).resolve(r.headers().firstValue("location").orElseThrow()).toString());
        return r;
    }

    private static void print(String mode, List<SizeResult> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "## Sync: %s mode%n%n", mode));
        out.append(String.format(Locale.ROOT, "- Source: fake Google Drive (Drive v3 wire format on loopback), small text"
                + " files in folders of %d under one picked folder; skip_embedding_generation=true; server defaults"
                + " (2 job workers, 4 provider calls in flight per data source, H2, Lucene) except the sweep for due auto-syncs, every 0.5 s instead of 1 min. Machine: %d cores, Java %s.%n%n",
                FILES_PER_FOLDER, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        out.append("| Files | Phase | Seconds | Provider requests | Files/s | Requests per file |\n|---:|---|---:|---:|---:|---:|\n");
        for (SizeResult r : results) {
            for (Phase p : r.phases()) {
                out.append(String.format(Locale.ROOT, "| %,d | %s | %.1f | %s | %s | %s |%n", r.files(), p.name(), p.seconds(),
                        String.format(Locale.ROOT, "%,d", p.requests()),
                        p.name().startsWith("unchanged") ? "n/a" : String.format(Locale.ROOT, "%.0f", r.files() / p.seconds()),
                        String.format(Locale.ROOT, "%.3f", (double) p.requests() / r.files())));
            }
        }
        out.append('\n');
        for (SizeResult r : results) {
            out.append(String.format(Locale.ROOT, "- %,d files (%,d folders): %s%n", r.files(), r.folders(), r.load()));
        }
        out.append('\n');
        System.out.print(out);
        System.out.flush();
    }
}
