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
 * revoke endpoints, and the credential connectors' APIs (Freshdesk, GitBook, Guru, S3, Azure Blob,
 * an RSS feed). Their credentials and URLs go to the Node side as environment variables
 * ({@code compat/README.md} lists them).
 */
class CompatSdkTest {
    private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration NPM_TEST_TIMEOUT = Duration.ofMinutes(5);
    private static final String CLIENT_SECRET = "compat-client-secret";
    private static final String ZOTERO_USER_ID = "4750001";
    private static final String DRIVE_ACCOUNT_ID = "108000000000000000001";
    private static final String DRIVE_EMAIL = "drive.compat@example.com";
    private static final String GITBOOK_ORGANIZATION = "Compat Docs";

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
             FakeFreshdesk freshdesk = new FakeFreshdesk(freshdeskKey);
             FakeGitbook gitbook = new FakeGitbook(gitbookToken, List.of(new FakeGitbook.Organization("org-other", "Other"),
                     new FakeGitbook.Organization("org-compat", GITBOOK_ORGANIZATION)), 1);
             FakeGuru guru = new FakeGuru(guruUser, guruToken);
             FakeS3 s3 = new FakeS3(s3AccessKey, s3Secret, "us-east-1", Clock.systemUTC()).withBuckets("compat-docs");
             FakeAzureBlob azure = new FakeAzureBlob(azureAccount, azureKey, Clock.systemUTC()).withContainers("compat");
             FakeRssFeed rss = new FakeRssFeed()) {
            URI feed = rss.servesRss("/compat/feed.xml", "Compat harbour news", List.of("Tides", "Ferries"));
            URI notAFeed = rss.serves("/compat/page.html", "text/html; charset=utf-8",
                    "<!doctype html><html><body><p>Not a feed</p></body></html>");

            Map<OAuthService, ClientApp> apps = new EnumMap<>(OAuthService.class);
            for (OAuthService service : OAuthService.values()) apps.put(service, new ClientApp(clientId(service), CLIENT_SECRET));
            Map<String, String> driveUrls = new LinkedHashMap<>(drive.urls());
            driveUrls.remove("authorize_url");
            OAuthSettings oauth = new OAuthSettings(apps,
                    Map.of(OAuthService.ZOTERO, UrlOverrides.fromMap(zotero.urls()),
                            OAuthService.GOOGLE_DRIVE, UrlOverrides.fromMap(driveUrls)),
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
            }
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
