package io.catchment.bench;

import io.catchment.bench.ApiServer.Memory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * API throughput and latency under concurrent clients, against a Catchment (H2, Lucene) in a JVM of
 * its own ({@link ApiServer}) whose one customer has N files: {@code /user_files_v2} (a default page,
 * and a page of 100) and {@code /integrations/oauth_url} (GOOGLE_DRIVE with a server OAuth app), with
 * {@code /health/live} as the baseline of the HTTP stack itself; plus the server process's memory at
 * rest and under load.
 *
 * <p>The listing calls walk pages 1-100 (offsets up to 9,900) rather than asking for the same page again
 * and again, so a database's reuse of an identical query's result cannot flatter them.
 *
 * <p>The files are one real upload (skip_embedding_generation) cloned in SQL through the
 * server's own database handle (batches of {@code INSERT ... SELECT} from the template row), so 100k
 * rows take seconds rather than the ~half hour 100k uploads would. Clients are virtual threads
 * sharing one {@code java.net.http.HttpClient}, each sending its next request when the last one
 * answered (closed loop). Rate limits are off (unlimited per key), as the server's per-key tiers
 * would otherwise cap one key at 3 requests/s on these endpoints (TIER_3, 180/min).
 *
 * <p>Usage: {@code ApiBench --quick|--full [--files N] [--clients C] [--seconds S] [--warmup W]
 * [--server-heap SIZE]} (the server's {@code -Xmx}; without it the server has this JVM's options); quick: 10k files, 2 s warm-up + 5 s per endpoint; full: 100k files, 10 s + 30 s. Tables on stdout, progress on stderr.
 */
public final class ApiBench {
    private ApiBench() {}

    record Config(String mode, int files, int clients, int seconds, int warmup, Optional<String> serverHeap) {
        static Config parse(String[] args) {
            String mode = "quick";
            Integer files = null;
            int clients = 50;
            Integer seconds = null;
            Integer warmup = null;
            Optional<String> serverHeap = Optional.empty();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> mode = "quick";
                    case "--full" -> mode = "full";
                    case "--files" -> files = Integer.parseInt(args[++i]);
                    case "--clients" -> clients = Integer.parseInt(args[++i]);
                    case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                    case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                    case "--server-heap" -> serverHeap = Optional.of(args[++i]);
                    default -> throw new IllegalArgumentException("Unknown argument " + args[i]
                            + " (use --quick or --full, optionally --files N --clients C --seconds S --warmup W"
                            + " --server-heap SIZE)");
                }
            }
            boolean full = mode.equals("full");
            return new Config(mode, files != null ? files : full ? 100_000 : 10_000, clients,
                    seconds != null ? seconds : full ? 30 : 5, warmup != null ? warmup : full ? 10 : 2, serverHeap);
        }
    }

    record Result(String name, long requests, long errors, double seconds, Stats latency, Memory peak, String load) {}

    public static void main(String[] args) throws Exception {
        Config config = Config.parse(args);
        long start = System.nanoTime();
        SearchBench.progress("api: starting the server process and storing %,d files ...", config.files());
        try (ApiServer.Handle server = ApiServer.Handle.start(config.files(), config.serverHeap())) {
            Http user = new Http(server.ready.baseUrl(), Map.of("authorization", "Bearer " + server.ready.apiKey(),
                    "customer-id", "bench-user"));
            int count = user.post("/user_files_v2", Map.of()).ok().json().get("count").asInt();
            SearchBench.progress("api: %,d files stored in %.1f s (the customer's count: %,d)", config.files(),
                    server.ready.insertSeconds(), count);
            Memory rest = server.memory(true);
            SearchBench.progress("api: server at rest: heap used after GC %.0f MB, RSS %.0f MB", rest.heapUsedMb(), rest.rssMb());

            List<Result> results = new ArrayList<>();
            // The calls cycle through pages 1-100 (one counter for all clients): consecutive calls ask different questions.
            AtomicLong calls = new AtomicLong();
            Supplier<Map<String, Object>> page10 = () -> Map.of("pagination",
                    Map.of("limit", 10, "offset", 10 * (calls.getAndIncrement() % 100)));
            Supplier<Map<String, Object>> page100 = () -> Map.of("pagination",
                    Map.of("limit", 100, "offset", 100 * (calls.getAndIncrement() % 100)), "order_by", "created_at",
                    "order_dir", "desc");
            results.add(load(config, server, "GET /health/live (baseline: the HTTP stack alone)", () -> user.get("/health/live")));
            results.add(load(config, server, "POST /user_files_v2, pages 1-100 of 10 files, default order (with count)",
                    () -> user.post("/user_files_v2", page10.get())));
            results.add(load(config, server, "POST /user_files_v2, pages 1-100 of 100 files, newest first (with count)",
                    () -> user.post("/user_files_v2", page100.get())));
            results.add(load(config, server, "POST /integrations/oauth_url (GOOGLE_DRIVE)",
                    () -> user.post("/integrations/oauth_url", Map.of("service", "GOOGLE_DRIVE"))));
            Memory after = server.memory(true);
            print(config, count, server.ready, rest, after, results);
        }
        SearchBench.progress("api: done in %.1f s", SearchBench.seconds(System.nanoTime() - start));
        System.out.flush();
        System.exit(0);
    }

    private static Result load(Config config, ApiServer.Handle server, String name, Supplier<Http.Reply> call) throws Exception {
        SearchBench.progress("api: %s: %d clients, %d s warm-up + %d s ...", name, config.clients(), config.warmup(), config.seconds());
        try (LoadSampler sampler = new LoadSampler()) {
            run(config.clients(), config.warmup(), call, null, null);
            ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
            AtomicLong errors = new AtomicLong();
            MemoryPeak peak = new MemoryPeak(server);
            long t0 = System.nanoTime();
            run(config.clients(), config.seconds(), call, samples, errors);
            double seconds = SearchBench.seconds(System.nanoTime() - t0);
            peak.stop();
            long[] all = samples.stream().flatMapToLong(java.util.Arrays::stream).toArray();
            Result r = new Result(name, all.length, errors.get(), seconds, new Stats(all), peak.peak(), sampler.summary());
            SearchBench.progress("api: %s: %.0f requests/s, p99 %.1f ms, %d errors", name, r.requests() / seconds,
                    r.latency().percentile(99) / 1e6, r.errors());
            return r;
        }
    }

    /** {@code clients} virtual threads in a closed loop for {@code seconds}; each keeps its own latency array. */
    private static void run(int clients, int seconds, Supplier<Http.Reply> call, ConcurrentLinkedQueue<long[]> samples,
                            AtomicLong errors) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                threads.submit(() -> {
                    long[] mine = new long[1024];
                    int n = 0;
                    while (System.nanoTime() < end) {
                        long s = System.nanoTime();
                        Http.Reply reply;
                        try {
                            reply = call.get();
                        } catch (RuntimeException e) {
                            if (errors != null) errors.incrementAndGet();
                            continue;
                        }
                        long d = System.nanoTime() - s;
                        if (reply.status() / 100 != 2) {
                            if (errors != null) errors.incrementAndGet();
                            continue;
                        }
                        if (n == mine.length) mine = java.util.Arrays.copyOf(mine, n * 2);
                        mine[n++] = d;
                    }
                    if (samples != null) samples.add(java.util.Arrays.copyOf(mine, n));
                    return null;
                });
            }
        }
    }

    /** Asks the server process for its heap used (without forcing GC) and RSS every 200 ms; keeps the maxima. */
    private static final class MemoryPeak {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile Memory peak = new Memory(0, 0, 0);

        MemoryPeak(ApiServer.Handle server) {
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (running) {
                    peak = peak.max(server.memory(false));
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
        }

        Memory peak() {
            return peak;
        }
    }

    private static void print(Config config, int count, ApiServer.Ready server, Memory rest, Memory after, List<Result> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "## API: %s mode (%,d files, %d concurrent clients)%n%n", config.mode(), count,
                config.clients()));
        out.append(String.format(Locale.ROOT, "- Server in a JVM of its own (H2, Lucene, server defaults, rate limits off; max"
                + " heap %.0f MB); %,d files of one customer, stored in %.1f s (one upload cloned in SQL). %d clients on virtual"
                + " threads in the benchmark's JVM, closed loop, one shared `java.net.http.HttpClient` (HTTP/1.1); %d s warm-up,"
                + " then %d s timed per endpoint. Machine: %d cores, Java %s.%n%n", server.maxHeapMb(), count,
                server.insertSeconds(), config.clients(), config.warmup(), config.seconds(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        out.append("| Endpoint | Requests | Errors | Requests/s | vs /health/live | p50 ms | p95 ms | p99 ms | peak heap used MB | peak RSS MB |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double base = results.getFirst().requests() / results.getFirst().seconds();
        for (Result r : results) {
            double rate = r.requests() / r.seconds();
            out.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,.0f | %.2f× | %s | %s | %s | %.0f | %.0f |%n", r.name(),
                    r.requests(), r.errors(), rate, rate / base, ms(r.latency().percentile(50)), ms(r.latency().percentile(95)),
                    ms(r.latency().percentile(99)), r.peak().heapUsedMb(), r.peak().rssMb()));
        }
        out.append('\n');
        out.append(String.format(Locale.ROOT, "- Memory of the server process: at rest, after GC,"
                + " heap used **%.0f MB** (committed %.0f MB), RSS **%.0f MB**; after the load runs, after GC, heap used %.0f MB,"
                + " RSS %.0f MB. Peaks under load are in the table (heap used sampled every 200 ms without forcing GC).%n",
                rest.heapUsedMb(), rest.heapCommittedMb(), rest.rssMb(), after.heapUsedMb(), after.rssMb()));
        for (Result r : results) out.append("- ").append(r.name()).append(": ").append(r.load()).append('\n');
        out.append('\n');
        System.out.print(out);
        System.out.flush();
    }

    private static String ms(double nanos) {
        double millis = nanos / 1e6;
        return String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.1f", millis);
    }
}
