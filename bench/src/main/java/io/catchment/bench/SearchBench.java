package io.catchment.bench;

import io.catchment.bench.Dataset.Query;
import io.catchment.search.ChunkHit;
import io.catchment.search.ChunkIndex;
import io.catchment.search.ChunkQuery;
import io.catchment.search.Retrieval;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Search benchmark over the {@link ChunkIndex} SPI: loads the same synthetic chunks into each
 * backend (Lucene in a temporary directory, pgvector in a fresh database of a throwaway
 * PostgreSQL) and times single-threaded queries. Prints markdown on stdout, progress on stderr.
 *
 * <p>Usage: {@code SearchBench --quick|--full [--chunks N] [--queries Q] [--warmup W]
 * [--load-threads T] [--backends lucene,pgvector,inmemory]}. Use {@code bench/run}, which passes the JVM
 * flags Lucene needs.
 *
 * <p>This is a measuring program, not a test: it asserts nothing about timings. It does fail
 * loudly if a backend loses chunks, since the numbers would then mean nothing.
 */
public final class SearchBench {
    /** The bundled local model's name and size: it has an HNSW index in the pgvector schema. */
    static final String MODEL = "ALL_MINILM_L6_V2";
    static final int DIMENSIONS = 384;
    static final int CUSTOMERS = 10;
    static final int CHUNKS_PER_FILE = 10;
    static final int CENTROIDS = 2_000;
    static final float NOISE = 0.03f;
    static final long SEED = 42;
    static final int K = 10;

    private SearchBench() {}

    /** What one run does. */
    record Config(String mode, int chunks, int queries, int warmup, int loadThreads, List<String> backends,
                  int crossChecks) {
        static Config parse(String[] args) {
            String mode = null;
            Integer chunks = null;
            Integer queries = null;
            Integer warmup = null;
            int loadThreads = 4;
            List<String> backends = List.of("lucene", "pgvector", "inmemory");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> mode = "quick";
                    case "--full" -> mode = "full";
                    case "--chunks" -> chunks = Integer.parseInt(args[++i]);
                    case "--queries" -> queries = Integer.parseInt(args[++i]);
                    case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                    case "--load-threads" -> loadThreads = Integer.parseInt(args[++i]);
                    case "--backends" -> backends = List.of(args[++i].split(","));
                    default -> throw new IllegalArgumentException("Unknown argument " + args[i]
                            + " (use --quick or --full, optionally --chunks N --queries Q --warmup W"
                            + " --load-threads T --backends lucene,pgvector,inmemory)");
                }
            }
            if (mode == null) mode = "quick";
            boolean full = mode.equals("full");
            int n = chunks != null ? chunks : full ? 100_000 : 10_000;
            int q = queries != null ? queries : full ? 1_000 : 100;
            int w = warmup != null ? warmup : full ? 200 : 25;
            return new Config(mode, n, q, w, loadThreads, backends, Math.min(20, q));
        }
    }

    /** The four kinds of query timed on every backend. */
    enum Kind {
        SEMANTIC("(a) semantic, one customer"),
        FILTERED("(b) semantic, one customer, half its files"),
        HYBRID("(c) hybrid 0.5/0.5, one customer"),
        KEYWORD("keyword only, one customer");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        boolean hasExact() {
            return this != KEYWORD;
        }
    }

    record KindResult(Kind kind, Stats approximate, Stats exact, double recall, List<Set<String>> exactKeys) {}

    public static void main(String[] args) throws Exception {
        Config config = Config.parse(args);
        long start = System.nanoTime();
        progress("generating %,d chunks ...", config.chunks());
        Dataset data = new Dataset(config.chunks(), DIMENSIONS, CUSTOMERS, CHUNKS_PER_FILE, CENTROIDS, NOISE, SEED);
        List<Query> queries = data.queries(config.queries(), SEED + 1);
        List<Query> warmups = data.queries(config.warmup(), SEED + 2);

        printSetup(config, data);
        for (String name : config.backends()) {
            if (name.equals("inmemory")) {
                InMemoryBaseline.run(config, data, queries, warmups);
                continue;
            }
            try (LoadSampler load = new LoadSampler(); Backend backend = Backend.open(name)) {
                runBackend(config, data, queries, warmups, backend, load);
            } catch (UnsupportedOperationException e) {
                System.out.printf("### %s%n%nNot measured: the backend is not implemented yet (%s).%n%n", name, e.getMessage());
                progress("%s: not implemented (%s)", name, e);
            }
        }
        progress("done in %.1f s", seconds(System.nanoTime() - start));
        System.out.flush();
        System.exit(0); // the PostgreSQL harness stops its server in a shutdown hook
    }

    private static void runBackend(Config config, Dataset data, List<Query> queries, List<Query> warmups, Backend backend,
                                   LoadSampler load) throws Exception {
        ChunkIndex index = backend.index();
        progress("%s: loading %,d chunks with %d threads ...", backend.title(), data.size, config.loadThreads());
        long cpu0 = processCpuNanos();
        long loadNs = load(index, data, config.loadThreads());
        long loadCpuNs = processCpuNanos() - cpu0;
        progress("%s: loaded in %.1f s (benchmark JVM CPU %.1f s)", backend.title(), seconds(loadNs), seconds(loadCpuNs));
        int expected = data.chunksPerFile;
        for (long f : new long[] {1, data.fileCount() / 2, data.fileCount()}) {
            int count = index.countForFile(f);
            if (count != expected) throw new IllegalStateException(backend.title() + " holds " + count + " chunks of file " + f);
        }
        List<String> notes = new ArrayList<>(backend.afterLoad());

        progress("%s: warm-up (%d queries per kind) ...", backend.title(), warmups.size());
        for (Kind kind : Kind.values()) {
            for (Query q : warmups) {
                index.search(query(kind, q, false));
                if (kind.hasExact()) index.search(query(kind, q, true));
            }
        }
        List<KindResult> results = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            progress("%s: %s (%d queries) ...", backend.title(), kind.label, queries.size());
            results.add(measure(index, kind, queries));
        }
        notes.addAll(backend.explain(query(Kind.SEMANTIC, queries.get(0), false),
                query(Kind.FILTERED, queries.get(0), false), query(Kind.SEMANTIC, queries.get(0), true)));
        String crossCheck = crossCheck(data, queries, results, config.crossChecks());
        notes.add(load.summary());
        printBackend(config, data, backend, loadNs, loadCpuNs, results, notes, crossCheck);
    }

    /** CPU time of this JVM (all threads), or -1 when the platform does not say. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean sun
                ? sun.getProcessCpuTime() : -1;
    }

    /**
     * Loads every file with {@code threads} concurrent writers (as ingestion workers would); returns the wall time.
     * Reports each tenth of the files on stderr with the rate since the last report (large loads take an hour).
     */
    private static long load(ChunkIndex index, Dataset data, int threads) throws Exception {
        long t0 = System.nanoTime();
        long tenth = Math.max(1, data.fileCount() / 10);
        AtomicLong loaded = new AtomicLong();
        AtomicLong lastReport = new AtomicLong(t0);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>(data.fileCount());
            for (long f = 1; f <= data.fileCount(); f++) {
                long file = f;
                done.add(pool.submit(() -> {
                    index.replaceFile(file, data.file(file, MODEL));
                    long n = loaded.incrementAndGet();
                    if (n % tenth == 0) {
                        long now = System.nanoTime();
                        long since = now - lastReport.getAndSet(now);
                        progress("  %,d of %,d chunks after %.0f s (last tenth: %.0f chunks/s)", n * data.chunksPerFile,
                                data.size, seconds(now - t0), tenth * data.chunksPerFile / seconds(since));
                    }
                }));
            }
            for (Future<?> future : done) {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    throw e;
                }
            }
        }
        return System.nanoTime() - t0;
    }

    static ChunkQuery query(Kind kind, Query q, boolean exact) {
        Retrieval retrieval = switch (kind) {
            case SEMANTIC, FILTERED -> new Retrieval.Semantic();
            case HYBRID -> new Retrieval.Hybrid(0.5, 0.5);
            case KEYWORD -> new Retrieval.Keyword();
        };
        Optional<float[]> vector = kind == Kind.KEYWORD ? Optional.empty() : Optional.of(q.vector());
        Optional<String> text = kind == Kind.HYBRID || kind == Kind.KEYWORD ? Optional.of(q.text()) : Optional.empty();
        Optional<Set<Long>> files = kind == Kind.FILTERED ? Optional.of(q.halfOfFiles()) : Optional.empty();
        return new ChunkQuery(Dataset.ORGANIZATION, q.customer(), MODEL, vector, text, retrieval, K, files, exact);
    }

    /** Times every query approximately, then exactly (the ground truth), one at a time. */
    private static KindResult measure(ChunkIndex index, Kind kind, List<Query> queries) {
        long[] approxNs = new long[queries.size()];
        List<Set<String>> approxKeys = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            ChunkQuery query = query(kind, queries.get(i), false);
            long t0 = System.nanoTime();
            List<ChunkHit> hits = index.search(query);
            approxNs[i] = System.nanoTime() - t0;
            approxKeys.add(keys(hits));
        }
        if (!kind.hasExact()) return new KindResult(kind, new Stats(approxNs), null, Double.NaN, List.of());
        long[] exactNs = new long[queries.size()];
        List<Set<String>> exactKeys = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            ChunkQuery query = query(kind, queries.get(i), true);
            long t0 = System.nanoTime();
            List<ChunkHit> hits = index.search(query);
            exactNs[i] = System.nanoTime() - t0;
            exactKeys.add(keys(hits));
        }
        double recall = 0;
        int counted = 0;
        for (int i = 0; i < queries.size(); i++) {
            Set<String> truth = exactKeys.get(i);
            if (truth.isEmpty()) continue;
            Set<String> found = new HashSet<>(approxKeys.get(i));
            found.retainAll(truth);
            recall += (double) found.size() / truth.size();
            counted++;
        }
        return new KindResult(kind, new Stats(approxNs), new Stats(exactNs), counted == 0 ? Double.NaN : recall / counted,
                exactKeys);
    }

    private static Set<String> keys(List<ChunkHit> hits) {
        Set<String> keys = new HashSet<>();
        for (ChunkHit hit : hits) keys.add(hit.fileId() + ":" + hit.chunkIndex());
        return keys;
    }

    /** Checks the backend's exact=true answers (the ground truth above) against a brute force in Java. */
    private static String crossCheck(Dataset data, List<Query> queries, List<KindResult> results, int count) {
        int identical = 0;
        int total = 0;
        double recall = 0;
        for (KindResult result : results) {
            if (result.kind() != Kind.SEMANTIC && result.kind() != Kind.FILTERED) continue;
            for (int i = 0; i < count; i++) {
                Query q = queries.get(i);
                Set<String> truth = bruteForce(data, q, result.kind() == Kind.FILTERED ? q.halfOfFiles() : null);
                Set<String> exact = result.exactKeys().get(i);
                Set<String> both = new HashSet<>(exact);
                both.retainAll(truth);
                recall += (double) both.size() / truth.size();
                if (exact.equals(truth)) identical++;
                total++;
            }
        }
        return String.format(Locale.ROOT, "exact=true against a brute force in Java on %d queries ((a) and (b), %d each):"
                + " %d/%d top-10 sets identical, recall %.3f.", total, count, identical, total, recall / total);
    }

    private static Set<String> bruteForce(Dataset data, Query q, Set<Long> files) {
        record Scored(int chunk, double score) {}
        PriorityQueue<Scored> top = new PriorityQueue<>((a, b) -> Double.compare(a.score(), b.score()));
        for (int i = 0; i < data.size; i++) {
            if (data.customerOf(i) != q.customer()) continue;
            if (files != null && !files.contains(data.fileOf(i))) continue;
            double dot = 0;
            float[] v = data.vectors[i];
            for (int d = 0; d < v.length; d++) dot += (double) v[d] * q.vector()[d];
            top.add(new Scored(i, dot));
            if (top.size() > K) top.poll();
        }
        Set<String> keys = new HashSet<>();
        for (Scored s : top) keys.add(data.fileOf(s.chunk()) + ":" + data.chunkIndexOf(s.chunk()));
        return keys;
    }

    private static void printSetup(Config config, Dataset data) {
        long perCustomer = data.size / CUSTOMERS;
        long filesPerCustomer = data.fileCount() / CUSTOMERS;
        var os = ManagementFactory.getOperatingSystemMXBean();
        String memory = os instanceof com.sun.management.OperatingSystemMXBean sun
                ? String.format(Locale.ROOT, "%.0f GiB RAM", sun.getTotalMemorySize() / (1024.0 * 1024 * 1024)) : "RAM unknown";
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "## Search: %s mode (%,d chunks, %,d queries per kind)%n%n", config.mode(),
                data.size, config.queries()));
        out.append(String.format(Locale.ROOT, "- Data: %,d chunks of %d-d unit vectors (%,d random centroids + Gaussian noise"
                + " σ=%.2f per component, normalised; seed %d) with 10-word texts from a 3,000-word vocabulary"
                + " (3 topic words of the chunk's centroid + 7 Zipf-distributed common words).%n",
                data.size, DIMENSIONS, CENTROIDS, NOISE, SEED));
        out.append(String.format(Locale.ROOT, "- Tenancy: one organization, %d customers of %,d chunks each; files of %d chunks"
                + " (%,d files per customer); embedding model %s.%n", CUSTOMERS, perCustomer, CHUNKS_PER_FILE,
                filesPerCustomer, MODEL));
        out.append(String.format(Locale.ROOT, "- Load: one `replaceFile` per file from %d threads (as concurrent ingestion"
                + " workers would); each call is durable and visible when it returns.%n", config.loadThreads()));
        out.append(String.format(Locale.ROOT, "- Queries: %,d per kind after %,d warm-up queries per kind, k=%d, one at a time on"
                + " one thread; latency is the wall time of `ChunkIndex.search`. Each query targets one customer;"
                + " (b) also passes `fileIds` with a random half of that customer's files (%,d ids, like a resolved tags_v2"
                + " filter); (c) and the keyword row use 2 topic words + 1 common word of the query's cluster.%n",
                config.queries(), config.warmup(), K, filesPerCustomer / 2));
        out.append("- recall@10: overlap of the approximate top 10 with `exact=true` on the same backend (for hybrid: with"
                + " the exact semantic side fused with the same keyword side). \"exact\" columns time those exact queries.\n");
        out.append(String.format(Locale.ROOT, "- Machine: %d cores, %s; Java %s (%s), `--add-modules jdk.incubator.vector`.%n%n",
                Runtime.getRuntime().availableProcessors(), memory, System.getProperty("java.version"),
                System.getProperty("java.vm.name")));
        System.out.print(out);
        System.out.flush();
    }

    private static void printBackend(Config config, Dataset data, Backend backend, long loadNs, long loadCpuNs,
                                     List<KindResult> results,
                                     List<String> notes, String crossCheck) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "### %s, %s (%,d chunks)%n%n", backend.title(), config.mode(), data.size));
        out.append(String.format(Locale.ROOT, "Load: %,d chunks in %.1f s = **%,.0f chunks/s** (%,d `replaceFile` calls of %d"
                + " chunks, %d threads; the benchmark JVM used %.1f s of CPU meanwhile%s).%n%n", data.size, seconds(loadNs),
                data.size / seconds(loadNs), data.fileCount(), CHUNKS_PER_FILE, config.loadThreads(), seconds(loadCpuNs),
                backend.cpuNote()));
        out.append("| Query (k=10) | p50 ms | p95 ms | p99 ms | mean ms | recall@10 | exact p50 ms | exact p95 ms | exact p99 ms |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (KindResult r : results) {
            Stats a = r.approximate();
            Stats e = r.exact();
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", r.kind().label,
                    ms(a.percentile(50)), ms(a.percentile(95)), ms(a.percentile(99)), ms(a.mean()),
                    Double.isNaN(r.recall()) ? "n/a" : String.format(Locale.ROOT, "%.3f", r.recall()),
                    e == null ? "n/a" : ms(e.percentile(50)), e == null ? "n/a" : ms(e.percentile(95)),
                    e == null ? "n/a" : ms(e.percentile(99))));
        }
        out.append('\n');
        out.append("- ").append(crossCheck).append('\n');
        for (String note : notes) out.append("- ").append(note).append('\n');
        out.append('\n');
        System.out.print(out);
        System.out.flush();
    }

    private static String ms(double nanos) {
        double millis = nanos / 1e6;
        return String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.1f", millis);
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
        System.err.flush();
    }
}
