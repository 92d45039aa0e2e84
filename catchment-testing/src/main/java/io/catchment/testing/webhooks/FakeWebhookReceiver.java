package io.catchment.testing.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A webhook endpoint on 127.0.0.1 for tests: a real HTTP server that records every request it
 * gets (headers and the exact body bytes, which signatures are checked against) and answers as
 * scripted: 200 by default, or scripted answers first ({@link #failNext}), or always one status
 * ({@link #alwaysAnswer}), optionally after a delay ({@link #answerAfter}) to provoke timeouts.
 * Thread-safe; close it after use.
 */
public final class FakeWebhookReceiver implements AutoCloseable {

    /** One request as received: method, path (with query), headers (names lower-cased), raw body. */
    public record Received(String method, String path, Map<String, List<String>> headers, byte[] body,
                           Instant receivedAt) {
        /** The first value of header {@code name} (any case). */
        public Optional<String> header(String name) {
            List<String> values = headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
            return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        /** The body as UTF-8 text. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer: a status, optional extra headers (e.g. {@code Location}), a body. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public static Answer status(int status) {
            return new Answer(status, Map.of(), status / 100 == 2 ? "ok" : "receiver says " + status);
        }

        public static Answer redirect(String location) {
            return new Answer(302, Map.of("Location", location), "");
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Answer> scripted = new ArrayDeque<>();
    private Answer usual = Answer.status(200);
    private volatile Duration delay = Duration.ZERO;

    public FakeWebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>/hooks/<name>}: the receiver answers on every path. */
    public String url(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/" + name;
    }

    /** The next requests get these answers, in order, before the usual answer resumes. */
    public synchronized FakeWebhookReceiver failNext(int count, int status) {
        for (int i = 0; i < count; i++) scripted.add(Answer.status(status));
        return this;
    }

    /** The next requests get these answers, in order. */
    public synchronized FakeWebhookReceiver answerNext(Answer... answers) {
        scripted.addAll(List.of(answers));
        return this;
    }

    /** Every request without a scripted answer gets this status from now on. */
    public synchronized FakeWebhookReceiver alwaysAnswer(int status) {
        usual = Answer.status(status);
        return this;
    }

    /** Each answer waits this long first (a slow receiver, to run into the sender's timeout). */
    public FakeWebhookReceiver answerAfter(Duration wait) {
        delay = wait;
        return this;
    }

    /** Every request so far, oldest first. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests sent to {@link #url url(name)}. */
    public List<Received> receivedAt(String name) {
        String path = "/hooks/" + name;
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /**
     * Waits until at least {@code count} requests have arrived (for tests whose sender runs in the
     * background), or fails after {@code limit}.
     */
    public List<Received> awaitRequests(int count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (received.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " webhook requests within " + limit + " but got "
                        + received.size());
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return received();
    }

    /** Waits until a request matching {@code which} has arrived and returns the first, or fails after {@code limit}. */
    public Received await(Predicate<Received> which, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Optional<Received> found = received.stream().filter(which).findFirst();
            if (found.isPresent()) return found.get();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching webhook request within " + limit + " among " + received.size());
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private synchronized Answer next() {
        Answer a = scripted.pollFirst();
        return a != null ? a : usual;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(headers), body, Instant.now()));
            Answer answer = next();
            Duration wait = delay;
            if (!wait.isZero()) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
