package io.catchment.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.embed.EmbeddingModel.InputType;
import io.catchment.embed.LocalMiniLmModel;
import io.catchment.json.Json;
import io.catchment.search.ChunkHit;
import io.catchment.search.ChunkQuery;
import io.catchment.search.Fusion;
import io.catchment.search.IndexedChunk;
import io.catchment.search.LuceneChunkIndex;
import io.catchment.search.Retrieval;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retrieval quality on the hand-written labelled corpus in {@code src/test/resources/retrieval}
 * (see the README there): every document embedded with the real local model and indexed in a real
 * {@link LuceneChunkIndex}, every query run semantic-only, keyword-only and hybrid (the server's
 * default weights), scored by MRR@10 and recall@10, and the figures printed. The checks: every
 * mode far above chance (so a broken embedding, analyzer or fusion fails), hybrid at least as good
 * as semantic and as keyword, the approximate vector search as good as exhaustive search at this
 * size, and hybrid exactly the shared {@link Fusion} of the two sides.
 */
class RetrievalQualityTest {
    private static final String RESOURCES = "/retrieval/";
    private static final long ORG = 1;
    private static final long CUSTOMER = 1;
    private static final String MODEL = LocalMiniLmModel.NAME;
    private static final int K = 10;
    /** Chance MRR@10 with one relevant document among 220 is about 0.013; a working mode is far above. */
    private static final double FLOOR = 0.3;
    /** Writers indexing at once: concurrent replaceFile calls share commits, as ingestion workers do. */
    private static final int WRITERS = 8;
    /** Semantic weights of the diagnostic sweep (keyword weight = 1 - it); printed, not asserted. */
    private static final double[] SWEEP = {0.3, 0.5, 0.6, 0.7, 0.8, 0.9};
    /** Candidates per side of the diagnostic sweep at 0.5/0.5 (hybrid itself takes Fusion.candidates(10) = 50). */
    private static final int[] SWEEP_CANDIDATES = {10, 20};

    private static final Mode SEMANTIC = new Mode("semantic", new Retrieval.Semantic(), false);
    private static final Mode SEMANTIC_EXACT = new Mode("semantic exact", new Retrieval.Semantic(), true);
    private static final Mode KEYWORD = new Mode("keyword", new Retrieval.Keyword(), false);
    private static final Mode HYBRID = new Mode("hybrid default 0.75/0.25", Retrieval.Hybrid.DEFAULT, false);
    private static final Mode HYBRID_EXACT = new Mode("hybrid default, exact", Retrieval.Hybrid.DEFAULT, true);
    private static final List<Mode> MODES = List.of(SEMANTIC, SEMANTIC_EXACT, KEYWORD, HYBRID, HYBRID_EXACT);

    @TempDir
    static Path dir;

    private static List<Doc> docs;
    private static List<LabelledQuery> queries;
    private static final Map<Mode, Figures> figures = new LinkedHashMap<>();
    /** Per query: the hybrid result's file ids, and the file ids Fusion makes of the two sides' candidates. */
    private static final List<List<Long>> hybridFiles = new ArrayList<>();
    private static final List<List<Long>> fusedFiles = new ArrayList<>();

    record Doc(String id, String topic, String title, String text) {
        String chunkText() {
            return title + "\n" + text;
        }
    }

    record LabelledQuery(String text, String type, Set<String> relevant) {}

    /** One retrieval setup to measure. */
    record Mode(String name, Retrieval retrieval, boolean exact) {}

    /** Per query: the 1-based rank of the first relevant document in the top 10 (0 if none), and relevant found. */
    record Outcome(int firstRelevantRank, int relevantFound, int relevantTotal) {
        double reciprocalRank() {
            return firstRelevantRank == 0 ? 0 : 1.0 / firstRelevantRank;
        }

        double recall() {
            return (double) relevantFound / relevantTotal;
        }
    }

    record Figures(double mrr, double recall) {
        static Figures of(List<Outcome> outcomes) {
            double mrr = outcomes.stream().mapToDouble(Outcome::reciprocalRank).average().orElse(0);
            double recall = outcomes.stream().mapToDouble(Outcome::recall).average().orElse(0);
            return new Figures(mrr, recall);
        }
    }

    /** Embeds, indexes and runs every query in every mode once; the tests check the figures. */
    @BeforeAll
    static void measure() throws Exception {
        docs = readLines("corpus.jsonl").stream().map(RetrievalQualityTest::doc).toList();
        queries = readLines("queries.jsonl").stream().map(RetrievalQualityTest::query).toList();
        Set<String> ids = new LinkedHashSet<>();
        docs.forEach(d -> assertThat(ids.add(d.id())).as("duplicate id %s", d.id()).isTrue());
        queries.forEach(q -> assertThat(ids).as("labels of %s", q.text()).containsAll(q.relevant()));

        LocalMiniLmModel model = new LocalMiniLmModel();
        long started = System.nanoTime();
        List<float[]> docVectors = model.embed(docs.stream().map(Doc::chunkText).toList(), InputType.DOCUMENT);
        List<float[]> queryVectors = model.embed(queries.stream().map(LabelledQuery::text).toList(), InputType.QUERY);
        long embedded = System.nanoTime();

        Map<Mode, List<Outcome>> outcomes = new LinkedHashMap<>();
        Map<String, List<Outcome>> sweep = new LinkedHashMap<>();
        long indexed;
        try (var index = new LuceneChunkIndex(dir.resolve("index"))) {
            indexAll(index, docVectors);
            indexed = System.nanoTime();
            for (Mode mode : MODES) {
                List<Outcome> perQuery = new ArrayList<>();
                for (int q = 0; q < queries.size(); q++) {
                    List<ChunkHit> hits = search(index, q, queryVectors.get(q), mode.retrieval(), K, mode.exact());
                    assertThat(hits).as("%s hits for %s", mode.name(), queries.get(q).text()).hasSizeLessThanOrEqualTo(K);
                    perQuery.add(outcome(hits, queries.get(q).relevant()));
                    if (mode == HYBRID) hybridFiles.add(fileIds(hits));
                }
                outcomes.put(mode, perQuery);
            }
            // The two sides' candidate lists, as hybrid fetches them, fused here with several weights.
            int candidates = Fusion.candidates(K);
            for (int q = 0; q < queries.size(); q++) {
                List<ChunkHit> semanticSide = search(index, q, queryVectors.get(q), new Retrieval.Semantic(), candidates, false);
                List<ChunkHit> keywordSide = search(index, q, queryVectors.get(q), new Retrieval.Keyword(), candidates, false);
                fusedFiles.add(fileIds(Fusion.fuse(semanticSide, keywordSide, Retrieval.Hybrid.DEFAULT.semanticWeight(), Retrieval.Hybrid.DEFAULT.keywordWeight(), K)));
                for (double w : SWEEP) {
                    sweep.computeIfAbsent(String.format(Locale.ROOT, "fused %.1f/%.1f", w, 1 - w), x -> new ArrayList<>())
                            .add(outcome(Fusion.fuse(semanticSide, keywordSide, w, 1 - w, K), queries.get(q).relevant()));
                }
                for (int n : SWEEP_CANDIDATES) {
                    sweep.computeIfAbsent("fused 0.5/0.5, " + n + " candidates", x -> new ArrayList<>()).add(outcome(
                            Fusion.fuse(top(semanticSide, n), top(keywordSide, n), 0.5, 0.5, K),
                            queries.get(q).relevant()));
                }
            }
        }
        long searched = System.nanoTime();

        outcomes.forEach((mode, list) -> figures.put(mode, Figures.of(list)));
        print(outcomes, sweep, embedded - started, indexed - embedded, searched - indexed);
    }

    @Test
    void everyModeIsFarAboveChance() {
        figures.forEach((mode, f) -> {
            assertThat(f.mrr()).as("MRR@10 of %s", mode.name()).isGreaterThan(FLOOR);
            assertThat(f.recall()).as("recall@10 of %s", mode.name()).isGreaterThan(FLOOR);
        });
    }

    @Test
    void hybridIsAtLeastAsGoodAsKeyword() {
        assertThat(figures.get(HYBRID).mrr()).as("hybrid vs keyword MRR@10")
                .isGreaterThanOrEqualTo(figures.get(KEYWORD).mrr());
    }

    /**
     * History: with reciprocal-rank fusion at 0.5/0.5 this failed (hybrid 0.861 against semantic
     * 0.950): documents found deep in both candidate lists outranked the best semantic answer of a
     * paraphrase. Fusion now combines normalised scores, and the default weights lean on meaning
     * (0.75/0.25); the printed sweep shows every weight.
     */
    @Test
    void hybridIsAtLeastAsGoodAsSemantic() {
        assertThat(figures.get(HYBRID).mrr()).as("hybrid vs semantic MRR@10")
                .isGreaterThanOrEqualTo(figures.get(SEMANTIC).mrr());
    }

    @Test
    void approximateVectorSearchLosesNothingAtThisSize() {
        assertThat(figures.get(SEMANTIC)).as("approximate vs exact semantic").isEqualTo(figures.get(SEMANTIC_EXACT));
        assertThat(figures.get(HYBRID)).as("approximate vs exact hybrid").isEqualTo(figures.get(HYBRID_EXACT));
    }

    @Test
    void hybridIsTheSharedFusionOfBothSides() {
        assertThat(hybridFiles).as("hybrid results vs Fusion.fuse of the two candidate lists")
                .isEqualTo(fusedFiles);
    }

    /** Every document as its own file, written by several threads at once (they share commits). */
    private static void indexAll(LuceneChunkIndex index, List<float[]> vectors) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < docs.size(); i++) {
                long fileId = fileId(i);
                IndexedChunk chunk = new IndexedChunk(ORG, CUSTOMER, fileId, 0, docs.get(i).chunkText(),
                        Optional.of(MODEL), Optional.of(vectors.get(i)), Map.of());
                writes.add(writers.submit(() -> index.replaceFile(fileId, List.of(chunk))));
            }
            for (Future<?> write : writes) write.get();
        } finally {
            writers.shutdownNow();
        }
        assertThat(index.size()).isEqualTo(docs.size());
    }

    private static List<ChunkHit> search(LuceneChunkIndex index, int q, float[] vector, Retrieval retrieval, int k,
                                         boolean exact) {
        return index.search(new ChunkQuery(ORG, CUSTOMER, MODEL, Optional.of(vector),
                Optional.of(queries.get(q).text()), retrieval, k, Optional.empty(), exact));
    }

    /** Document n (0-based) is file n + 1. */
    private static long fileId(int docIndex) {
        return docIndex + 1;
    }

    private static String docId(long fileId) {
        return docs.get((int) fileId - 1).id();
    }

    private static List<ChunkHit> top(List<ChunkHit> hits, int n) {
        return hits.subList(0, Math.min(n, hits.size()));
    }

    private static List<Long> fileIds(List<ChunkHit> hits) {
        return hits.stream().map(ChunkHit::fileId).toList();
    }

    private static Outcome outcome(List<ChunkHit> hits, Set<String> relevant) {
        int first = 0;
        int found = 0;
        for (int i = 0; i < hits.size() && i < K; i++) {
            if (relevant.contains(docId(hits.get(i).fileId()))) {
                found++;
                if (first == 0) first = i + 1;
            }
        }
        return new Outcome(first, found, relevant.size());
    }

    private static void print(Map<Mode, List<Outcome>> outcomes, Map<String, List<Outcome>> sweep, long embedNanos,
                              long indexNanos, long searchNanos) {
        StringBuilder out = new StringBuilder();
        List<String> types = queries.stream().map(LabelledQuery::type).distinct().toList();
        out.append(String.format(Locale.ROOT, "%nRetrieval quality: %d documents, %d queries (%s), k=%d%n",
                docs.size(), queries.size(), countsByType(types), K));
        out.append(String.format(Locale.ROOT, "%-28s %8s %10s", "mode", "MRR@10", "recall@10"));
        for (String type : types) out.append(String.format(Locale.ROOT, " %16s", "MRR " + type));
        out.append('\n');
        outcomes.forEach((mode, list) -> row(out, mode.name(), list, types));
        out.append(String.format(Locale.ROOT, "Diagnostic, not asserted: the two sides' %d candidates fused with other"
                + " weights (semantic/keyword) or cut to fewer candidates%n", Fusion.candidates(K)));
        sweep.forEach((name, list) -> row(out, name, list, types));

        out.append(String.format(Locale.ROOT, "%nRank of the first relevant document per query (- = not in top %d):%n", K));
        out.append(String.format(Locale.ROOT, "%-10s", "type"));
        for (Mode mode : outcomes.keySet()) out.append(String.format(Locale.ROOT, " %6s", abbreviation(mode)));
        out.append("  query\n");
        for (int q = 0; q < queries.size(); q++) {
            out.append(String.format(Locale.ROOT, "%-10s", queries.get(q).type()));
            for (List<Outcome> list : outcomes.values()) {
                int rank = list.get(q).firstRelevantRank();
                out.append(String.format(Locale.ROOT, " %6s", rank == 0 ? "-" : Integer.toString(rank)));
            }
            out.append("  ").append(queries.get(q).text()).append('\n');
        }
        out.append(String.format(Locale.ROOT, "%nEmbedding %d texts: %d ms; indexing %d files: %d ms; searching: %d ms%n",
                docs.size() + queries.size(), embedNanos / 1_000_000, docs.size(), indexNanos / 1_000_000,
                searchNanos / 1_000_000));
        System.out.print(out);
        System.out.flush();
    }

    private static void row(StringBuilder out, String name, List<Outcome> list, List<String> types) {
        Figures all = Figures.of(list);
        out.append(String.format(Locale.ROOT, "%-28s %8.3f %10.3f", name, all.mrr(), all.recall()));
        for (String type : types) {
            List<Outcome> ofType = new ArrayList<>();
            for (int q = 0; q < queries.size(); q++) {
                if (queries.get(q).type().equals(type)) ofType.add(list.get(q));
            }
            out.append(String.format(Locale.ROOT, " %16.3f", Figures.of(ofType).mrr()));
        }
        out.append('\n');
    }

    private static String abbreviation(Mode mode) {
        return switch (mode.retrieval()) {
            case Retrieval.Semantic s -> mode.exact() ? "sem-x" : "sem";
            case Retrieval.Keyword k -> "kw";
            case Retrieval.Hybrid h -> mode.exact() ? "hyb-x" : "hyb";
        };
    }

    private static String countsByType(List<String> types) {
        List<String> parts = new ArrayList<>();
        for (String type : types) {
            parts.add(queries.stream().filter(q -> q.type().equals(type)).count() + " " + type);
        }
        return String.join(", ", parts);
    }

    private static Doc doc(JsonNode node) {
        return new Doc(node.get("id").asText(), node.path("topic").asText(""), node.get("title").asText(),
                node.get("text").asText());
    }

    private static LabelledQuery query(JsonNode node) {
        Set<String> relevant = new LinkedHashSet<>();
        node.get("relevant").forEach(id -> relevant.add(id.asText()));
        assertThat(relevant).as("relevant documents of %s", node).hasSizeBetween(1, 3);
        return new LabelledQuery(node.get("query").asText(), node.path("type").asText("untyped"), relevant);
    }

    private static List<JsonNode> readLines(String name) {
        List<JsonNode> nodes = new ArrayList<>();
        try (InputStream in = RetrievalQualityTest.class.getResourceAsStream(RESOURCES + name)) {
            assertThat(in).as("test resource %s", RESOURCES + name).isNotNull();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) nodes.add(Json.read(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return nodes;
    }
}
