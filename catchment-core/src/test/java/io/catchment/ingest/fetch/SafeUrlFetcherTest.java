package io.catchment.ingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.catchment.ingest.fetch.FetchResult.Failed;
import io.catchment.ingest.fetch.FetchResult.Fetched;
import io.catchment.ingest.fetch.FetchResult.Refused;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Against a real {@link HttpServer} on 127.0.0.1. Every URL that does not point at the loopback
 * interface must be refused before any connection: {@link #dials} records every address the
 * fetcher is about to connect to, and the resolver used here never asks real DNS.
 */
class SafeUrlFetcherTest {

    private static final byte[] PDF = "%PDF-1.7 pretend this is a quarterly report\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @TempDir
    static Path shared;

    private static TestTls sharedTls;

    private HttpServer server;
    private ExecutorService serverThreads;
    private final List<HttpServer> extraServers = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<InetSocketAddress> dials = new CopyOnWriteArrayList<>();
    private final Map<String, InetAddress[]> fakeDns = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final List<String> hostHeaders = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        serverThreads = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setExecutor(serverThreads);
        route(server, "/files/", exchange -> send(exchange, 200, "application/pdf", PDF));
        route(server, "/attachment", exchange -> {
            exchange.getResponseHeaders().add("Content-Disposition",
                    "attachment; filename=\"fallback.pdf\"; filename*=UTF-8''Q3%20r%C3%A9sum%C3%A9.pdf");
            send(exchange, 200, "application/pdf", PDF);
        });
        route(server, "/evil-name", exchange -> {
            exchange.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"../../etc/passwd\"");
            send(exchange, 200, "text/plain", PDF);
        });
        route(server, "/to-metadata", exchange -> redirect(exchange, "http://169.254.169.254/latest/meta-data/"));
        route(server, "/to-internal-name", exchange -> redirect(exchange, "http://intranet.example/secret"));
        route(server, "/relative", exchange -> redirect(exchange, "files/after%20redirect.txt"));
        route(server, "/chain/", exchange -> {
            int n = Integer.parseInt(exchange.getRequestURI().getPath().substring("/chain/".length()));
            redirect(exchange, n == 0 ? "/files/end.pdf" : "/chain/" + (n - 1));
        });
        route(server, "/loop", exchange -> redirect(exchange, "/loop"));
        route(server, "/big-declared", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, 10_000_000);
            OutputStream out = exchange.getResponseBody();
            out.write(new byte[1024]);
            out.flush();
            awaitRelease(); // the rest never comes: the client must not wait for it
            exchange.close();
        });
        route(server, "/growing", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, 0); // chunked
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = new byte[4096];
                for (int i = 0; i < 64; i++) { // 256 KiB in all, far past the 10 KiB limit
                    out.write(chunk);
                    out.flush();
                }
            } catch (IOException expected) {
                // the client hung up once it had enough
            }
        });
        route(server, "/missing", exchange -> send(exchange, 404, "text/plain", "no".getBytes(StandardCharsets.UTF_8)));
        route(server, "/unavailable", exchange -> {
            exchange.getResponseHeaders().add("Retry-After", "30");
            send(exchange, 503, "text/plain", "busy".getBytes(StandardCharsets.UTF_8));
        });
        route(server, "/stall-body", exchange -> {
            exchange.sendResponseHeaders(200, 1000);
            OutputStream out = exchange.getResponseBody();
            out.write(new byte[100]);
            out.flush();
            awaitRelease();
            exchange.close();
        });
        route(server, "/stall-headers", exchange -> {
            awaitRelease();
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServers() {
        release.countDown();
        server.stop(0);
        extraServers.forEach(s -> s.stop(0));
        serverThreads.shutdownNow();
    }

    // -- allowed fetches ----------------------------------------------------------------------

    @Test
    void fetchesAnAllowlistedServerNamingTheFileFromThePath() throws IOException {
        Path destination = dir.resolve("out.bin");

        FetchResult result = fetcher(allowLoopback()).fetch(url("/files/Quarterly%20report.pdf"), destination);

        Fetched fetched = (Fetched) assertFetched(result);
        assertThat(fetched.file()).isEqualTo(destination);
        assertThat(Files.readAllBytes(destination)).isEqualTo(PDF);
        assertThat(fetched.size()).isEqualTo(PDF.length);
        assertThat(fetched.contentType()).contains("application/pdf");
        assertThat(fetched.fileName()).isEqualTo("Quarterly report.pdf");
        assertThat(fetched.finalUri()).isEqualTo(URI.create(url("/files/Quarterly%20report.pdf")));
        assertOnlyLoopbackDials();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(destination); // no temporary file left behind
        }
        // The connection went to the pinned address, with the request in absolute form.
        assertThat(requestLines).containsExactly("GET " + url("/files/Quarterly%20report.pdf"));
        assertThat(hostHeaders).containsExactly("127.0.0.1:" + port());
    }

    @Test
    void namesTheFileFromContentDisposition() {
        FetchResult result = fetcher(allowLoopback()).fetch(url("/attachment"), dir.resolve("a"));

        assertThat(((Fetched) assertFetched(result)).fileName()).isEqualTo("Q3 résumé.pdf");
    }

    @Test
    void sanitizesAHostileContentDispositionName() {
        FetchResult result = fetcher(allowLoopback()).fetch(url("/evil-name"), dir.resolve("a"));

        assertThat(((Fetched) assertFetched(result)).fileName()).isEqualTo("passwd");
    }

    @Test
    void fallsBackToDownloadWithoutAName() {
        FetchResult result = fetcher(allowLoopback()).fetch(url("/files/"), dir.resolve("a"));

        assertThat(((Fetched) assertFetched(result)).fileName()).isEqualTo("download");
    }

    @Test
    void followsARelativeRedirectAgainstTheCurrentUrl() {
        FetchResult result = fetcher(allowLoopback()).fetch(url("/relative"), dir.resolve("a"));

        Fetched fetched = (Fetched) assertFetched(result);
        assertThat(fetched.finalUri()).isEqualTo(URI.create(url("/files/after%20redirect.txt")));
        assertThat(fetched.fileName()).isEqualTo("after redirect.txt");
    }

    @Test
    void followsExactlyMaxRedirects() {
        FetchResult result = fetcher(allowLoopback().withMaxRedirects(3)).fetch(url("/chain/2"), dir.resolve("a"));

        // /chain/2 -> /chain/1 -> /chain/0 -> /files/end.pdf: three redirects
        assertThat(((Fetched) assertFetched(result)).fileName()).isEqualTo("end.pdf");
    }

    @Test
    void replacesAnExistingDestinationOnlyOnSuccess() throws IOException {
        Path destination = Files.writeString(dir.resolve("existing"), "old");

        assertThat(fetcher(allowLoopback()).fetch(url("/missing"), destination)).isInstanceOf(Failed.class);
        assertThat(Files.readString(destination)).isEqualTo("old");

        assertFetched(fetcher(allowLoopback()).fetch(url("/files/new.pdf"), destination));
        assertThat(Files.readAllBytes(destination)).isEqualTo(PDF);
    }

    // -- refused before any connection ---------------------------------------------------------

    @Test
    void refusesTheSameServerWhenNotAllowlisted() {
        FetchResult result = fetcher(UrlPolicy.defaults()).fetch(url("/files/x.pdf"), dir.resolve("a"));

        assertRefused(result, "Refused to fetch " + url("/files/x.pdf") + ": the address 127.0.0.1 is loopback",
                "allowlist");
        assertThat(dials).isEmpty();
        assertThat(requestLines).isEmpty();
    }

    @Test
    void refusesCloudMetadataWithoutConnecting() {
        FetchResult result = fetcher(UrlPolicy.defaults()).fetch("http://169.254.169.254/latest/meta-data/",
                dir.resolve("a"));

        assertRefused(result, "Refused to fetch http://169.254.169.254/latest/meta-data/: the address 169.254.169.254 "
                + "is link-local");
        assertThat(dials).isEmpty();
    }

    static Stream<String> forbiddenUrls() {
        return Stream.of(
                "http://10.1.2.3/",
                "http://[::1]:PORT/files/x.pdf",
                "http://0.0.0.0:PORT/files/x.pdf",
                "http://127.0.0.1:PORT/files/x.pdf",
                "http://localhost:PORT/files/x.pdf",
                "http://172.16.0.1/", "http://192.168.1.1/", "http://100.64.0.1/", "http://224.0.0.1/",
                "http://[fe80::1]/", "http://[fd00:ec2::254]/", "http://[::ffff:169.254.169.254]/",
                "http://[::ffff:a9fe:a9fe]/", "http://[64:ff9b::10.0.0.1]/", "http://0.1.2.3/",
                "ftp://127.0.0.1:PORT/files/x.pdf",
                "file:///etc/passwd",
                "gopher://127.0.0.1:PORT/",
                "http://user:pw@host/",
                "http://user@127.0.0.1:PORT/files/x.pdf",
                "http:///no-host",
                "http://exa mple.com/",
                "/files/x.pdf",
                "");
    }

    @ParameterizedTest
    @MethodSource("forbiddenUrls")
    void refusesWithoutConnecting(String template) {
        String url = template.replace("PORT", Integer.toString(port()));

        FetchResult result = fetcher(UrlPolicy.defaults()).fetch(url, dir.resolve("a"));

        assertThat(result).isInstanceOf(Refused.class);
        assertThat(((Refused) result).reason()).startsWith("Refused to fetch").doesNotContain("pw");
        assertThat(dials).isEmpty();
        assertThat(requestLines).isEmpty();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void refusesEveryKindOfUrlWithAClearReason() {
        SafeUrlFetcher fetcher = fetcher(UrlPolicy.defaults());
        assertRefused(fetcher.fetch("ftp://example.com/f", dir.resolve("a")), "only http and https", "not ftp:");
        assertRefused(fetcher.fetch("file:///etc/passwd", dir.resolve("a")), "only http and https", "not file:");
        assertRefused(fetcher.fetch("http://user:pw@host/", dir.resolve("a")),
                "Refused to fetch http://host/: URLs with credentials");
        assertRefused(fetcher.fetch("http://10.1.2.3/", dir.resolve("a")),
                "Refused to fetch http://10.1.2.3/: the address 10.1.2.3 is private (allowlist it in configuration to permit)");
        assertRefused(fetcher.fetch("http://0.0.0.0:" + port() + "/", dir.resolve("a")), "0.0.0.0 is the unspecified");
        assertRefused(fetcher.fetch("http://[::1]:" + port() + "/", dir.resolve("a")), "the address ::1 is loopback");
        assertRefused(fetcher.fetch("http://exa mple.com/", dir.resolve("a")), "not a valid URL");
        assertRefused(fetcher.fetch("example.com/file.pdf", dir.resolve("a")), "not an absolute http or https URL");
        assertThat(dials).isEmpty();
        assertThat(lookups).doesNotContainKey("host"); // credentials are refused before any lookup
    }

    @Test
    void refusesANameThatResolvesToAPrivateAddress() throws UnknownHostException {
        fakeDns.put("files.example.com", new InetAddress[] {InetAddress.getByName("10.0.0.7")});

        FetchResult result = fetcher(UrlPolicy.defaults()).fetch("https://files.example.com/a.pdf", dir.resolve("a"));

        assertRefused(result, "files.example.com resolves to 10.0.0.7, which is private "
                + "(allowlist the host files.example.com in configuration to permit)");
        assertThat(dials).isEmpty();
    }

    @Test
    void refusesANameWhenAnyOfItsAddressesIsInternal() throws UnknownHostException {
        fakeDns.put("mixed.example.com", new InetAddress[] {
                InetAddress.getByName("93.184.215.14"), InetAddress.getByName("169.254.169.254")});

        FetchResult result = fetcher(UrlPolicy.defaults()).fetch("http://mixed.example.com/", dir.resolve("a"));

        assertRefused(result, "mixed.example.com resolves to 169.254.169.254, which is link-local");
        assertThat(dials).isEmpty();
    }

    @Test
    void refusesARedirectToCloudMetadataNamingTheRedirect() {
        FetchResult result = fetcher(allowLoopback()).fetch(url("/to-metadata"), dir.resolve("a"));

        assertRefused(result, "Refused to follow the redirect from " + url("/to-metadata")
                + " to http://169.254.169.254/latest/meta-data/: the address 169.254.169.254 is link-local");
        assertOnlyLoopbackDials();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void checksTheAddressesOfEveryRedirectHop() throws UnknownHostException {
        fakeDns.put("intranet.example", new InetAddress[] {InetAddress.getByName("192.168.0.10")});

        FetchResult result = fetcher(allowLoopback()).fetch(url("/to-internal-name"), dir.resolve("a"));

        assertRefused(result, "Refused to follow the redirect from " + url("/to-internal-name")
                + " to http://intranet.example/secret: intranet.example resolves to 192.168.0.10, which is private");
        assertOnlyLoopbackDials();
    }

    @Test
    void refusesARedirectChainLongerThanMaxRedirects() {
        FetchResult result = fetcher(allowLoopback().withMaxRedirects(2)).fetch(url("/chain/5"), dir.resolve("a"));

        assertRefused(result, "Refused to fetch " + url("/chain/5") + ": too many redirects (more than 2");
        assertThat(requestLines).hasSize(3);
    }

    @Test
    void refusesARedirectLoop() {
        FetchResult result = fetcher(allowLoopback()).fetch(url("/loop"), dir.resolve("a"));

        assertRefused(result, "too many redirects (more than 5");
        assertThat(requestLines).hasSize(6);
    }

    // -- size ----------------------------------------------------------------------------------

    @Test
    void refusesADeclaredContentLengthOverTheLimitBeforeReading() {
        long started = System.nanoTime();

        FetchResult result = fetcher(allowLoopback().withMaxBytes(10 * 1024)).fetch(url("/big-declared"),
                dir.resolve("a"));

        assertRefused(result, "the file is larger than the limit of 10240 bytes (Content-Length: 10000000)");
        assertThat(dir).isEmptyDirectory();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void stopsAChunkedBodyThatGrowsPastTheLimitAndLeavesNoPartialFile() {
        FetchResult result = fetcher(allowLoopback().withMaxBytes(10 * 1024)).fetch(url("/growing"),
                dir.resolve("a"));

        assertRefused(result, "Refused to fetch " + url("/growing") + ": the file is larger than the limit of 10240 bytes");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void acceptsABodyOfExactlyTheLimit() {
        FetchResult result = fetcher(allowLoopback().withMaxBytes(PDF.length)).fetch(url("/files/x.pdf"),
                dir.resolve("a"));

        assertThat(((Fetched) assertFetched(result)).size()).isEqualTo(PDF.length);
    }

    // -- HTTP errors and time ------------------------------------------------------------------

    @Test
    void notFoundIsAFailureNotWorthRetrying() {
        FetchResult result = fetcher(allowLoopback()).fetch(url("/missing"), dir.resolve("a"));

        assertThat(result).isEqualTo(new Failed("Failed to fetch " + url("/missing") + ": HTTP 404", false));
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void serviceUnavailableIsAFailureWorthRetrying() {
        FetchResult result = fetcher(allowLoopback()).fetch(url("/unavailable"), dir.resolve("a"));

        assertThat(result).isEqualTo(new Failed("Failed to fetch " + url("/unavailable")
                + ": HTTP 503 (Retry-After: 30)", true));
    }

    @Test
    void aServerThatStallsMidBodyRunsIntoTheTotalTimeout() {
        long started = System.nanoTime();

        FetchResult result = fetcher(allowLoopback().withTotalTimeout(Duration.ofSeconds(1)))
                .fetch(url("/stall-body"), dir.resolve("a"));

        assertThat(result).isInstanceOf(Failed.class);
        assertThat(((Failed) result).retryable()).isTrue();
        assertThat(((Failed) result).reason()).contains("timed out").contains("limited to 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aServerThatNeverAnswersRunsIntoTheTotalTimeout() {
        long started = System.nanoTime();

        FetchResult result = fetcher(allowLoopback().withTotalTimeout(Duration.ofSeconds(1)))
                .fetch(url("/stall-headers"), dir.resolve("a"));

        assertThat(result).isInstanceOf(Failed.class);
        assertThat(((Failed) result).retryable()).isTrue();
        assertThat(((Failed) result).reason()).contains("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aClosedPortIsARetryableFailure() throws IOException {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }

        FetchResult result = fetcher(allowLoopback()).fetch("http://127.0.0.1:" + closedPort + "/x", dir.resolve("a"));

        assertThat(result).isInstanceOf(Failed.class);
        assertThat(((Failed) result).retryable()).isTrue();
        assertThat(((Failed) result).reason()).contains("could not connect to 127.0.0.1:" + closedPort);
    }

    // -- https and pinning ---------------------------------------------------------------------

    @Test
    void fetchesHttpsThroughThePinnedTunnel() throws Exception {
        TestTls tls = tls();
        HttpsServer https = httpsServer(tls, "127.0.0.1");
        Path destination = dir.resolve("secure.pdf");

        FetchResult result = new SafeUrlFetcher(allowLoopback(), tls.clientContext(), this::resolve, dials::add)
                .fetch("https://127.0.0.1:" + https.getAddress().getPort() + "/files/secure.pdf", destination);

        assertThat(((Fetched) assertFetched(result)).fileName()).isEqualTo("secure.pdf");
        assertThat(Files.readAllBytes(destination)).isEqualTo(PDF);
        assertThat(dials).containsExactly(new InetSocketAddress("127.0.0.1", https.getAddress().getPort()));
    }

    @Test
    void httpsWithAnUntrustedCertificateFails() throws Exception {
        TestTls tls = tls();
        HttpsServer https = httpsServer(tls, "127.0.0.1");

        FetchResult result = fetcher(allowLoopback())
                .fetch("https://127.0.0.1:" + https.getAddress().getPort() + "/files/secure.pdf", dir.resolve("a"));

        assertThat(result).isInstanceOf(Failed.class);
        assertThat(dir.resolve("a")).doesNotExist();
    }

    /**
     * DNS rebinding: the fetcher must connect to the address it checked, never resolve again.
     * Our "DNS" says localhost is 127.0.0.2, where the servers listen; the system resolver
     * would say 127.0.0.1 or ::1, where nothing listens on those ports.
     */
    @Test
    void connectsToTheAddressItCheckedNotAFreshResolution() throws Exception {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        // 127.0.0.0/8 is all loopback on Linux; failing to bind here is an environment fault worth seeing.
        HttpServer plain = HttpServer.create(new InetSocketAddress(other, 0), 0);
        extraServers.add(plain);
        route(plain, "/files/", exchange -> send(exchange, 200, "application/pdf", PDF));
        plain.start();
        TestTls tls = tls();
        HttpsServer https = httpsServer(tls, "127.0.0.2");
        fakeDns.put("localhost", new InetAddress[] {other});
        SafeUrlFetcher fetcher = new SafeUrlFetcher(UrlPolicy.defaults().withAllowedHosts("LocalHost"),
                tls.clientContext(), this::resolve, dials::add);

        FetchResult overHttp = fetcher.fetch("http://localhost:" + plain.getAddress().getPort() + "/files/p.pdf",
                dir.resolve("p"));
        FetchResult overHttps = fetcher.fetch("https://localhost:" + https.getAddress().getPort() + "/files/s.pdf",
                dir.resolve("s"));

        assertFetched(overHttp);
        assertFetched(overHttps);
        assertThat(dials).extracting(InetSocketAddress::getAddress).containsOnly(other);
        assertThat(hostHeaders).containsExactly("localhost:" + plain.getAddress().getPort(),
                "localhost:" + https.getAddress().getPort());
        assertThat(lookups.get("localhost")).hasValue(2); // once per fetch, by the fetcher only
    }

    // -- helpers -------------------------------------------------------------------------------

    private static synchronized TestTls tls() throws Exception {
        if (sharedTls == null) {
            sharedTls = TestTls.create(shared.resolve("tls"));
        }
        return sharedTls;
    }

    private SafeUrlFetcher fetcher(UrlPolicy policy) {
        return new SafeUrlFetcher(policy, null, this::resolve, dials::add);
    }

    private static UrlPolicy allowLoopback() {
        return UrlPolicy.defaults().withAllowedHosts(Set.of("127.0.0.1")).withTotalTimeout(Duration.ofSeconds(20));
    }

    /** Fake DNS, literals and localhost only: the tests never ask a real name server. */
    private InetAddress[] resolve(String host) throws UnknownHostException {
        lookups.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
        InetAddress[] fake = fakeDns.get(host);
        if (fake != null) {
            return fake;
        }
        if (host.equals("localhost") || host.contains(":") || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return InetAddress.getAllByName(host);
        }
        throw new UnknownHostException(host + " (the test resolver knows no such name)");
    }

    private void assertOnlyLoopbackDials() {
        assertThat(dials).isNotEmpty().allSatisfy(address -> assertThat(address.getAddress().isLoopbackAddress()).isTrue());
    }

    private static FetchResult assertFetched(FetchResult result) {
        assertThat(result).as("%s", result).isInstanceOf(Fetched.class);
        return result;
    }

    private static void assertRefused(FetchResult result, String... fragments) {
        assertThat(result).as("%s", result).isInstanceOf(Refused.class);
        assertThat(((Refused) result).reason()).contains(fragments);
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    private void route(HttpServer on, String path, HttpHandler handler) {
        on.createContext(path, exchange -> {
            URI uri = exchange.getRequestURI();
            requestLines.add(exchange.getRequestMethod() + " " + uri);
            hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
            try (InputStream in = exchange.getRequestBody()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            handler.handle(exchange);
        });
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void awaitRelease() {
        try {
            release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpsServer httpsServer(TestTls tls, String address) throws IOException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        https.setExecutor(serverThreads);
        route(https, "/files/", exchange -> send(exchange, 200, "application/pdf", PDF));
        https.start();
        extraServers.add(https);
        return https;
    }

    /** A throwaway self-signed certificate for localhost, 127.0.0.1 and 127.0.0.2, made with keytool. */
    private record TestTls(SSLContext serverContext, SSLContext clientContext) {
        static TestTls create(Path folder) throws Exception {
            Files.createDirectories(folder);
            Path store = folder.resolve("server.p12");
            char[] password = "changeit".toCharArray();
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            if (!Files.isExecutable(keytool)) throw new IllegalStateException("no keytool in " + keytool.getParent() + ": run the tests on a full JDK");
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "test",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:127.0.0.2",
                    "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", "changeit", "-keypass", "changeit")
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(output).isZero();

            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);

            Certificate certificate = keys.getCertificate("test");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("test", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            return new TestTls(server, client);
        }
    }
}
