package io.catchment.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.parser.apache.tika.ApacheTikaDocumentParser;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.catchment.embed.EmbeddingModel.InputType;
import io.catchment.embed.LocalMiniLmModel;
import io.catchment.ingest.chunk.ChunkingOptions;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ingestion throughput: a generated corpus ({@link Corpus}) uploaded through the HTTP API of an
 * in-process Catchment until every file is READY, with the local model and with
 * {@code skip_embedding_generation}; the same corpus through a LangChain4j pipeline (Tika parser,
 * recursive splitter with the same cl100k token sizes, the same quantized all-MiniLM-L6-v2,
 * InMemoryEmbeddingStore); and the model alone on each side's chunks, so that pipeline efficiency
 * = pipeline chunks/s ÷ model-alone chunks/s. The Catchment run with the model is profiled with
 * JFR unless {@code --no-profile}.
 *
 * <p>Usage: {@code IngestionBench --quick|--full [--files N] [--uploaders U] [--sections
 * catchment,skip,langchain4j,raw] [--no-profile] [--raw-chunks C]}, normally through {@code bench/run};
 * quick: 60 files, the model alone on 48 chunks of each side; full: 1,000 files and 400 chunks. Tables on
 * stdout, progress on stderr; nothing here asserts on timings.
 */
public final class IngestionBench {
    static final long SEED = 1000;

    private IngestionBench() {}

    record Config(String mode, int files, int uploaders, List<String> sections, boolean profile, int rawChunks) {
        static Config parse(String[] args) {
            String mode = "quick";
            Integer files = null;
            int uploaders = 4;
            List<String> sections = List.of("catchment", "skip", "langchain4j", "raw");
            boolean profile = true;
            Integer rawChunks = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> mode = "quick";
                    case "--full" -> mode = "full";
                    case "--files" -> files = Integer.parseInt(args[++i]);
                    case "--uploaders" -> uploaders = Integer.parseInt(args[++i]);
                    case "--sections" -> sections = Arrays.asList(args[++i].split(","));
                    case "--no-profile" -> profile = false;
                    case "--raw-chunks" -> rawChunks = Integer.parseInt(args[++i]);
                    default -> throw new IllegalArgumentException("Unknown argument " + args[i]
                            + " (use --quick or --full, optionally --files N --uploaders U"
                            + " --sections catchment,skip,langchain4j,raw --no-profile --raw-chunks C)");
                }
            }
            boolean full = mode.equals("full");
            return new Config(mode, files != null ? files : full ? 1000 : 60, uploaders, sections, profile,
                    rawChunks != null ? rawChunks : full ? 400 : 48);
        }
    }

    /** What one Catchment run produced. */
    record CatchmentRun(String label, int files, int ready, int failed, long chunks, long tokens, double uploadSeconds,
                        double totalSeconds, List<String> chunkTexts, String profile, String load) {}

    record Lc4jRun(int files, int segments, long tokens, double parseSeconds, double splitEmbedStoreSeconds,
                   double totalSeconds, List<TextSegment> segmentList, String load) {}

    record RawRun(String label, int chunks, double seconds, String load) {}

    public static void main(String[] args) throws Exception {
        Config config = Config.parse(args);
        long start = System.nanoTime();
        SearchBench.progress("ingestion: generating %,d files ...", config.files());
        long g0 = System.nanoTime();
        List<Corpus.File> corpus = new Corpus(SEED).generate(config.files());
        SearchBench.progress("ingestion: corpus generated in %.1f s", SearchBench.seconds(System.nanoTime() - g0));
        printCorpus(config, corpus);

        CatchmentRun withModel = null;
        CatchmentRun skip = null;
        Lc4jRun lc4j = null;
        RawRun rawCatchment = null;
        RawRun rawLc4j = null;
        if (config.sections().contains("catchment")) {
            withModel = catchment(corpus, config, false, config.profile());
        }
        if (config.sections().contains("skip")) {
            skip = catchment(corpus, config, true, false);
        }
        if (config.sections().contains("langchain4j")) {
            lc4j = langchain4j(corpus);
        }
        if (config.sections().contains("raw")) {
            // The model alone on (the first N of) each side's own chunks: a rate, so a sample is enough.
            if (withModel != null) rawCatchment = rawCatchment(first(withModel.chunkTexts(), config.rawChunks()));
            if (lc4j != null) rawLc4j = rawLangchain4j(first(lc4j.segmentList(), config.rawChunks()));
        }
        printResults(withModel, skip, lc4j, rawCatchment, rawLc4j);
        SearchBench.progress("ingestion: done in %.1f s", SearchBench.seconds(System.nanoTime() - start));
        System.out.flush();
        System.exit(0);
    }

    private static <T> List<T> first(List<T> list, int n) {
        return list.subList(0, Math.min(n, list.size()));
    }

    private static CatchmentRun catchment(List<Corpus.File> corpus, Config config, boolean skipEmbedding,
                                          boolean profile) throws Exception {
        String label = skipEmbedding ? "Catchment, skip_embedding_generation" : "Catchment, local model";
        try (LoadSampler load = new LoadSampler(); BenchServer server = BenchServer.start(c -> c)) {
            Http user = server.customer("Bench", "bench-user");
            // The first upload loads the model and Tika; keep that out of the timing with one warm-up file.
            warmUp(server, user, skipEmbedding);
            Profile profiler = profile ? new Profile() : null;
            SearchBench.progress("%s: uploading %,d files with %d uploaders ...", label, corpus.size(), config.uploaders());
            long t0 = System.nanoTime();
            String query = "/uploadfile?chunk_size=" + ChunkingOptions.DEFAULT_CHUNK_SIZE + "&chunk_overlap="
                    + ChunkingOptions.DEFAULT_CHUNK_OVERLAP + (skipEmbedding ? "&skip_embedding_generation=true" : "");
            AtomicInteger next = new AtomicInteger();
            try (ExecutorService pool = Executors.newFixedThreadPool(config.uploaders())) {
                List<Future<?>> jobs = new ArrayList<>();
                for (int u = 0; u < config.uploaders(); u++) {
                    jobs.add(pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < corpus.size(); i = next.getAndIncrement()) {
                            Corpus.File f = corpus.get(i);
                            user.upload(query, f.name(), f.content()).ok();
                        }
                        return null;
                    }));
                }
                for (Future<?> j : jobs) j.get();
            }
            double uploadSeconds = SearchBench.seconds(System.nanoTime() - t0);
            SearchBench.progress("%s: uploaded in %.1f s; waiting for READY ...", label, uploadSeconds);
            int target = corpus.size() + 1; // + the warm-up file
            int ready;
            int failed;
            long lastReport = System.nanoTime();
            while (true) {
                ready = count(user, "READY");
                failed = count(user, "SYNC_ERROR");
                if (ready + failed >= target) break;
                if (System.nanoTime() - lastReport > 10e9) {
                    SearchBench.progress("%s: %,d READY, %,d SYNC_ERROR of %,d after %.0f s", label, ready, failed, target,
                            SearchBench.seconds(System.nanoTime() - t0));
                    lastReport = System.nanoTime();
                }
                Thread.sleep(200);
            }
            double total = SearchBench.seconds(System.nanoTime() - t0);
            String summary = profiler == null ? null : profiler.stopAndSummarise(15);
            if (profiler != null) profiler.close();
            SearchBench.progress("%s: all %,d files done in %.1f s (%,d SYNC_ERROR)", label, target, total, failed);
            var jdbi = server.catchment.database().jdbi();
            long chunks = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM file_chunks WHERE file_id > 1")
                    .mapTo(Long.class).one());
            long tokens = jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(tokens), 0) FROM file_chunks WHERE file_id > 1")
                    .mapTo(Long.class).one());
            List<String> texts = skipEmbedding ? List.of() : jdbi.withHandle(h -> h.createQuery(
                    "SELECT content FROM file_chunks WHERE file_id > 1 ORDER BY file_id, chunk_index").mapTo(String.class).list());
            if (failed > 0) {
                JsonNode errors = user.post("/user_files_v2", Map.of("filters", Map.of("sync_statuses", List.of("SYNC_ERROR")),
                        "pagination", Map.of("limit", 3))).ok().json();
                for (JsonNode f : errors.get("results")) {
                    SearchBench.progress("%s: SYNC_ERROR %s: %s", label, f.get("name").asText(), f.get("sync_error_message").asText());
                }
            }
            return new CatchmentRun(label, corpus.size(), ready - 1, failed, chunks, tokens, uploadSeconds, total, texts,
                    summary, load.summary());
        }
    }

    private static void warmUp(BenchServer server, Http user, boolean skip) throws InterruptedException {
        user.upload("/uploadfile" + (skip ? "?skip_embedding_generation=true" : ""), "warm-up.md",
                "# Warm up\n\nThe first file loads the parser and the model.".getBytes()).ok();
        while (count(user, "READY") + count(user, "SYNC_ERROR") < 1) Thread.sleep(100);
    }

    private static int count(Http user, String status) {
        return user.post("/user_files_v2", Map.of("filters", Map.of("sync_statuses", List.of(status)),
                "pagination", Map.of("limit", 1))).ok().json().get("count").asInt();
    }

    /** cl100k_base token counts for LangChain4j's splitter: the tokenizer Catchment's chunker uses. */
    static final class Cl100kEstimator implements TokenCountEstimator {
        private final Encoding cl100k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

        @Override
        public int estimateTokenCountInText(String text) {
            return cl100k.countTokensOrdinary(text);
        }

        @Override
        public int estimateTokenCountInMessage(ChatMessage message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
            throw new UnsupportedOperationException();
        }
    }

    private static Lc4jRun langchain4j(List<Corpus.File> corpus) throws Exception {
        try (LoadSampler load = new LoadSampler()) {
            var parser = new ApacheTikaDocumentParser();
            Cl100kEstimator tokens = new Cl100kEstimator();
            DocumentSplitter splitter = DocumentSplitters.recursive(ChunkingOptions.DEFAULT_CHUNK_SIZE,
                    ChunkingOptions.DEFAULT_CHUNK_OVERLAP, tokens);
            var model = new AllMiniLmL6V2QuantizedEmbeddingModel();
            InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
            // Warm up as the Catchment runs do: load Tika and the model with one small document.
            Document warm = parser.parse(new ByteArrayInputStream("# Warm up\n\nLoads the parser and the model.".getBytes()));
            model.embedAll(splitter.split(warm));
            SearchBench.progress("LangChain4j: parsing, splitting, embedding %,d files ...", corpus.size());
            long t0 = System.nanoTime();
            long parseNs = 0;
            List<TextSegment> all = new ArrayList<>();
            for (Corpus.File f : corpus) {
                long p0 = System.nanoTime();
                Document doc;
                try {
                    doc = parser.parse(new ByteArrayInputStream(f.content()));
                } catch (RuntimeException e) {
                    SearchBench.progress("LangChain4j: %s not parsed: %s", f.name(), e);
                    continue;
                }
                parseNs += System.nanoTime() - p0;
                List<TextSegment> segments = splitter.split(doc);
                if (segments.isEmpty()) continue;
                // One embedAll per file, as EmbeddingStoreIngestor does per ingest() call.
                List<Embedding> vectors = model.embedAll(segments).content();
                store.addAll(vectors, segments);
                all.addAll(segments);
            }
            double total = SearchBench.seconds(System.nanoTime() - t0);
            long tokenCount = all.stream().mapToLong(s -> tokens.estimateTokenCountInText(s.text())).sum();
            SearchBench.progress("LangChain4j: %,d segments in %.1f s", all.size(), total);
            return new Lc4jRun(corpus.size(), all.size(), tokenCount, SearchBench.seconds(parseNs),
                    total - SearchBench.seconds(parseNs), total, all, load.summary());
        }
    }

    private static RawRun rawCatchment(List<String> chunks) throws Exception {
        try (LoadSampler load = new LoadSampler()) {
            LocalMiniLmModel model = new LocalMiniLmModel();
            model.warmUp();
            model.embed(chunks.subList(0, Math.min(8, chunks.size())), InputType.DOCUMENT);
            SearchBench.progress("model alone (LocalMiniLmModel): %,d Catchment chunks ...", chunks.size());
            long t0 = System.nanoTime();
            for (int i = 0; i < chunks.size(); i += LocalMiniLmModel.MAX_BATCH) {
                model.embed(chunks.subList(i, Math.min(chunks.size(), i + LocalMiniLmModel.MAX_BATCH)), InputType.DOCUMENT);
            }
            double s = SearchBench.seconds(System.nanoTime() - t0);
            return new RawRun("`LocalMiniLmModel.embed` (Catchment's wrapper: 80-word windows, pooled), batches of "
                    + LocalMiniLmModel.MAX_BATCH + ", on Catchment's chunks", chunks.size(), s, load.summary());
        }
    }

    private static RawRun rawLangchain4j(List<TextSegment> segments) {
        try (LoadSampler load = new LoadSampler()) {
            var model = new AllMiniLmL6V2QuantizedEmbeddingModel();
            model.embedAll(segments.subList(0, Math.min(8, segments.size())));
            SearchBench.progress("model alone (langchain4j): %,d LangChain4j segments ...", segments.size());
            long t0 = System.nanoTime();
            for (int i = 0; i < segments.size(); i += 16) {
                model.embedAll(segments.subList(i, Math.min(segments.size(), i + 16)));
            }
            double s = SearchBench.seconds(System.nanoTime() - t0);
            return new RawRun("`AllMiniLmL6V2QuantizedEmbeddingModel.embedAll`, batches of 16, on LangChain4j's segments",
                    segments.size(), s, load.summary());
        }
    }

    private static void printCorpus(Config config, List<Corpus.File> corpus) {
        Map<String, long[]> byFormat = new LinkedHashMap<>();
        for (String f : Corpus.FORMATS) byFormat.put(f, new long[3]);
        for (Corpus.File f : corpus) {
            long[] s = byFormat.get(f.format());
            s[0]++;
            s[1] += f.content().length;
            s[2] = Math.max(s[2], f.content().length);
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "## Ingestion: %s mode (%,d files)%n%n", config.mode(), corpus.size()));
        out.append(String.format(Locale.ROOT, "- Corpus: generated in code (seed %d), %d uploaders in parallel, Catchment's"
                + " defaults (chunk_size %d, chunk_overlap %d cl100k tokens), server defaults otherwise (2 job workers, H2,"
                + " Lucene). Machine: %d cores, Java %s.%n%n", SEED, config.uploaders(), ChunkingOptions.DEFAULT_CHUNK_SIZE,
                ChunkingOptions.DEFAULT_CHUNK_OVERLAP, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        out.append("| Format | Files | MB | mean KB | max KB |\n|---|---:|---:|---:|---:|\n");
        long files = 0;
        long bytes = 0;
        for (var e : byFormat.entrySet()) {
            long[] s = e.getValue();
            if (s[0] == 0) continue;
            files += s[0];
            bytes += s[1];
            out.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.1f |%n", e.getKey(), s[0], s[1] / 1e6,
                    s[1] / 1e3 / s[0], s[2] / 1e3));
        }
        out.append(String.format(Locale.ROOT, "| all | %,d | %.1f | %.1f | |%n%n", files, bytes / 1e6, bytes / 1e3 / files));
        System.out.print(out);
        System.out.flush();
    }

    private static void printResults(CatchmentRun model, CatchmentRun skip, Lc4jRun lc4j, RawRun rawC, RawRun rawL) {
        StringBuilder out = new StringBuilder();
        out.append("### Pipelines (upload → READY, or parse → store)\n\n");
        out.append("| Pipeline | Files | Chunks | cl100k tokens per chunk | Seconds | Files/s | Chunks/s | vs LangChain4j (chunks/s) |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        double lc4jRate = lc4j == null ? Double.NaN : lc4j.segments() / lc4j.totalSeconds();
        for (CatchmentRun r : new CatchmentRun[] {model, skip}) {
            if (r == null) continue;
            out.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,.0f | %.1f | %.1f | %.1f | %s |%n", r.label(), r.files(),
                    r.chunks(), (double) r.tokens() / Math.max(1, r.chunks()), r.totalSeconds(), r.files() / r.totalSeconds(),
                    r.chunks() / r.totalSeconds(), r == model && lc4j != null
                            ? String.format(Locale.ROOT, "%.2f×", (r.chunks() / r.totalSeconds()) / lc4jRate) : "n/a"));
        }
        if (lc4j != null) {
            out.append(String.format(Locale.ROOT, "| LangChain4j (Tika parser, recursive splitter, same model, in-memory store) | %,d"
                    + " | %,d | %,.0f | %.1f | %.1f | %.1f | 1.00× |%n", lc4j.files(), lc4j.segments(),
                    (double) lc4j.tokens() / Math.max(1, lc4j.segments()), lc4j.totalSeconds(), lc4j.files() / lc4j.totalSeconds(),
                    lc4jRate));
        }
        out.append('\n');
        if (model != null && lc4j != null) {
            out.append(String.format(Locale.ROOT, "- Files/s, Catchment (local model) ÷ LangChain4j: **%.2f×**.%n",
                    (model.files() / model.totalSeconds()) / (lc4j.files() / lc4j.totalSeconds())));
        }
        if (model != null && lc4j != null) {
            out.append("- Not the same work per chunk: LangChain4j's all-MiniLM-L6-v2 reads only the first 128 word-pieces"
                    + " of each segment (its tokenizer truncates), about a tenth of a 1,000-token chunk; Catchment's"
                    + " `LocalMiniLmModel` embeds the whole chunk as 80-word windows and pools them (about 10–14 model runs"
                    + " per chunk of this size). Compare the skip_embedding_generation row with LangChain4j's parse time for the"
                    + " parse-and-chunk part alone.\n");
        }
        if (model != null && skip != null) {
            out.append(String.format(Locale.ROOT, "- Catchment with the model ÷ skip_embedding_generation (files/s): %.2f×"
                    + " (embedding's share of the wall time ≈ %.0f%%).%n", skip.totalSeconds() / model.totalSeconds(),
                    100 * (1 - skip.totalSeconds() / model.totalSeconds())));
        }
        for (CatchmentRun r : new CatchmentRun[] {model, skip}) {
            if (r == null) continue;
            out.append(String.format(Locale.ROOT, "- %s: uploads (%d files) took %.1f s of the %.1f s; %d SYNC_ERROR. %s%n",
                    r.label(), r.files(), r.uploadSeconds(), r.totalSeconds(), r.failed(), r.load()));
        }
        if (lc4j != null) {
            out.append(String.format(Locale.ROOT, "- LangChain4j: parsing %.1f s, splitting + embedding + storing %.1f s (one"
                    + " thread calling; the model spreads each call over the cores). %s%n", lc4j.parseSeconds(),
                    lc4j.splitEmbedStoreSeconds(), lc4j.load()));
        }
        out.append('\n');
        if (rawC != null || rawL != null) {
            out.append("### The model alone on the same chunks, and pipeline efficiency\n\n");
            out.append("| Model call | Chunks | Seconds | Chunks/s | Pipeline chunks/s | Pipeline efficiency |\n|---|---:|---:|---:|---:|---:|\n");
            if (rawC != null) {
                double pipe = model.chunks() / model.totalSeconds();
                out.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.1f (Catchment) | **%.0f%%** |%n", rawC.label(),
                        rawC.chunks(), rawC.seconds(), rawC.chunks() / rawC.seconds(), pipe, 100 * pipe / (rawC.chunks() / rawC.seconds())));
            }
            if (rawL != null) {
                double pipe = lc4j.segments() / lc4j.totalSeconds();
                out.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.1f (LangChain4j) | **%.0f%%** |%n", rawL.label(),
                        rawL.chunks(), rawL.seconds(), rawL.chunks() / rawL.seconds(), pipe, 100 * pipe / (rawL.chunks() / rawL.seconds())));
            }
            out.append('\n');
            if (rawC != null) out.append("- ").append(rawC.load()).append('\n');
            if (rawL != null) out.append("- ").append(rawL.load()).append('\n');
            out.append('\n');
        }
        if (model != null && model.profile() != null) {
            out.append("### Profile of the Catchment ingestion (local model)\n\n").append(model.profile());
        }
        System.out.print(out);
        System.out.flush();
    }
}
