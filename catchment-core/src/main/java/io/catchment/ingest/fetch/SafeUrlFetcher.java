package io.catchment.ingest.fetch;

import io.catchment.ingest.fetch.FetchResult.Failed;
import io.catchment.ingest.fetch.FetchResult.Fetched;
import io.catchment.ingest.fetch.FetchResult.Refused;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a user-supplied URL to a file without letting the URL reach anything internal
 * (server-side request forgery): only http and https, no credentials in the URL, and every
 * address the host resolves to must be public unless the host is allowlisted in the
 * {@link UrlPolicy}. Redirects are followed by hand, each hop checked like the first. The body
 * streams to a temporary file next to the destination and is moved into place only when
 * complete and within {@link UrlPolicy#maxBytes()}; nothing is left behind on failure. The whole
 * fetch runs against one deadline ({@link UrlPolicy#totalTimeout()}).
 *
 * <h2>DNS rebinding</h2>
 * Checking a host's addresses and then letting the HTTP client resolve the name again would let
 * a hostile DNS server answer "public" to the check and "169.254.169.254" to the connection.
 * So each hop's host is resolved once, by this class, and the connection is made to exactly
 * the addresses that passed the check ("pinning"), without a global system property and without
 * touching the {@code Host} header (which {@code java.net.http} restricts):
 * <ul>
 *   <li><b>http</b>: the client is given the validated {@code ip:port} of the target itself as
 *   its HTTP proxy. It then connects to that address and sends the request in absolute form
 *   ({@code GET http://host/path}) with the real {@code Host} header, which origin servers must
 *   accept (RFC 9112 §3.2.2). The JDK never resolves the name.</li>
 *   <li><b>https</b>: the client is given a {@link PinnedTunnel}, a loopback {@code CONNECT}
 *   proxy private to this fetch that dials only the pinned addresses and relays bytes, so TLS,
 *   SNI and certificate verification still run end to end against the real host name.</li>
 * </ul>
 * A request for anything not pinned is routed to the tunnel, which refuses it: fail closed.
 *
 * <p>Instances are immutable and thread-safe; each {@link #fetch} uses its own
 * {@code HttpClient} and tunnel, closed when it returns.
 */
public final class SafeUrlFetcher {

    private static final Logger log = LoggerFactory.getLogger(SafeUrlFetcher.class);
    private static final String USER_AGENT = "Catchment-Fetcher/1.0";
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int MAX_SHOWN_URL = 300;

    /** Resolves a host name to all of its addresses (A and AAAA). */
    @FunctionalInterface
    interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final UrlPolicy policy;
    private final SSLContext sslContext;
    private final HostResolver resolver;
    private final Consumer<InetSocketAddress> dialListener;

    public SafeUrlFetcher(UrlPolicy policy) {
        this(policy, null);
    }

    /** With the trust (and client keys) of {@code sslContext} instead of the JVM default. */
    public SafeUrlFetcher(UrlPolicy policy, SSLContext sslContext) {
        this(policy, sslContext, InetAddress::getAllByName, address -> { });
    }

    /**
     * For tests: a stand-in for DNS, and a listener told about every address a connection is
     * about to be opened to.
     */
    SafeUrlFetcher(UrlPolicy policy, SSLContext sslContext, HostResolver resolver,
                   Consumer<InetSocketAddress> dialListener) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sslContext = sslContext;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.dialListener = Objects.requireNonNull(dialListener, "dialListener");
    }

    public UrlPolicy policy() {
        return policy;
    }

    /**
     * Downloads {@code url} to {@code destination} (replacing it on success, leaving it
     * untouched otherwise). Never throws for anything the URL, the network or the server does;
     * local write errors come back as a retryable {@link Failed}.
     */
    public FetchResult fetch(String url, Path destination) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(destination, "destination");
        long deadline = System.nanoTime() + policy.totalTimeout().toNanos();
        try (Session session = new Session(deadline)) {
            return session.run(url, destination);
        } catch (Outcome outcome) {
            log.debug("Fetch of {} ended: {}", shorten(url), outcome.result);
            return outcome.result;
        }
    }

    /** The key under which a host's validated addresses are pinned. */
    static String pinKey(String host, int port) {
        return UrlPolicy.normalizeHost(host) + ":" + port;
    }

    // ---------------------------------------------------------------------------------------

    /** Ends a fetch early with a result. */
    private static final class Outcome extends RuntimeException {
        final FetchResult result;

        Outcome(FetchResult result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    private static Outcome refused(String reason) {
        return new Outcome(new Refused(reason));
    }

    private static Outcome failed(String reason, boolean retryable) {
        return new Outcome(new Failed(reason, retryable));
    }

    /** A hop that passed every check. */
    private record Target(URI uri, String host, int port, boolean secure, List<InetAddress> addresses) {
        String key() {
            return pinKey(host, port);
        }
    }

    private static final class TooLarge extends IOException {
        TooLarge() {
            super(null, null);
        }
    }

    private static final class WriteFailed extends IOException {
        WriteFailed(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** One fetch: its pins, its client, its tunnel and its deadline. */
    private final class Session implements AutoCloseable {
        private final long deadline;
        private final Map<String, List<InetAddress>> pins = new ConcurrentHashMap<>();
        /** For http: which of the pinned addresses of a key is being tried. */
        private final Map<String, Integer> httpChoice = new ConcurrentHashMap<>();
        private PinnedTunnel tunnel;
        private HttpClient client;

        Session(long deadline) {
            this.deadline = deadline;
        }

        FetchResult run(String url, Path destination) {
            URI start = parse(url);
            URI current = start;
            URI previous = null;
            int redirects = 0;
            while (true) {
                String subject = previous == null
                        ? "Refused to fetch " + show(current)
                        : "Refused to follow the redirect from " + show(previous) + " to " + show(current);
                Target target = vet(current, subject);
                HttpResponse<InputStream> response = send(target);
                int status = response.statusCode();
                if (isRedirect(status)) {
                    Optional<String> location = response.headers().firstValue("location");
                    closeQuietly(response.body());
                    if (location.isEmpty() || location.get().isBlank()) {
                        throw failed(failure(start, target.uri()) + ": HTTP " + status
                                + " redirect without a Location header", false);
                    }
                    if (redirects >= policy.maxRedirects()) {
                        throw refused("Refused to fetch " + show(start) + ": too many redirects (more than "
                                + policy.maxRedirects() + "; " + show(target.uri()) + " redirects again)");
                    }
                    URI next = resolveLocation(target.uri(), location.get().trim(), subjectForBadLocation(target));
                    redirects++;
                    previous = target.uri();
                    current = next;
                    continue;
                }
                if (status >= 200 && status < 300) {
                    return download(response, start, target, destination);
                }
                closeQuietly(response.body());
                throw httpError(status, response, start, target.uri());
            }
        }

        private String subjectForBadLocation(Target target) {
            return "Refused to follow the redirect from " + show(target.uri());
        }

        // -- checks ----------------------------------------------------------------------

        private URI parse(String url) {
            String trimmed = url.strip();
            if (trimmed.isEmpty()) {
                throw refused("Refused to fetch an empty URL");
            }
            try {
                return new URI(trimmed);
            } catch (URISyntaxException e) {
                throw refused("Refused to fetch " + shorten(trimmed) + ": not a valid URL (" + e.getReason()
                        + (e.getIndex() >= 0 ? " at index " + e.getIndex() : "") + ")");
            }
        }

        private URI resolveLocation(URI base, String location, String subject) {
            URI relative;
            try {
                relative = new URI(location);
            } catch (URISyntaxException e) {
                throw refused(subject + " to " + shorten(location) + ": not a valid URL (" + e.getReason() + ")");
            }
            if (relative.isAbsolute()) {
                return relative;
            }
            URI from = base;
            if (base.getRawPath() == null || base.getRawPath().isEmpty()) {
                from = base.resolve("/");
            }
            return from.resolve(relative);
        }

        /** Scheme, credentials, host and every resolved address; pins the addresses. */
        private Target vet(URI uri, String subject) {
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme == null) {
                throw refused(subject + ": not an absolute http or https URL");
            }
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw refused(subject + ": only http and https URLs may be fetched, not " + scheme + ":");
            }
            if (uri.isOpaque()) {
                throw refused(subject + ": not a hierarchical http or https URL");
            }
            if (uri.getRawUserInfo() != null) {
                throw refused(subject + ": URLs with credentials (user:password@) are not accepted");
            }
            String rawHost = uri.getHost();
            if (rawHost == null || rawHost.isEmpty()) {
                throw refused(subject + ": the URL has no valid host");
            }
            boolean secure = scheme.equals("https");
            int port = uri.getPort() == -1 ? (secure ? 443 : 80) : uri.getPort();
            if (port < 1 || port > 65535) {
                throw refused(subject + ": port " + port + " is out of range");
            }
            String host = UrlPolicy.normalizeHost(rawHost);
            boolean allowlisted = policy.isAllowlisted(host);
            List<InetAddress> addresses = resolve(host, uri);
            if (!allowlisted) {
                boolean literal = host.indexOf(':') >= 0 || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
                for (InetAddress address : addresses) {
                    Optional<String> why = AddressRules.whyInternal(address);
                    if (why.isPresent()) {
                        String ip = AddressRules.literal(address);
                        throw refused(subject + ": " + (literal
                                ? "the address " + host + " is " + why.get() + " (allowlist it in configuration to permit)"
                                : host + " resolves to " + ip + ", which is " + why.get()
                                        + " (allowlist the host " + host + " in configuration to permit)"));
                    }
                }
            }
            String key = pinKey(host, port);
            pins.put(key, addresses);
            httpChoice.put(key, 0);
            return new Target(requestUri(uri, scheme), host, port, secure, addresses);
        }

        private List<InetAddress> resolve(String host, URI uri) {
            FutureTask<InetAddress[]> lookup = new FutureTask<>(() -> resolver.resolve(host));
            Thread.ofVirtual().name("catchment-fetch-resolve").start(lookup);
            try {
                InetAddress[] found = lookup.get(remainingNanos(uri), TimeUnit.NANOSECONDS);
                if (found == null || found.length == 0) {
                    throw failed("Failed to fetch " + show(uri) + ": " + host + " has no addresses", true);
                }
                return List.of(found);
            } catch (TimeoutException e) {
                lookup.cancel(true);
                throw timedOut(uri);
            } catch (InterruptedException e) {
                lookup.cancel(true);
                Thread.currentThread().interrupt();
                throw failed("Failed to fetch " + show(uri) + ": interrupted", true);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                String detail = cause instanceof UnknownHostException
                        ? "could not resolve the host " + host
                        : "could not resolve the host " + host + " (" + cause + ")";
                throw failed("Failed to fetch " + show(uri) + ": " + detail, true);
            }
        }

        /** The URI as it is sent: lower-case scheme, ASCII only, no fragment, a path of at least "/". */
        private static URI requestUri(URI uri, String scheme) {
            URI ascii = URI.create(uri.toASCIIString());
            String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
            String query = ascii.getRawQuery() == null ? "" : "?" + ascii.getRawQuery();
            return URI.create(scheme + "://" + ascii.getRawAuthority() + path + query);
        }

        // -- sending ---------------------------------------------------------------------

        private HttpResponse<InputStream> send(Target target) {
            HttpClient http = client();
            while (true) {
                HttpRequest request = HttpRequest.newBuilder(target.uri())
                        .GET()
                        .timeout(Duration.ofNanos(remainingNanos(target.uri())))
                        .header("User-Agent", USER_AGENT)
                        .header("Accept", "*/*")
                        .build();
                try {
                    return http.send(request, BodyHandlers.ofInputStream());
                } catch (HttpConnectTimeoutException e) {
                    throw failed("Failed to fetch " + show(target.uri()) + ": timed out connecting to "
                            + target.host() + " (limit " + seconds(policy.connectTimeout()) + ")", true);
                } catch (HttpTimeoutException e) {
                    throw timedOut(target.uri());
                } catch (ConnectException e) {
                    if (!target.secure()) {
                        int next = httpChoice.merge(target.key(), 1, Integer::sum);
                        if (next < target.addresses().size()) {
                            continue; // try the next validated address
                        }
                    }
                    throw networkFailure(target, e);
                } catch (IOException e) {
                    throw networkFailure(target, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failed("Failed to fetch " + show(target.uri()) + ": interrupted", true);
                }
            }
        }

        private Outcome networkFailure(Target target, IOException e) {
            if (remainingNanosOrZero() <= 0) {
                return timedOut(target.uri());
            }
            Optional<String> tunnelFailure = target.secure() && tunnel != null
                    ? tunnel.failure(target.key()) : Optional.empty();
            String detail;
            if (tunnelFailure.isPresent()) {
                detail = tunnelFailure.get();
            } else if (e instanceof ConnectException) {
                detail = "could not connect to " + target.host() + ":" + target.port() + " ("
                        + target.addresses().stream().map(AddressRules::literal).toList() + ")";
            } else if (e instanceof SSLException) {
                detail = "TLS failed: " + e.getMessage();
            } else {
                detail = "network error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
            return failed("Failed to fetch " + show(target.uri()) + ": " + detail, true);
        }

        private HttpClient client() {
            if (client == null) {
                try {
                    tunnel = new PinnedTunnel(pins::get, Math.toIntExact(Math.min(Integer.MAX_VALUE,
                            policy.connectTimeout().toMillis())), dialListener);
                } catch (IOException e) {
                    throw failed("Failed to fetch: could not open the local fetch tunnel: " + e.getMessage(), true);
                }
                HttpClient.Builder builder = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(policy.connectTimeout())
                        .proxy(new PinningProxySelector());
                if (sslContext != null) {
                    builder.sslContext(sslContext);
                }
                client = builder.build();
            }
            return client;
        }

        /** Routes every request to its pinned address (http) or through the tunnel (https). */
        private final class PinningProxySelector extends ProxySelector {
            @Override
            public List<Proxy> select(URI uri) {
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (scheme.equals("http") && uri.getHost() != null) {
                    int port = uri.getPort() == -1 ? 80 : uri.getPort();
                    String key = pinKey(uri.getHost(), port);
                    List<InetAddress> pinned = pins.get(key);
                    if (pinned != null && !pinned.isEmpty()) {
                        int choice = Math.min(httpChoice.getOrDefault(key, 0), pinned.size() - 1);
                        InetSocketAddress target = new InetSocketAddress(pinned.get(choice), port);
                        dialListener.accept(target);
                        return List.of(new Proxy(Proxy.Type.HTTP, target));
                    }
                }
                // https, and (fail closed) anything not pinned: the tunnel dials pinned targets only.
                return List.of(new Proxy(Proxy.Type.HTTP, tunnel.address()));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException failure) {
                // The caller reports the failure.
            }
        }

        // -- the body --------------------------------------------------------------------

        private FetchResult download(HttpResponse<InputStream> response, URI start, Target target, Path destination) {
            InputStream body = response.body();
            URI finalUri = target.uri();
            long limit = policy.maxBytes();
            OptionalLong declared;
            try {
                declared = response.headers().firstValueAsLong("content-length");
            } catch (NumberFormatException e) {
                declared = OptionalLong.empty();
            }
            if (declared.isPresent() && declared.getAsLong() > limit) {
                closeQuietly(body);
                throw refused("Refused to fetch " + show(start) + ": the file is larger than the limit of "
                        + limit + " bytes (Content-Length: " + declared.getAsLong() + ")");
            }
            Path absolute = destination.toAbsolutePath();
            Path temporary;
            try {
                Path directory = absolute.getParent();
                Files.createDirectories(directory);
                temporary = Files.createTempFile(directory, ".fetch-", ".part");
            } catch (IOException e) {
                closeQuietly(body);
                throw failed("Failed to fetch " + show(start) + ": could not create a file next to "
                        + destination + ": " + e, true);
            }
            boolean done = false;
            try {
                long size = copyBeforeDeadline(body, temporary, start);
                moveIntoPlace(temporary, absolute, start);
                done = true;
                Optional<String> contentType = response.headers().firstValue("content-type")
                        .map(String::strip).filter(type -> !type.isEmpty());
                String fileName = FileNames.of(response.headers().firstValue("content-disposition"), finalUri);
                return new Fetched(destination, size, contentType, fileName, finalUri);
            } finally {
                if (!done) {
                    deleteQuietly(temporary);
                }
            }
        }

        private long copyBeforeDeadline(InputStream body, Path file, URI start) {
            long limit = policy.maxBytes();
            FutureTask<Long> copy = new FutureTask<>(() -> copy(body, file, limit));
            Thread worker = Thread.ofVirtual().name("catchment-fetch-body").start(copy);
            try {
                return copy.get(remainingNanos(start), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                stop(copy, worker, body);
                throw timedOut(start);
            } catch (InterruptedException e) {
                stop(copy, worker, body);
                Thread.currentThread().interrupt();
                throw failed("Failed to fetch " + show(start) + ": interrupted", true);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof TooLarge) {
                    throw refused("Refused to fetch " + show(start) + ": the file is larger than the limit of "
                            + limit + " bytes");
                }
                if (cause instanceof WriteFailed) {
                    throw failed("Failed to fetch " + show(start) + ": could not write the download: "
                            + cause.getMessage(), true);
                }
                if (remainingNanosOrZero() <= 0) {
                    throw timedOut(start);
                }
                throw failed("Failed to fetch " + show(start) + ": the connection failed during the download ("
                        + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
                        + ")", true);
            }
        }

        /** Interrupts the copy, closes the body and waits (briefly) for the worker to let go of the file. */
        private void stop(FutureTask<Long> copy, Thread worker, InputStream body) {
            copy.cancel(true);
            closeQuietly(body);
            try {
                if (!worker.join(Duration.ofSeconds(5))) {
                    log.warn("A fetch body copy did not stop within 5 s of being cancelled");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static long copy(InputStream body, Path file, long limit) throws IOException {
            try (InputStream in = body;
                 OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
                         StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[BUFFER_BYTES];
                long total = 0;
                int n;
                while ((n = in.read(buffer)) != -1) {
                    total += n;
                    if (total > limit) {
                        throw new TooLarge();
                    }
                    try {
                        out.write(buffer, 0, n);
                    } catch (IOException e) {
                        throw new WriteFailed(e);
                    }
                }
                return total;
            }
        }

        private void moveIntoPlace(Path temporary, Path target, URI start) {
            try {
                try {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw failed("Failed to fetch " + show(start) + ": could not move the download to " + target
                        + ": " + e, true);
            }
        }

        // -- statuses and time -----------------------------------------------------------

        private static boolean isRedirect(int status) {
            return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
        }

        private Outcome httpError(int status, HttpResponse<?> response, URI start, URI uri) {
            boolean retryable = status >= 500 || status == 429 || status == 408;
            String retryAfter = response.headers().firstValue("retry-after")
                    .map(value -> " (Retry-After: " + value.strip() + ")").orElse("");
            return failed(failure(start, uri) + ": HTTP " + status + retryAfter, retryable);
        }

        private String failure(URI start, URI uri) {
            return start.equals(uri) || uri.equals(requestUriQuietly(start))
                    ? "Failed to fetch " + show(uri)
                    : "Failed to fetch " + show(uri) + " (redirected from " + show(start) + ")";
        }

        private URI requestUriQuietly(URI uri) {
            try {
                return requestUri(uri, uri.getScheme().toLowerCase(Locale.ROOT));
            } catch (RuntimeException e) {
                return uri;
            }
        }

        private Outcome timedOut(URI uri) {
            return failed("Failed to fetch " + show(uri) + ": timed out (the whole fetch is limited to "
                    + seconds(policy.totalTimeout()) + ")", true);
        }

        private long remainingNanos(URI uri) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw timedOut(uri);
            }
            return remaining;
        }

        private long remainingNanosOrZero() {
            return Math.max(0, deadline - System.nanoTime());
        }

        @Override
        public void close() {
            if (client != null) {
                client.shutdownNow();
            }
            if (tunnel != null) {
                tunnel.close();
            }
        }
    }

    // -- helpers ---------------------------------------------------------------------------

    /** A URL for messages: without its query (which may hold signatures), and not too long. */
    private static String show(URI uri) {
        String text;
        if (uri.isOpaque() || uri.getScheme() == null) {
            text = uri.toString();
        } else {
            String authority = uri.getRawAuthority();
            if (authority != null) {
                authority = authority.substring(authority.lastIndexOf('@') + 1); // never show credentials
            }
            text = (uri.getScheme() + ":" + (authority == null ? "" : "//" + authority)
                    + (uri.getRawPath() == null ? "" : uri.getRawPath()) + (uri.getRawQuery() == null ? "" : "?…"));
        }
        return shorten(text);
    }

    private static String shorten(String text) {
        return text.length() <= MAX_SHOWN_URL ? text : text.substring(0, MAX_SHOWN_URL) + "…";
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | UncheckedIOException ignored) {
            // discarding
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete the partial download {}", file, e);
        }
    }
}
