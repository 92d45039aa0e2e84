package io.catchment.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.catchment.embed.EmbeddingGenerator;
import io.catchment.store.Database;
import io.catchment.testsupport.DatabaseKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the PostgreSQL backend has: its migration, its HNSW indexes and query plans, SQL text handling. */
class PgvectorChunkIndexTest {
    private static final String MINILM = EmbeddingGenerator.ALL_MINILM_L6_V2.wireName();
    private static final int MINILM_DIMS = EmbeddingGenerator.ALL_MINILM_L6_V2.dimensions();
    private static final String LARGE = EmbeddingGenerator.OPENAI_ADA_LARGE_3072.wireName();
    private static final int LARGE_DIMS = EmbeddingGenerator.OPENAI_ADA_LARGE_3072.dimensions();

    @TempDir
    Path dir;

    private Database database;
    private PgvectorChunkIndex index;

    @BeforeEach
    void open() {
        database = Database.open(DatabaseKind.POSTGRESQL.settings(dir));
        index = new PgvectorChunkIndex(database);
    }

    @AfterEach
    void close() {
        if (index != null) index.close();
        if (database != null) database.close();
    }

    @Test
    void everyModelUpTo4000DimensionsHasAPartialHnswIndexOfItsOwn() {
        for (EmbeddingGenerator model : EmbeddingGenerator.values()) {
            String name = "chunk_index_hnsw_" + model.name().toLowerCase(Locale.ROOT);
            Optional<String> definition = database.jdbi().withHandle(h -> h.createQuery(
                            "SELECT indexdef FROM pg_indexes WHERE tablename = 'chunk_index' AND indexname = :name")
                    .bind("name", name).mapTo(String.class).findOne());
            if (model.dimensions() > PgHnswIndex.HALFVEC_LIMIT) {
                assertThat(definition).as(model + ": above every HNSW limit, searched exactly").isEmpty();
                assertThat(PgHnswIndex.of(model)).isEmpty();
                continue;
            }
            String type = model.dimensions() <= PgHnswIndex.VECTOR_LIMIT ? "vector" : "halfvec";
            assertThat(definition).as(model.name()).hasValueSatisfying(def -> assertThat(def)
                    .contains("USING hnsw", "::" + type + "(" + model.dimensions() + ")", type + "_ip_ops",
                            "embedding_model = '" + model.name() + "'::text", "vector_dims(embedding) = " + model.dimensions()));
            assertThat(PgHnswIndex.of(model)).hasValueSatisfying(index -> assertThat(index.name()).isEqualTo(name));
        }
    }

    @Test
    void approximateSemanticSearchUsesTheModelsHnswIndexAndExactSearchDoesNot() {
        BigCorpus big = BigCorpus.get();
        float[] query = Chunks.unitVector(MINILM_DIMS, 99);

        assertThat(big.index.explainSemantic(Queries.semantic(query).build()))
                .contains("Index Scan using chunk_index_hnsw_all_minilm_l6_v2", "hnsw.iterative_scan = relaxed_order",
                        "hnsw.ef_search = 100");
        // (Asked for 300 of 6000, the planner rightly prefers a scan and a sort.)
        assertThat(big.index.explainSemantic(Queries.semantic(query).k(300).build())).contains("hnsw.ef_search = 600");
        String exactPlan = big.index.explainSemantic(Queries.semantic(query).exact().build());
        assertThat(exactPlan).doesNotContain("chunk_index_hnsw").contains("hnsw.iterative_scan = off");

        List<ChunkHit> exactHits = big.index.search(Queries.semantic(query).k(10).exact().build());
        assertThat(keys(exactHits)).containsExactlyElementsOf(bruteForce(big.minilm, query, 10));
        List<ChunkHit> approxHits = big.index.search(Queries.semantic(query).k(10).build());
        assertThat(approxHits).hasSize(10).extracting(ChunkHit::score).isSortedAccordingTo(Comparator.reverseOrder());
        // Recall on queries like real ones: near a topic (a file's chunks share one).
        long found = 0;
        for (int q = 0; q < 20; q++) {
            float[] near = Chunks.near(BigCorpus.topic(q * 3 + 1), BigCorpus.SPREAD, 5000 + q);
            List<String> truth = bruteForce(big.minilm, near, 10);
            found += overlap(keys(big.index.search(Queries.semantic(near).k(10).build())), truth);
        }
        assertThat(found / 200.0).as("recall@10 of the graph").isGreaterThanOrEqualTo(0.9);
        // Filters never leave the result short (for a few files the planner may rather read them by
        // primary key and sort, which is exact).
        List<ChunkHit> fileHits = big.index.search(Queries.semantic(query).files(3L, 4L, 5L).k(20).build());
        assertThat(fileHits).hasSize(20).allSatisfy(hit -> assertThat(hit.fileId()).isBetween(3L, 5L));
        assertThat(fileHits).extracting(ChunkHit::score).isSortedAccordingTo(Comparator.reverseOrder());
    }

    @Test
    void aSmallTenantAmongABigOneStillGetsKNearest() {
        BigCorpus big = BigCorpus.get();
        float[] query = Chunks.unitVector(MINILM_DIMS, 5);

        List<ChunkHit> hits = big.index.search(Queries.semantic(query).tenant(2, 22).k(10).build());

        assertThat(keys(hits)).containsExactlyElementsOf(bruteForce(big.smallTenant, query, 10));
    }

    @Test
    void vectorsOf3072DimensionsAreIndexedAsHalfvecAndScoredAtFullPrecision() {
        BigCorpus big = BigCorpus.get();
        float[] query = Chunks.unitVector(LARGE_DIMS, 4321);

        assertThat(big.index.explainSemantic(Queries.semantic(query).model(LARGE).build()))
                .contains("Index Scan using chunk_index_hnsw_openai_ada_large_3072", "halfvec(3072)");
        assertThat(big.index.explainSemantic(Queries.semantic(query).model(LARGE).exact().build()))
                .doesNotContain("chunk_index_hnsw");

        List<ChunkHit> exact = big.index.search(Queries.semantic(query).model(LARGE).k(5).exact().build());
        assertThat(keys(exact)).containsExactlyElementsOf(bruteForce(big.large, query, 5));
        List<ChunkHit> approximate = big.index.search(Queries.semantic(query).model(LARGE).k(5).build());
        assertThat(approximate).hasSize(5);
        Map<String, IndexedChunk> byKey = new HashMap<>();
        for (IndexedChunk chunk : big.large) byKey.put(chunk.fileId() + ":" + chunk.chunkIndex(), chunk);
        for (ChunkHit hit : approximate) {
            float[] stored = byKey.get(hit.fileId() + ":" + hit.chunkIndex()).vector().orElseThrow();
            // Ranked through halfvec, scored at full precision, returned bit for bit.
            assertThat(hit.score()).isCloseTo(Chunks.cosine(stored, query), within(1e-6));
            assertThat(hit.vector()).hasValueSatisfying(v -> assertThat(v).containsExactly(stored));
        }
        assertThat(overlap(keys(approximate), keys(exact))).as("recall of the graph").isGreaterThanOrEqualTo(4);
    }

    @Test
    void aModelWithoutAnIndexAndVectorsOfAnUnexpectedSizeAreSearchedExactly() {
        float[] solar = Chunks.unitVector(4096, 1);
        float[] odd = Chunks.unitVector(8, 2); // not the 384 the model's index expects
        index.replaceFile(1, List.of(Chunks.chunk(1, 0, "solar", "SOLAR_1_MINI", solar)));
        index.replaceFile(2, List.of(Chunks.chunk(2, 0, "odd", MINILM, odd), Chunks.chunk(2, 1, "usual", MINILM,
                Chunks.unitVector(MINILM_DIMS, 3))));

        assertThat(index.explainSemantic(Queries.semantic(solar).model("SOLAR_1_MINI").build()))
                .doesNotContain("chunk_index_hnsw").contains("hnsw.iterative_scan = off");
        assertThat(index.search(Queries.semantic(solar).model("SOLAR_1_MINI").build()))
                .singleElement().satisfies(hit -> assertThat(hit.score()).isCloseTo(1.0, within(1e-4)));
        assertThat(index.search(Queries.semantic(odd).build())).extracting(ChunkHit::text).containsExactly("odd");
        assertThat(index.search(Queries.semantic(Chunks.unitVector(MINILM_DIMS, 3)).build()))
                .extracting(ChunkHit::text).containsExactly("usual");
    }

    @Test
    void tenantsOfTwoOrganizationsAndTwoCustomersEachSeeOnlyTheirOwn() {
        long[][] tenants = {{1, 1}, {1, 2}, {2, 1}, {2, 2}};
        float[] query = Chunks.unitVector(MINILM_DIMS, 1);
        for (int t = 0; t < tenants.length; t++) {
            List<IndexedChunk> chunks = new ArrayList<>();
            for (int c = 0; c < 50; c++) {
                chunks.add(new IndexedChunk(tenants[t][0], tenants[t][1], t + 1, c, "shared secret words " + c,
                        Optional.of(MINILM), Optional.of(Chunks.near(query, 0.3, t * 100 + c)), Map.of()));
            }
            index.replaceFile(t + 1, chunks);
        }
        analyze();
        for (int t = 0; t < tenants.length; t++) {
            long file = t + 1;
            for (Queries q : List.of(Queries.semantic(query), Queries.semantic(query).exact(), Queries.keyword("secret"),
                    Queries.hybrid(query, "secret", 0.5, 0.5))) {
                List<ChunkHit> hits = index.search(q.tenant(tenants[t][0], tenants[t][1]).k(30).build());
                assertThat(hits).as("%s for tenant %d", q.build().retrieval(), t).hasSize(30)
                        .allSatisfy(hit -> assertThat(hit.fileId()).isEqualTo(file));
            }
        }
        assertThat(index.search(Queries.keyword("secret").tenant(1, 3).build())).isEmpty();
        assertThat(index.search(Queries.semantic(query).tenant(3, 1).build())).isEmpty();
    }

    @Test
    void keywordQueriesNeverFailWhateverTheText() {
        index.replaceFile(1, List.of(
                Chunks.plain(1, 0, "it's five o'clock, back\\slash and ampersand & pipe | bang ! colon: star*"),
                Chunks.plain(1, 1, "ÜNÏCÖDÉ STRASSE Ελληνικά")));

        StringBuilder longWord = new StringBuilder();
        for (int i = 0; i < 3000; i++) longWord.append('x');
        for (String text : List.of("'", "''", "\\", "\\'", "o'clock", "back\\slash", "&", "|", "!", "<->", "<2>", ":*",
                "a:*", "a:A", "'a' & 'b'", "(((", ")))", "\u0000", "x\u0000y", "-- ;", "$$", "E'\\x00'", ":text", "?",
                longWord.toString(), "🦫 emoji", "\t\n\r x", "NULL")) {
            assertThatCode(() -> index.search(Queries.keyword(text).build())).as(text).doesNotThrowAnyException();
        }
        assertThat(index.search(Queries.keyword("o'clock").build())).extracting(ChunkHit::chunkIndex).containsExactly(0);
        assertThat(index.search(Queries.keyword("back\\slash pipe").build())).extracting(ChunkHit::chunkIndex).containsExactly(0);
        assertThat(index.search(Queries.keyword("star*").build())).extracting(ChunkHit::chunkIndex).containsExactly(0);
        assertThat(index.search(Queries.keyword("'a' & 'b'").build())).isEmpty();
    }

    @Test
    void keywordMatchingFoldsCaseInEveryScriptWhateverTheDatabaseLocale() {
        index.replaceFile(1, List.of(Chunks.plain(1, 0, "ÜNÏCÖDÉ Ελληνικά"), Chunks.plain(1, 1, "ünïcödé ελληνικά")));

        assertThat(index.search(Queries.keyword("ünïcödé").build())).extracting(ChunkHit::chunkIndex).containsExactly(0, 1);
        assertThat(index.search(Queries.keyword("ΕΛΛΗΝΙΚΆ").build())).extracting(ChunkHit::chunkIndex).containsExactly(0, 1);
    }

    @Test
    void vectorsWithoutAModelAreRejectedAndVectorsOffUnitLengthAreStoredNormalized() {
        assertThatThrownBy(() -> index.replaceFile(1, List.of(new IndexedChunk(7, 11, 1, 0, "x", Optional.empty(),
                Optional.of(Chunks.axis(MINILM_DIMS, 0)), Map.of())))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.replaceFile(2, Chunks.of(1, "a", 1))).isInstanceOf(IllegalArgumentException.class);
        float[] scaled = new float[MINILM_DIMS];
        scaled[0] = 2;
        index.replaceFile(1, List.of(Chunks.chunk(1, 0, "x", MINILM, scaled)));

        ChunkHit hit = index.search(Queries.semantic(Chunks.axis(MINILM_DIMS, 0)).build()).getFirst();
        assertThat(hit.score()).isCloseTo(1.0, within(1e-6));
        assertThat(hit.vector()).hasValueSatisfying(v -> assertThat(v).containsExactly(Chunks.axis(MINILM_DIMS, 0)));
    }

    @Test
    void onlyPostgresIsAcceptedAndAClosedIndexRefusesWork() {
        try (Database h2 = Database.open(DatabaseKind.H2.settings(dir.resolve("h2")))) {
            assertThatThrownBy(() -> new PgvectorChunkIndex(h2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PostgreSQL");
        }
        index.close();
        index.close();
        assertThatThrownBy(() -> index.countForFile(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> index.search(Queries.keyword("x").build())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void vectorTextRoundTripsEveryFloat() {
        float[] values = {0f, -0f, 1f, -1f, Float.MIN_VALUE, Float.MAX_VALUE, 1e-38f, 0.1f, 1f / 3, 123456.78f, -2.5e-7f};
        assertThat(PgVectors.parse(PgVectors.literal(values))).containsExactly(values);
        String fromPostgres = database.jdbi().withHandle(h -> h.createQuery("SELECT CAST(CAST(:v AS vector) AS text)")
                .bind("v", PgVectors.literal(values)).mapTo(String.class).one());
        assertThat(PgVectors.parse(fromPostgres)).containsExactly(values);
        assertThat(PgVectors.parse("[]")).isEmpty();
    }

    // ---- helpers ----

    /**
     * Enough chunks for the planner to prefer the graph to a scan (it rightly scans small tables):
     * 6000 MiniLM chunks (100 per file around the file's topic) and 2000 random ones of 3072 dimensions in the default tenant, and a second tenant of
     * 25 MiniLM chunks. Written once, for the read-only tests that need volume. The two HNSW
     * indexes are dropped during the load and recreated from their own definitions afterwards: a
     * bulk build is several times faster than inserting into the graph row by row.
     */
    private static final class BigCorpus {
        private static BigCorpus shared;

        final PgvectorChunkIndex index;
        final List<IndexedChunk> minilm;
        final List<IndexedChunk> large;
        final List<IndexedChunk> smallTenant = new ArrayList<>();

        private BigCorpus() {
            // Open for the whole JVM, like the PostgreSQL server under it; both go at exit.
            Database database = Database.open(DatabaseKind.POSTGRESQL.settings(Path.of("big-corpus")));
            index = new PgvectorChunkIndex(database);
            List<String> graphs = List.of("chunk_index_hnsw_all_minilm_l6_v2", "chunk_index_hnsw_openai_ada_large_3072");
            List<String> definitions = database.jdbi().withHandle(h -> h.createQuery(
                            "SELECT indexdef FROM pg_indexes WHERE indexname IN (<names>) ORDER BY indexname")
                    .bindList("names", graphs).mapTo(String.class).list());
            assertThat(definitions).hasSize(2);
            database.jdbi().useHandle(h -> graphs.forEach(name -> h.execute("DROP INDEX " + name)));

            minilm = new ArrayList<>();
            for (long file = 1; file <= 60; file++) {
                List<IndexedChunk> chunks = new ArrayList<>();
                for (int c = 0; c < 100; c++) {
                    chunks.add(Chunks.chunk(file, c, "topical words " + c, MINILM,
                            Chunks.near(topic(file), SPREAD, file * 1000 + c)));
                }
                index.replaceFile(file, chunks);
                minilm.addAll(chunks);
            }
            large = fill(index, 1000, LARGE, LARGE_DIMS, 20, 100);
            for (int c = 0; c < 25; c++) {
                smallTenant.add(new IndexedChunk(2, 22, 9000, c, "small tenant " + c, Optional.of(MINILM),
                        Optional.of(Chunks.unitVector(MINILM_DIMS, 90_000 + c)), Map.of()));
            }
            index.replaceFile(9000, smallTenant);

            database.jdbi().useHandle(h -> {
                definitions.forEach(h::execute);
                h.execute("ANALYZE chunk_index");
            });
        }

        /** How far a MiniLM chunk strays from its file's topic (cosine to it about 0.8). */
        static final double SPREAD = 0.75;

        /** The direction a MiniLM file's chunks cluster around, as real documents' chunks do. */
        static float[] topic(long file) {
            return Chunks.unitVector(MINILM_DIMS, 7919 * file);
        }

        static synchronized BigCorpus get() {
            if (shared == null) shared = new BigCorpus();
            return shared;
        }
    }

    /** Files {@code firstFile + 1 ...} of {@code perFile} chunks with random vectors, in the default tenant. */
    private static List<IndexedChunk> fill(ChunkIndex index, long firstFile, String model, int dimensions, int files,
                                           int perFile) {
        List<IndexedChunk> all = new ArrayList<>();
        for (long file = firstFile + 1; file <= firstFile + files; file++) {
            List<IndexedChunk> chunks = new ArrayList<>();
            for (int c = 0; c < perFile; c++) {
                chunks.add(Chunks.chunk(file, c, "random words " + c, model, Chunks.unitVector(dimensions, file * 1000 + c)));
            }
            index.replaceFile(file, chunks);
            all.addAll(chunks);
        }
        return all;
    }

    private void analyze() {
        database.jdbi().useHandle(h -> h.execute("ANALYZE chunk_index"));
    }

    private static List<String> bruteForce(List<IndexedChunk> chunks, float[] query, int k) {
        return chunks.stream()
                .sorted(Comparator.comparingDouble((IndexedChunk c) -> -Chunks.cosine(c.vector().orElseThrow(), query))
                        .thenComparingLong(IndexedChunk::fileId).thenComparingInt(IndexedChunk::chunkIndex))
                .limit(k).map(c -> c.fileId() + ":" + c.chunkIndex()).toList();
    }

    private static List<String> keys(List<ChunkHit> hits) {
        return hits.stream().map(hit -> hit.fileId() + ":" + hit.chunkIndex()).toList();
    }

    private static long overlap(List<String> a, List<String> b) {
        return a.stream().filter(b::contains).count();
    }
}
