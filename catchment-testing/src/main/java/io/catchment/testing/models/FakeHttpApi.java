package io.catchment.testing.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A provider's HTTP API on 127.0.0.1, for tests. Subclasses register routes (exact paths or
 * prefixes, any method); this class records
 * every request, refuses requests whose credentials {@link #authorized} rejects (with the
 * provider's own 401 body), and plays scripted faults first. Thread-safe; close it after use.
 */
public abstract class FakeHttpApi implements AutoCloseable {
    protected static final ObjectMapper JSON = new ObjectMapper();

    /** An answer to send: status, headers, body. */
    public record Reply(int status, Map<String, String> headers, String body) {
        public static Reply json(int status, Object body) {
            try {
                return new Reply(status, Map.of("Content-Type", "application/json"),
                        body instanceof String s ? s : JSON.writeValueAsString(body));
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, h, body);
        }
    }

    /** How a route answers a request that passed authentication and faults. */
    @FunctionalInterface
    protected interface Route {
        Reply answer(RecordedRequest request) throws Exception;
    }

    private final HttpServer server;
    private final Map<String, Route> routes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Route> prefixes = new java.util.concurrent.ConcurrentSkipListMap<>(
            java.util.Comparator.comparing(String::length).reversed().thenComparing(java.util.Comparator.naturalOrder()));
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Deque<Reply> faults = new ArrayDeque<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile long delayMillis;

    protected FakeHttpApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Adds a route for POSTs to exactly {@code path} (no query). Call from the subclass constructor. */
    protected final void post(String path, Route route) {
        routes.put("POST " + path, route);
    }

    /** Adds a route for GETs to exactly {@code path} (no query). */
    protected final void get(String path, Route route) {
        routes.put("GET " + path, route);
    }

    /** Adds a route for any method (PUT, DELETE, HEAD, ...) to exactly {@code path}. */
    protected final void route(String method, String path, Route route) {
        routes.put(method + " " + path, route);
    }

    /**
     * Adds a route for every path starting with {@code prefix} (for APIs with ids in the path);
     * exact routes win over prefixes, longer prefixes over shorter ones.
     */
    protected final void prefix(String method, String prefix, Route route) {
        prefixes.put(method + " " + prefix, route);
    }

    /** True when the request carries valid credentials for this fake. */
    protected abstract boolean authorized(RecordedRequest request);

    /** The provider's answer to a request without valid credentials. */
    protected abstract Reply unauthorized();

    /** {@code http://127.0.0.1:port} (no trailing slash). */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every request so far, oldest first. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public RecordedRequest lastRequest() {
        if (requests.isEmpty()) throw new IllegalStateException("no request received");
        return requests.getLast();
    }

    public void clearRequests() {
        requests.clear();
    }

    /** The next requests get these answers, in order, before normal service resumes. */
    public synchronized void failNext(Reply... replies) {
        faults.addAll(List.of(replies));
    }

    /** Each answer waits this long first (to observe concurrency and timeouts). */
    public void delayEachAnswer(long millis) {
        delayMillis = millis;
    }

    /** The most requests that were being answered at the same moment. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    public long count(Predicate<RecordedRequest> which) {
        return requests.stream().filter(which).count();
    }

    private Route routeFor(RecordedRequest request) {
        String key = request.method() + " " + request.path();
        Route exact = routes.get(key);
        if (exact != null) return exact;
        for (Map.Entry<String, Route> e : prefixes.entrySet()) {
            if (key.startsWith(e.getKey())) return e.getValue();
        }
        return null;
    }

    private synchronized Optional<Reply> nextFault() {
        return Optional.ofNullable(faults.pollFirst());
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        boolean counted = true;
        try {
            RecordedRequest request = record(exchange);
            requests.add(request);
            if (delayMillis > 0) Thread.sleep(delayMillis);
            Reply reply;
            Route route = routeFor(request);
            if (route == null) {
                reply = Reply.json(404, Map.of("error", Map.of("message", "No route " + request.method() + " "
                        + request.path())));
            } else if (!authorized(request)) {
                reply = unauthorized();
            } else {
                Optional<Reply> fault = nextFault();
                reply = fault.isPresent() ? fault.get() : route.answer(request);
            }
            // No longer in flight once the answer goes out: the client may send its next request at once.
            inFlight.decrementAndGet();
            counted = false;
            send(exchange, reply);
        } catch (Exception e) {
            if (counted) {
                inFlight.decrementAndGet();
                counted = false;
            }
            send(exchange, Reply.json(500, Map.of("error", Map.of("message", "fake failed: " + e))));
        } finally {
            if (counted) inFlight.decrementAndGet();
            exchange.close();
        }
    }

    private static RecordedRequest record(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
        JsonNode json;
        try {
            json = body.length == 0 ? MissingNode.getInstance() : JSON.readTree(body);
            if (json == null) json = MissingNode.getInstance();
        } catch (IOException notJson) {
            json = MissingNode.getInstance();
        }
        URI uri = exchange.getRequestURI();
        return new RecordedRequest(exchange.getRequestMethod(), uri.getRawPath(), Optional.ofNullable(uri.getRawQuery()),
                headers, body, json);
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
