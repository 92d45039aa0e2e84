package io.catchment.server.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.catchment.json.Json;
import io.catchment.oauth.ClientApp;
import io.catchment.oauth.OAuthService;
import io.catchment.oauth.UrlOverrides;
import io.catchment.server.Catchment;
import io.catchment.server.OAuthSettings;
import io.catchment.server.ServerConfig;
import io.catchment.tenancy.Organization;
import io.catchment.testing.oauth.FakeOAuthProvider;
import io.catchment.testing.oauth.FakeZoteroOAuth;
import io.catchment.testing.sources.FakeAzureBlob;
import io.catchment.testing.sources.FakeFreshdesk;
import io.catchment.testing.sources.FakeGitbook;
import io.catchment.testing.sources.FakeGoogleDrive;
import io.catchment.testing.sources.FakeGraph;
import io.catchment.testing.sources.FakeGuru;
import io.catchment.testing.sources.FakeRssFeed;
import io.catchment.testing.sources.FakeS3;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs Carbon's own TypeScript SDK ({@code carbon-typescript-sdk}, the Node project in
 * {@code <repo>/compat}) against a real Catchment on a loopback port: code written for Carbon
 * must work by changing only the base URL. Needs Node.js and npm on the PATH; without them this
 * test fails (it never skips), because a green build must mean the SDK was actually exercised.
 *
 * <p>The server gets an OAuth app for every service and the providers the integration tests
 * reach, as fakes from the testing module: Zotero (OAuth 1.0a), Google Drive's token, identity and
 * revoke endpoints and its content API (a stateful Drive), SharePoint's token and identity
 * endpoints and Microsoft Graph (sites, libraries, files), and the credential connectors' APIs
 * (Freshdesk, GitBook, Guru, S3, Azure Blob, an RSS feed). The content fakes are seeded with
 * folders and text files for the sync tests. Their credentials, URLs and what they hold go to the
 * Node side as environment variables ({@code compat/README.md} lists them).
 */
class CompatSdkTest {
    private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration NPM_TEST_TIMEOUT = Duration.ofMinutes(5);
    private static final String CLIENT_SECRET = "compat-client-secret";
    private static final String ZOTERO_USER_ID = "4750001";
    private static final String DRIVE_ACCOUNT_ID = "108000000000000000001";
    private static final String DRIVE_EMAIL = "drive.compat@example.com";
    private static final String GITBOOK_ORGANIZATION = "Compat Docs";
    /** The SharePoint tenant: {@code compat.sharepoint.com} at the fake Graph, {@code microsoft_tenant} in oauth_url. */
    private static final String SHAREPOINT_TENANT = "compat";
    private static final String SHAREPOINT_ACCOUNT_ID = "5d1a8f3e-1c2b-4d7e-9f00-5a1b2c3d4e5f";
    private static final String SHAREPOINT_EMAIL = "sharepoint.compat@compat.onmicrosoft.com";
    /** The Azure container the sync tests pick from (the connector tests' "compat" stays empty). */
    private static final String AZURE_SYNC_CONTAINER = "compat-reports";

    @TempDir
    Path dir;

    @Test
    void carbonTypescriptSdkWorksAgainstCatchment() throws Exception {
        Path compat = repoRoot().resolve("compat");
        String npm = executable("npm");
        executable("node");

        if (!Files.isDirectory(compat.resolve("node_modules").resolve("carbon-typescript-sdk"))) {
            Result ci = run(List.of(npm, "ci", "--no-audit", "--no-fund"), compat, Map.of(), NPM_CI_TIMEOUT);
            if (ci.exitCode() != 0) {
                fail("`npm ci` in " + compat + " failed (exit " + ci.exitCode() + "); run .ci/install-deps or `npm ci` "
                        + "there by hand. Output:\n" + ci.output());
            }
        }

        // The providers the integration tests reach, each a fake on loopback with credentials made up per run.
        // Authorize URLs stay the real providers' (the tests check them), except Zotero's: its oauth_url has
        // to fetch a request token first. Google Drive's token, identity and revoke URLs point at a fake so
        // the tests can finish a connection and revoke it.
        SecureRandom random = new SecureRandom();
        String freshdeskKey = "fd-" + hex(random, 12);
        String gitbookToken = "gb_api_" + hex(random, 16);
        String guruUser = "guru.compat@example.com";
        String guruToken = "guru-" + hex(random, 12);
        String s3AccessKey = "AKIA" + HexFormat.of().withUpperCase().formatHex(bytes(random, 8));
        String s3Secret = Base64.getEncoder().encodeToString(bytes(random, 30));
        String azureAccount = "compatsdk" + hex(random, 3);
        String azureKey = Base64.getEncoder().encodeToString(bytes(random, 64));
        try (FakeZoteroOAuth zotero = new FakeZoteroOAuth(clientId(OAuthService.ZOTERO), CLIENT_SECRET)
                        .account(ZOTERO_USER_ID, "compat-zotero");
             FakeOAuthProvider drive = new FakeOAuthProvider("GOOGLE_DRIVE", clientId(OAuthService.GOOGLE_DRIVE),
                     CLIENT_SECRET).account(DRIVE_ACCOUNT_ID, DRIVE_EMAIL, "Drive Compat");
             FakeGoogleDrive driveFiles = new FakeGoogleDrive(drive::isValidAccessToken);
             FakeOAuthProvider sharepoint = new FakeOAuthProvider("SHAREPOINT", clientId(OAuthService.SHAREPOINT),
                     CLIENT_SECRET).account(SHAREPOINT_ACCOUNT_ID, SHAREPOINT_EMAIL, "SharePoint Compat");
             FakeGraph graph = new FakeGraph(SHAREPOINT_TENANT, sharepoint::isValidAccessToken).sitesPageSize(2);
             FakeFreshdesk freshdesk = new FakeFreshdesk(freshdeskKey);
             FakeGitbook gitbook = new FakeGitbook(gitbookToken, List.of(new FakeGitbook.Organization("org-other", "Other"),
                     new FakeGitbook.Organization("org-compat", GITBOOK_ORGANIZATION)), 1);
             FakeGuru guru = new FakeGuru(guruUser, guruToken);
             FakeS3 s3 = new FakeS3(s3AccessKey, s3Secret, "us-east-1", Clock.systemUTC()).withBuckets("compat-docs");
             FakeAzureBlob azure = new FakeAzureBlob(azureAccount, azureKey, Clock.systemUTC())
                     .withContainers("compat", AZURE_SYNC_CONTAINER);
             FakeRssFeed rss = new FakeRssFeed()) {
            URI feed = rss.servesRss("/compat/feed.xml", "Compat harbour news", List.of("Tides", "Ferries"));
            URI notAFeed = rss.serves("/compat/page.html", "text/html; charset=utf-8",
                    "<!doctype html><html><body><p>Not a feed</p></body></html>");

            Map<OAuthService, ClientApp> apps = new EnumMap<>(OAuthService.class);
            for (OAuthService service : OAuthService.values()) apps.put(service, new ClientApp(clientId(service), CLIENT_SECRET));
            // What the sync tests find at the providers (sync.test.mjs): folders and text files, a few sites.
            Map<String, Object> driveTree = seedDrive(driveFiles);
            List<Map<String, Object>> sharepointSites = new ArrayList<>();
            Map<String, Object> sharepointTree = seedSharePoint(graph, sharepointSites);
            Map<String, Object> azureTree = seedAzure(azure);

            // Authorize URLs stay the real providers' (the tests check them); the tests' "browser" takes the
            // same path and query to the fake. Token, identity and revoke URLs and the content APIs are the fakes'.
            Map<String, String> driveUrls = new LinkedHashMap<>(drive.urls());
            driveUrls.remove("authorize_url");
            driveUrls.put("api_base_url", driveFiles.apiBase().toString());
            Map<String, String> sharepointUrls = new LinkedHashMap<>(sharepoint.urls());
            sharepointUrls.remove("authorize_url");
            sharepointUrls.put("api_base_url", graph.apiBase());
            OAuthSettings oauth = new OAuthSettings(apps,
                    Map.of(OAuthService.ZOTERO, UrlOverrides.fromMap(zotero.urls()),
                            OAuthService.GOOGLE_DRIVE, UrlOverrides.fromMap(driveUrls),
                            OAuthService.SHAREPOINT, UrlOverrides.fromMap(sharepointUrls)),
                    Map.of("freshdesk", freshdesk.baseUrl().toString(), "gitbook", gitbook.apiBase().toString(),
                            "guru", guru.apiBase().toString(), "s3", s3.baseUrl().toString(),
                            "azure_blob", azure.baseUrl().toString()));

            // files.uploadFromUrl and syncRssFeed are tested against servers on loopback, which the fetcher refuses
            // (SSRF protection) unless allowlisted; everything else (169.254.169.254, 10.0.0.0/8, ...) stays refused.
            ServerConfig config = ServerConfig.embedded(dir, 0).withHost("127.0.0.1")
                    .withUrlAllowlist(Set.of("127.0.0.1", "localhost")).withOAuth(oauth);
            try (Catchment server = Catchment.start(config, Clock.systemUTC())) {
                Organization org = server.organizations().create("compat org");
                String apiKey = server.apiKeys().create(org.id(), "compat").secret();
                // The integration tests get an organization of their own: whitelabel.test.mjs registers and deletes
                // the first one's white-label apps while other files run, which would change its OAuth client ids.
                Organization integrationsOrg = server.organizations().create("compat integrations org");
                String integrationsKey = server.apiKeys().create(integrationsOrg.id(), "compat integrations").secret();
                // The sync tests too: their polling (/user_files_v2 is tier 3) and tier-2 calls get their own allowance.
                Organization syncOrg = server.organizations().create("compat sync org");
                String syncKey = server.apiKeys().create(syncOrg.id(), "compat sync").secret();
                String url = "http://127.0.0.1:" + server.port();

                // The SDK's axios honours HTTP(S)_PROXY; a loopback server must never be reached through one.
                String noProxy = Optional.ofNullable(System.getenv("NO_PROXY"))
                        .or(() -> Optional.ofNullable(System.getenv("no_proxy")))
                        .filter(v -> !v.isBlank()).map(v -> v + ",").orElse("") + "127.0.0.1,localhost";
                Map<String, String> clientIds = new LinkedHashMap<>();
                apps.forEach((service, app) -> clientIds.put(service.name(), app.clientId()));
                Map<String, String> env = new LinkedHashMap<>();
                env.put("CATCHMENT_URL", url);
                env.put("CATCHMENT_API_KEY", apiKey);
                env.put("CATCHMENT_INTEGRATIONS_API_KEY", integrationsKey);
                env.put("CATCHMENT_OAUTH_CLIENT_IDS", Json.write(clientIds));
                env.put("CATCHMENT_FAKE_ZOTERO_URL", zotero.baseUrl().toString());
                env.put("CATCHMENT_FAKE_ZOTERO_USER_ID", ZOTERO_USER_ID);
                env.put("CATCHMENT_FAKE_GOOGLE_DRIVE_URL", drive.baseUrl().toString());
                env.put("CATCHMENT_FAKE_GOOGLE_DRIVE_ACCOUNT_ID", DRIVE_ACCOUNT_ID);
                env.put("CATCHMENT_FAKE_GOOGLE_DRIVE_EMAIL", DRIVE_EMAIL);
                env.put("CATCHMENT_FAKE_GOOGLE_DRIVE_ACCESS_TOKEN", driveAccessToken(drive));
                env.put("CATCHMENT_FAKE_FRESHDESK_KEY", freshdeskKey);
                env.put("CATCHMENT_FAKE_GITBOOK_TOKEN", gitbookToken);
                env.put("CATCHMENT_FAKE_GITBOOK_ORGANIZATION", GITBOOK_ORGANIZATION);
                env.put("CATCHMENT_FAKE_GURU_USERNAME", guruUser);
                env.put("CATCHMENT_FAKE_GURU_TOKEN", guruToken);
                env.put("CATCHMENT_FAKE_S3_ACCESS_KEY", s3AccessKey);
                env.put("CATCHMENT_FAKE_S3_SECRET", s3Secret);
                env.put("CATCHMENT_FAKE_AZURE_ACCOUNT", azureAccount);
                env.put("CATCHMENT_FAKE_AZURE_KEY", azureKey);
                env.put("CATCHMENT_FAKE_RSS_URL", feed.toString());
                env.put("CATCHMENT_FAKE_RSS_NOT_A_FEED_URL", notAFeed.toString());
                env.put("CATCHMENT_SYNC_API_KEY", syncKey);
                env.put("CATCHMENT_FAKE_GOOGLE_DRIVE_TREE", Json.write(driveTree));
                env.put("CATCHMENT_FAKE_SHAREPOINT_URL", sharepoint.baseUrl().toString());
                env.put("CATCHMENT_FAKE_SHAREPOINT_TENANT", SHAREPOINT_TENANT);
                env.put("CATCHMENT_FAKE_SHAREPOINT_SITES", Json.write(sharepointSites));
                env.put("CATCHMENT_FAKE_SHAREPOINT_TREE", Json.write(sharepointTree));
                env.put("CATCHMENT_FAKE_AZURE_TREE", Json.write(azureTree));
                env.put("NO_PROXY", noProxy);
                env.put("no_proxy", noProxy);
                env.put("NO_COLOR", "1");
                Result result = run(List.of(npm, "test"), compat, env, NPM_TEST_TIMEOUT);

                assertThat(result.exitCode())
                        .withFailMessage(() -> "`npm test` in " + compat + " against " + url + " exited with "
                                + result.exitCode() + ":\n" + result.output())
                        .isZero();
                assertThat(result.output())
                        .withFailMessage(() -> "`npm test` ran no test:\n" + result.output())
                        .containsPattern("(?m)^# pass [1-9]");
                // What only the providers saw: the SDK-driven connections really reached them.
                assertThat(zotero.issuedKeys()).as("Zotero API keys issued through the SDK's oauth_url flow").isNotEmpty();
                assertThat(drive.revokedTokens()).as("Google tokens revoked through dataSources.revokeAccessToken")
                        .isNotEmpty();
                assertThat(driveFiles.requests()).as("the Drive content API crawled and downloaded from")
                        .anyMatch(r -> r.query().orElse("").contains("alt=media"));
                assertThat(graph.downloadRequests()).as("SharePoint files downloaded through Graph's redirect").isNotEmpty();
                assertThat(azure.requests()).as("Azure blobs listed and read")
                        .anyMatch(r -> r.method().equals("GET") && r.path().contains("/" + AZURE_SYNC_CONTAINER + "/"));
            }
        }
    }

    // ------------------------------------------------------------------ what the sync tests find

    /** The Drive's texts: each on its own topic, so a paraphrase finds exactly one file. */
    private static final String AURORA = "The aurora borealis paints the polar night sky green when solar wind meets the atmosphere.";
    private static final String SOURDOUGH = "Sourdough bread needs a lively starter, a long cold proof and a very hot oven.";
    private static final String HONEYBEES = "Honeybees dance in the hive to tell their sisters where the flowers with nectar are.";
    private static final String CHESS = "Chess openings such as the Sicilian defence shape the middle game for both players.";
    private static final String VOLCANO = "Volcanic eruptions send ash clouds high into the stratosphere and ground airplanes.";

    /**
     * My Drive: {@code Compat Reports} (two text files, a Google Doc, {@code Archive/} with one more
     * file) is what the test syncs; {@code Compat Notes} holds 25 small files for paging;
     * {@code Unpicked} is never synced. Returns {@code {root, items: {path: {id, folder | text}}}}.
     */
    private static Map<String, Object> seedDrive(FakeGoogleDrive drive) {
        Tree tree = new Tree(drive.myDriveId());
        String root = drive.myDriveId();
        String reports = tree.folder("Compat Reports", drive.addFolder(root, "Compat Reports"));
        String archive = tree.folder("Compat Reports/Archive", drive.addFolder(reports, "Archive"));
        tree.file("Compat Reports/aurora.txt", drive.addFile(reports, "aurora.txt", AURORA), AURORA);
        tree.file("Compat Reports/sourdough.txt", drive.addFile(reports, "sourdough.txt", SOURDOUGH), SOURDOUGH);
        tree.file("Compat Reports/Archive/honeybees.txt", drive.addFile(archive, "honeybees.txt", HONEYBEES), HONEYBEES);
        tree.file("Compat Reports/Chess notes", drive.addGoogleDoc(reports, "Chess notes", CHESS), CHESS);
        String notes = tree.folder("Compat Notes", drive.addFolder(root, "Compat Notes"));
        List<String> noteIds = drive.addFiles(notes, 25, "note-");
        for (int i = 0; i < noteIds.size(); i++) {
            tree.file("Compat Notes/note-" + i + ".txt", noteIds.get(i), "content of note-" + i + ".txt");
        }
        String unpicked = tree.folder("Unpicked", drive.addFolder(root, "Unpicked"));
        tree.file("Unpicked/volcano.txt", drive.addFile(unpicked, "volcano.txt", VOLCANO), VOLCANO);
        return tree.json();
    }

    /**
     * The tenant's sites (the root site plus three, listed two a page) into {@code sites}, in the
     * fake's listing order; the Engineering site's "Documents" library holds {@code Designs}
     * (synced by the test) and {@code Drafts}. Returns the library as a tree, root = its drive id.
     */
    private static Map<String, Object> seedSharePoint(FakeGraph graph, List<Map<String, Object>> sites) {
        // Graph lists sites in creation order: the root site (no name) first, then these.
        sites.add(site(graph.rootSiteId(), null, "Communication site", "https://" + graph.hostname()));
        String engineering = addSite(graph, sites, "engineering", "Engineering");
        addSite(graph, sites, "marketing", "Marketing Team");
        addSite(graph, sites, "compat-archive", "Compat Archive");
        String library = graph.defaultDriveOf(engineering);
        Tree tree = new Tree(library);
        tree.extra.put("site", engineering);
        String designs = tree.folder("Designs", graph.addFolder(library, "Designs"));
        String old = tree.folder("Designs/Old", graph.addFolder(designs, "Old"));
        String lighthouse = "Lighthouse keepers once trimmed the wicks every night so ships could find the harbour entrance.";
        String glaciers = "Glaciers carve U-shaped valleys as they grind slowly downhill over thousands of years.";
        tree.file("Designs/lighthouse.txt", graph.addFile(designs, "lighthouse.txt", lighthouse), lighthouse);
        tree.file("Designs/Old/glaciers.txt", graph.addFile(old, "glaciers.txt", glaciers), glaciers);
        String drafts = tree.folder("Drafts", graph.addFolder(library, "Drafts"));
        tree.file("Drafts/unpicked.txt", graph.addFile(drafts, "unpicked.txt", VOLCANO), VOLCANO);
        return tree.json();
    }

    private static String addSite(FakeGraph graph, List<Map<String, Object>> sites, String name, String displayName) {
        String id = graph.addSite(name, displayName);
        sites.add(site(id, name, displayName, "https://" + graph.hostname() + "/sites/" + name));
        return id;
    }

    /** A site as {@code /integrations/sharepoint/sites/list} should show it. */
    private static Map<String, Object> site(String id, String name, String displayName, String url) {
        Map<String, Object> site = new LinkedHashMap<>();
        site.put("id", id);
        site.put("name", name);
        site.put("display_name", displayName);
        site.put("url", url);
        return site;
    }

    /**
     * Azure: {@code compat-reports/reports/} (one blob, and {@code 2024/} with two more) is what the
     * test syncs; {@code compat-reports/other/unpicked.txt} is never synced. Ids are
     * {@code container/name}; the root is the container.
     */
    private static Map<String, Object> seedAzure(FakeAzureBlob azure) {
        String c = AZURE_SYNC_CONTAINER;
        Tree tree = new Tree(c);
        Map<String, String> blobs = new LinkedHashMap<>();
        blobs.put("reports/summary.txt", "Marathon runners refuel with carbohydrate gels to avoid hitting the wall after thirty kilometres.");
        blobs.put("reports/2024/coral.txt", "Coral reefs bleach white when warm ocean water drives out the algae that feed them.");
        blobs.put("reports/2024/comets.txt", "Comets grow glowing tails of gas and dust as they swing close to the sun.");
        blobs.put("other/unpicked.txt", VOLCANO);
        tree.folder("reports/", c + "/reports/");
        tree.folder("reports/2024/", c + "/reports/2024/");
        tree.folder("other/", c + "/other/");
        blobs.forEach((name, text) -> {
            azure.putBlob(c, name, text);
            tree.file(name, c + "/" + name, text);
        });
        return tree.json();
    }

    /** A source's tree for the Node side: {@code {root, items: {path: {id, folder | text}}}}. */
    private static final class Tree {
        final Map<String, Object> extra = new LinkedHashMap<>();
        private final String root;
        private final Map<String, Map<String, Object>> items = new LinkedHashMap<>();

        Tree(String root) {
            this.root = root;
        }

        String folder(String path, String id) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", id);
            item.put("folder", true);
            items.put(path, item);
            return id;
        }

        void file(String path, String id, String text) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", id);
            item.put("text", text);
            items.put(path, item);
        }

        Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("root", root);
            out.putAll(extra);
            out.put("items", items);
            return out;
        }
    }

    /** The server's OAuth app for a service: {@code compat-google_drive}, ... */
    private static String clientId(OAuthService service) {
        return "compat-" + service.name().toLowerCase(Locale.ROOT);
    }

    private static byte[] bytes(SecureRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String hex(SecureRandom random, int n) {
        return HexFormat.of().formatHex(bytes(random, n));
    }

    /**
     * A Google Drive access token obtained outside Catchment, as an application holding its own tokens
     * would have one (for {@code integrations.connectDataSource}): consent at the fake's authorize
     * page, then the code exchanged at its token endpoint.
     */
    private static String driveAccessToken(FakeOAuthProvider drive) throws IOException, InterruptedException {
        String redirect = "http://127.0.0.1/compat-own-app/callback";
        Map<String, String> authorize = new LinkedHashMap<>();
        authorize.put("response_type", "code");
        authorize.put("client_id", clientId(OAuthService.GOOGLE_DRIVE));
        authorize.put("redirect_uri", redirect);
        authorize.put("state", "compat");
        authorize.put("scope", "openid email https://www.googleapis.com/auth/drive.readonly");
        String callback = drive.authorize(drive.urls().get("authorize_url") + "?" + form(authorize));
        String code = Optional.ofNullable(queryParameters(URI.create(callback).getRawQuery()).get("code"))
                .orElseGet(() -> fail("the fake Google sent no code: " + callback));
        Map<String, String> exchange = new LinkedHashMap<>();
        exchange.put("grant_type", "authorization_code");
        exchange.put("code", code);
        exchange.put("redirect_uri", redirect);
        exchange.put("client_id", clientId(OAuthService.GOOGLE_DRIVE));
        exchange.put("client_secret", CLIENT_SECRET);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(drive.urls().get("token_url")))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(exchange))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return Json.mapper().readTree(response.body()).path("access_token").asText();
        }
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : Optional.ofNullable(rawQuery).orElse("").split("&")) {
            if (pair.isEmpty()) continue;
            String[] kv = pair.split("=", 2);
            out.putIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    record Result(int exitCode, String output) {}

    /**
     * Runs a command with stdout and stderr merged, copying each line into the test log as it
     * arrives; past the timeout the whole process tree is killed and the result is exit code -1.
     */
    private static Result run(List<String> command, Path workDir, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        System.out.println("[compat] $ " + String.join(" ", command) + "   (in " + workDir + ")");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        StringBuilder output = new StringBuilder();
        Thread pump = Thread.ofPlatform().daemon().name("compat-output").start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    System.out.println("[compat] " + line);
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                synchronized (output) {
                    output.append("[reading the output failed: ").append(e).append("]\n");
                }
            }
        });
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        pump.join(Duration.ofSeconds(10));
        String text;
        synchronized (output) {
            text = output.toString();
        }
        if (!finished) {
            return new Result(-1, text + "\n[killed: `" + String.join(" ", command) + "` did not finish within "
                    + timeout + "]");
        }
        return new Result(process.exitValue(), text);
    }

    /** The repository root: the {@code catchment.repo} property (set by surefire), else the nearest ancestor with compat/. */
    private static Path repoRoot() {
        List<Path> tried = new ArrayList<>();
        String property = System.getProperty("catchment.repo");
        if (property != null && !property.isBlank()) {
            Path candidate = Path.of(property).toAbsolutePath().normalize();
            if (hasCompat(candidate)) return candidate;
            tried.add(candidate);
        }
        for (Path p = Path.of("").toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (hasCompat(p)) return p;
            tried.add(p);
        }
        return fail("Cannot find the compat/ Node project (compat/package.json) in " + tried);
    }

    private static boolean hasCompat(Path dir) {
        return Files.isRegularFile(dir.resolve("compat").resolve("package.json"));
    }

    /** The absolute path of a program on the PATH, or a failure that says to install Node.js. */
    private static String executable(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
        List<String> names = windows ? List.of(name + ".cmd", name + ".exe", name) : List.of(name);
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) continue;
            for (String n : names) {
                Path candidate = Path.of(entry).resolve(n);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate.toString();
            }
        }
        return fail("`" + name + "` is not on the PATH (" + path + "). CompatSdkTest runs Carbon's TypeScript SDK "
                + "against Catchment and needs Node.js 20 or newer with npm: install Node.js (e.g. `apt-get install "
                + "nodejs npm`, or run .ci/install-deps after installing it), then run the build again.");
    }
}
