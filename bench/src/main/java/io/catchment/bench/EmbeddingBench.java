package io.catchment.bench;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.catchment.embed.EmbeddingModel.InputType;
import io.catchment.embed.LocalMiniLmModel;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Throughput of the local embedding model (all-MiniLM-L6-v2) on ~256-token chunks at several batch
 * sizes, so that the server's batch size can be chosen from measured figures. Prints markdown on
 * stdout, progress on stderr.
 *
 * <p>Two ways of calling the model are timed, each on one calling thread:
 * <ul>
 *   <li><b>raw</b>: langchain4j's model, int8-quantized and full precision, through
 *       {@code embedAll(List<TextSegment>)} with lists of the batch size. This is the model's own
 *       speed. Its tokenizer truncates each text to 128 word-pieces, so it reads only about the
 *       first half of a 256-token chunk.
 *   <li><b>catchment</b>: {@link LocalMiniLmModel#embed} with lists of the batch size, as the
 *       ingestion pipeline calls it. It cuts each chunk into 80-word windows (about three for
 *       a 256-token chunk), embeds every window and pools them. So it does about three model runs
 *       for each chunk, and the table reports windows as well as chunks.
 * </ul>
 *
 * <p>Each (model, batch size) cell is warmed up, then timed in {@code rounds} rounds of
 * {@code chunks} chunks each. The rounds of the different batch sizes take turns, so a change in
 * machine load affects every batch size rather than one. The spread of the per-round rates shows
 * how much noise there is.
 *
 * <p>Usage: {@code EmbeddingBench --quick|--full [--chunks N] [--rounds R] [--warmup W]
 * [--batches 1,16,64] [--sections raw-quantized,raw-full,catchment]}; normally through
 * {@code bench/run}. This program measures and asserts nothing about timings. It does fail if a
 * model returns the wrong number or shape of vectors, because the figures would then mean nothing.
 */
public final class EmbeddingBench {
    static final long SEED = 256;
    static final int TARGET_TOKENS = 256;
    static final int DIMENSIONS = 384;
    /**
     * The same as {@code LocalMiniLmModel.WORDS_PER_WINDOW}, which is package-private. It is used
     * here only to count windows for the report. If the two differ, the windows column is wrong,
     * but the timings are not.
     */
    static final int WORDS_PER_WINDOW = 80;

    private EmbeddingBench() {}

    /** The parts of the benchmark that can be run. */
    enum Section {
        RAW_QUANTIZED("raw-quantized", "quantized (int8)"),
        RAW_FULL("raw-full", "full precision (fp32)"),
        CATCHMENT("catchment", "quantized (int8)");

        final String flag;
        final String model;

        Section(String flag, String model) {
            this.flag = flag;
            this.model = model;
        }

        static Section of(String flag) {
            for (Section s : values()) if (s.flag.equals(flag)) return s;
            throw new IllegalArgumentException("Unknown section " + flag + " (raw-quantized, raw-full, catchment)");
        }
    }

    /** What one run does. */
    record Config(String mode, int chunks, int rounds, int warmup, List<Integer> batches, List<Section> sections) {
        static Config parse(String[] args) {
            String mode = "quick";
            Integer chunks = null;
            Integer warmup = null;
            int rounds = 3;
            List<Integer> batches = List.of(1, 16, 64);
            List<Section> sections = List.of(Section.values());
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> mode = "quick";
                    case "--full" -> mode = "full";
                    case "--chunks" -> chunks = positive(args[i], args[++i]);
                    case "--rounds" -> rounds = positive(args[i], args[++i]);
                    case "--warmup" -> warmup = positive(args[i], args[++i]);
                    case "--batches" -> batches = Arrays.stream(args[++i].split(",")).map(b -> positive("--batches", b)).toList();
                    case "--sections" -> sections = Arrays.stream(args[++i].split(",")).map(Section::of).toList();
                    default -> throw new IllegalArgumentException("Unknown argument " + args[i]
                            + " (use --quick or --full, optionally --chunks N --rounds R --warmup W --batches 1,16,64"
                            + " --sections raw-quantized,raw-full,catchment)");
                }
            }
            boolean full = mode.equals("full");
            return new Config(mode, chunks != null ? chunks : full ? 1024 : 64, rounds,
                    warmup != null ? warmup : full ? 128 : 16, batches, sections);
        }

        private static int positive(String flag, String value) {
            int n = Integer.parseInt(value.strip());
            if (n < 1) throw new IllegalArgumentException(flag + " must be at least 1, was " + n);
            return n;
        }
    }

    /** Embeds one batch, checking the output; the number of model inputs comes from the chunk list. */
    @FunctionalInterface
    interface Embedder {
        void embed(List<String> batch) throws Exception;
    }

    /** The figures of one (model, batch size) cell, summed over its rounds. */
    record Cell(int batch, int chunks, int windows, int calls, long wallNanos, long cpuNanos, double minRate,
                double maxRate) {
        double seconds() {
            return wallNanos / 1e9;
        }

        double chunksPerSecond() {
            return chunks / seconds();
        }

        double windowsPerSecond() {
            return windows / seconds();
        }

        double millisPerCall() {
            return wallNanos / 1e6 / calls;
        }

        /** CPU seconds this JVM used per wall second: how many cores the cell kept busy. */
        double coresBusy() {
            return cpuNanos < 0 ? Double.NaN : (double) cpuNanos / wallNanos;
        }
    }

    /** The cells of one section, with the system load seen while it ran. */
    record Result(Section section, List<Cell> cells, double meanLoad, double maxLoad, double loadSeconds) {}

    public static void main(String[] args) throws Exception {
        Config config = Config.parse(args);
        keepDjlOffline();
        long start = System.nanoTime();
        progress("generating %,d + %,d chunks of about %d cl100k tokens ...", config.chunks(), config.warmup(), TARGET_TOKENS);
        ProseChunks generator = new ProseChunks(SEED, TARGET_TOKENS);
        List<String> chunks = generator.next(config.chunks());
        List<String> warmup = generator.next(config.warmup());
        printSetup(config, chunks, generator);

        List<Result> results = new ArrayList<>();
        for (Section section : config.sections()) {
            results.add(switch (section) {
                case RAW_QUANTIZED -> measureRaw(section, AllMiniLmL6V2QuantizedEmbeddingModel::new, chunks, warmup, config);
                case RAW_FULL -> measureRaw(section, AllMiniLmL6V2EmbeddingModel::new, chunks, warmup, config);
                case CATCHMENT -> measureCatchment(section, chunks, warmup, config);
            });
        }
        printRaw(results.stream().filter(r -> r.section() != Section.CATCHMENT).toList());
        results.stream().filter(r -> r.section() == Section.CATCHMENT).findFirst().ifPresent(EmbeddingBench::printCatchment);
        progress("done in %.1f s", (System.nanoTime() - start) / 1e9);
        System.out.flush();
    }

    private static Result measureRaw(Section section, Supplier<EmbeddingModel> factory,
                                     List<String> chunks, List<String> warmup, Config config) throws Exception {
        progress("%s: loading the model ...", section.flag);
        long t0 = System.nanoTime();
        EmbeddingModel model = factory.get();
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        Embedder embedder = batch -> {
            List<TextSegment> segments = batch.stream().map(TextSegment::from).toList();
            List<Embedding> vectors = model.embedAll(segments).content();
            check(vectors.size() == batch.size(), section + " returned " + vectors.size() + " vectors for " + batch.size());
            for (Embedding e : vectors) check(e.dimension() == DIMENSIONS, section + " returned " + e.dimension() + " dimensions");
        };
        // One model run per text: the tokenizer truncates, so no chunk is windowed here.
        return measure(section, embedder, chunks, warmup, config, text -> 1, loadSeconds);
    }

    private static Result measureCatchment(Section section, List<String> chunks, List<String> warmup, Config config)
            throws Exception {
        progress("%s: loading the model ...", section.flag);
        long t0 = System.nanoTime();
        LocalMiniLmModel model = new LocalMiniLmModel();
        model.warmUp();
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        Embedder embedder = batch -> {
            List<float[]> vectors = model.embed(batch, InputType.DOCUMENT);
            check(vectors.size() == batch.size(), "LocalMiniLmModel returned " + vectors.size() + " vectors for " + batch.size());
            for (float[] v : vectors) check(v.length == DIMENSIONS, "LocalMiniLmModel returned " + v.length + " dimensions");
        };
        return measure(section, embedder, chunks, warmup, config, EmbeddingBench::windows, loadSeconds);
    }

    /** Warms every batch size up, then times the rounds, taking turns between batch sizes. */
    private static Result measure(Section section, Embedder embedder, List<String> chunks, List<String> warmup,
                                  Config config, ToIntFunction<String> windowsOf, double loadSeconds)
            throws Exception {
        List<Integer> batches = config.batches();
        for (int batch : batches) {
            progress("%s: warm-up at batch %d (%d chunks) ...", section.flag, batch, warmup.size());
            runAll(embedder, warmup, batch);
        }
        int windowsPerPass = chunks.stream().mapToInt(windowsOf).sum();
        int n = batches.size();
        long[][] wall = new long[n][config.rounds()];
        long[][] cpu = new long[n][config.rounds()];
        double loadSum = 0;
        double loadMax = 0;
        int loadSamples = 0;
        for (int round = 0; round < config.rounds(); round++) {
            for (int k = 0; k < n; k++) {
                // Rotate the starting batch size each round so none always runs first or last.
                int i = (k + round) % n;
                long cpu0 = processCpuNanos();
                wall[i][round] = runAll(embedder, chunks, batches.get(i));
                long cpu1 = processCpuNanos();
                cpu[i][round] = cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0;
                double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                if (load >= 0) {
                    loadSum += load;
                    loadMax = Math.max(loadMax, load);
                    loadSamples++;
                }
                progress("%s: round %d/%d, batch %d: %.1f chunks/s", section.flag, round + 1, config.rounds(),
                        batches.get(i), chunks.size() / (wall[i][round] / 1e9));
            }
        }
        List<Cell> cells = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int batch = batches.get(i);
            long wallSum = Arrays.stream(wall[i]).sum();
            long cpuSum = Arrays.stream(cpu[i]).anyMatch(c -> c < 0) ? -1 : Arrays.stream(cpu[i]).sum();
            double min = Double.MAX_VALUE;
            double max = 0;
            for (long ns : wall[i]) {
                double rate = chunks.size() / (ns / 1e9);
                min = Math.min(min, rate);
                max = Math.max(max, rate);
            }
            int callsPerPass = (chunks.size() + batch - 1) / batch;
            cells.add(new Cell(batch, chunks.size() * config.rounds(), windowsPerPass * config.rounds(),
                    callsPerPass * config.rounds(), wallSum, cpuSum, min, max));
        }
        return new Result(section, cells, loadSamples == 0 ? Double.NaN : loadSum / loadSamples,
                loadSamples == 0 ? Double.NaN : loadMax, loadSeconds);
    }

    /** Embeds all {@code chunks} in consecutive lists of {@code batch}; returns the wall time. */
    private static long runAll(Embedder embedder, List<String> chunks, int batch) throws Exception {
        long t0 = System.nanoTime();
        for (int from = 0; from < chunks.size(); from += batch) {
            embedder.embed(chunks.subList(from, Math.min(chunks.size(), from + batch)));
        }
        return System.nanoTime() - t0;
    }

    /** How many windows LocalMiniLmModel cuts {@code text} into (see {@link #WORDS_PER_WINDOW}). */
    static int windows(String text) {
        int words = text.strip().split("\\s+").length;
        return Math.max(1, (words + WORDS_PER_WINDOW - 1) / WORDS_PER_WINDOW);
    }

    private static void printSetup(Config config, List<String> chunks, ProseChunks generator) {
        int[] tokens = chunks.stream().mapToInt(generator::tokens).toArray();
        double words = chunks.stream().mapToInt(c -> c.split("\\s+").length).average().orElse(0);
        double windows = chunks.stream().mapToInt(EmbeddingBench::windows).average().orElse(0);
        var os = ManagementFactory.getOperatingSystemMXBean();
        String memory = os instanceof com.sun.management.OperatingSystemMXBean sun
                ? String.format(Locale.ROOT, "%.0f GiB RAM", sun.getTotalMemorySize() / (1024.0 * 1024 * 1024)) : "RAM unknown";
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "## Local embedding model throughput: %s mode%n%n", config.mode()));
        out.append(String.format(Locale.ROOT, "- Chunks: %,d distinct English-like chunks (seed %d) of %d–%d cl100k_base"
                + " tokens (mean %.1f), %.0f words on average, so %.2f windows of %d words each in LocalMiniLmModel.%n",
                chunks.size(), SEED, Arrays.stream(tokens).min().orElse(0), Arrays.stream(tokens).max().orElse(0),
                Arrays.stream(tokens).average().orElse(0), words, windows, WORDS_PER_WINDOW));
        out.append(String.format(Locale.ROOT, "- Timing: each cell is timed in %d rounds of %,d chunks, after a warm-up of"
                + " %,d chunks at every batch size. Rounds take turns between batch sizes. \"Range\" is the lowest and"
                + " highest per-round rate. \"Cores busy\" is this JVM's CPU time divided by the wall time.%n",
                config.rounds(), chunks.size(), config.warmup()));
        out.append(String.format(Locale.ROOT, "- Machine: %d cores, %s; Java %s (%s).%n%n",
                Runtime.getRuntime().availableProcessors(), memory, System.getProperty("java.version"),
                System.getProperty("java.vm.name")));
        System.out.print(out);
        System.out.flush();
    }

    private static void printRaw(List<Result> results) {
        if (results.isEmpty()) return;
        StringBuilder out = new StringBuilder();
        out.append("### (a) langchain4j model alone: `embedAll` on one calling thread\n\n");
        out.append("langchain4j runs the texts of one `embedAll` call one by one, spread over its pool of one thread per"
                + " core. Its tokenizer truncates each chunk to 128 word-pieces, so each chunk is one model run of about"
                + " 128 word-pieces.\n\n");
        out.append("| Model | Batch | Chunks | Seconds | Embeddings/s | Range | ms per call | Cores busy | vs batch 1 |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            double base = baseRate(r);
            for (Cell c : r.cells()) {
                out.append(String.format(Locale.ROOT, "| %s | %d | %,d | %.1f | %.1f | %.1f–%.1f | %s | %.2f | %.2f× |%n",
                        r.section().model, c.batch(), c.chunks(), c.seconds(), c.chunksPerSecond(), c.minRate(),
                        c.maxRate(), millis(c.millisPerCall()), c.coresBusy(), c.chunksPerSecond() / base));
            }
        }
        out.append('\n');
        for (Result r : results) out.append("- ").append(notes(r)).append('\n');
        out.append('\n');
        System.out.print(out);
        System.out.flush();
    }

    private static void printCatchment(Result r) {
        StringBuilder out = new StringBuilder();
        out.append("### (b) Catchment's `LocalMiniLmModel.embed(texts, DOCUMENT)`, as the server calls it\n\n");
        out.append(String.format(Locale.ROOT, "Batch is the number of chunks in each `embed` call. Their windows go to the"
                + " model %d at a time (`LocalMiniLmModel.MAX_BATCH`), spread over its pool of one thread per core."
                + " Embeddings/s counts chunk vectors; each is pooled from about three window vectors.%n%n",
                LocalMiniLmModel.MAX_BATCH));
        out.append("| Model | Batch | Chunks | Windows | Seconds | Embeddings/s | Windows/s | Range | ms per call | Cores busy"
                + " | vs batch 1 |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double base = baseRate(r);
        for (Cell c : r.cells()) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %,d | %,d | %.1f | %.1f | %.1f | %.1f–%.1f | %s | %.2f | %.2f× |%n",
                    r.section().model, c.batch(), c.chunks(), c.windows(), c.seconds(), c.chunksPerSecond(),
                    c.windowsPerSecond(), c.minRate(), c.maxRate(), millis(c.millisPerCall()), c.coresBusy(),
                    c.chunksPerSecond() / base));
        }
        out.append('\n').append("- ").append(notes(r)).append("\n\n");
        System.out.print(out);
        System.out.flush();
    }

    /** The rate at batch size 1, or at the first batch size measured if 1 was not. */
    private static double baseRate(Result r) {
        return r.cells().stream().filter(c -> c.batch() == 1).findFirst().orElse(r.cells().getFirst()).chunksPerSecond();
    }

    private static String notes(Result r) {
        // langchain4j loads each model once per JVM, so after raw-quantized the catchment "load" is ~0 s.
        return String.format(Locale.ROOT, "%s, %s: model ready in %.1f s; system 1-minute load average after each"
                + " round: mean %.1f, max %.1f (%d cores).", r.section().flag, r.section().model, r.loadSeconds(),
                r.meanLoad(), r.maxLoad(), Runtime.getRuntime().availableProcessors());
    }

    private static String millis(double ms) {
        return String.format(Locale.ROOT, ms < 10 ? "%.2f" : ms < 1000 ? "%.1f" : "%.0f", ms);
    }

    /** CPU time of this JVM (all threads, including ONNX's native ones), or -1 when the platform does not say. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean sun
                ? sun.getProcessCpuTime() : -1;
    }

    /**
     * DJL (langchain4j's tokenizer library) would otherwise send telemetry and probe the EC2
     * metadata address when the raw models load, before LocalMiniLmModel could turn that off. These
     * are the same settings LocalMiniLmModel uses, and an explicit setting still wins.
     */
    private static void keepDjlOffline() {
        if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) throw new IllegalStateException(message);
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
        System.err.flush();
    }
}
