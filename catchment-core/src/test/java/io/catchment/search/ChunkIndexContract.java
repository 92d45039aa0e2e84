package io.catchment.search;

import static io.catchment.search.Chunks.MINILM;
import static io.catchment.search.Chunks.MINILM_DIMS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ChunkIndex} backend must do, written against the interface only. A backend's
 * test extends this class and says how to open its index.
 *
 * <p>{@link #openIndex(Path)} is called once per test with a directory of the test's own. It must
 * return an <em>empty</em> index the first time it sees a directory; a backend that keeps its data
 * elsewhere (a database) uses the directory only as the identity of "this test's index", e.g. by
 * clearing or creating a fresh schema. {@link #reopenIndex(Path)} opens the same index again after
 * it was closed, contents intact; the persistence test is the only caller.
 *
 * <p>Keyword retrieval matches chunks containing <em>any</em> of the query's words (after the
 * backend's analysis: case-insensitive), ranks more and repeated matches higher, and treats every
 * character of the query as text, never as query syntax. Semantic scores are cosine similarities.
 * Equal scores are ordered by file id, then chunk index.
 *
 * <p>Vectors use real model names and dimensions ({@link Chunks#MINILM} at 384, two 1536-dimension
 * OpenAI models) because a backend may key its storage by model.
 */
public abstract class ChunkIndexContract {
    /** Float round-off in stored scores and vectors; the cosines compared are in [-1, 1]. */
    private static final double SCORE_TOLERANCE = 1e-4;

    @TempDir
    protected Path dir;

    protected ChunkIndex index;

    /** An empty index for this test (see the class comment). */
    protected abstract ChunkIndex openIndex(Path dir);

    /** The index {@code dir} named before it was closed, with everything written to it. */
    protected ChunkIndex reopenIndex(Path dir) {
        return openIndex(dir);
    }

    @BeforeEach
    void openTheIndex() {
        index = openIndex(dir.resolve("index"));
    }

    @AfterEach
    void closeTheIndex() {
        if (index != null) index.close();
    }

    // ---- writes: replace, count, delete, clear ----

    @Test
    void replaceThenCount() {
        index.replaceFile(1, Chunks.of(1, "a", 3));
        index.replaceFile(2, Chunks.of(2, "a", 5));

        assertThat(index.countForFile(1)).isEqualTo(3);
        assertThat(index.countForFile(2)).isEqualTo(5);
        assertThat(index.countForFile(3)).isZero();
    }

    @Test
    void replacingAgainLeavesOnlyTheNewSet() {
        index.replaceFile(1, Chunks.of(1, "old", 5));
        index.replaceFile(1, Chunks.of(1, "new", 2));

        assertThat(index.countForFile(1)).isEqualTo(2);
        assertThat(chunksOf(1)).extracting(ChunkHit::text).containsExactly(Chunks.text(1, "new", 0), Chunks.text(1, "new", 1));

        index.replaceFile(1, Chunks.of(1, "newer", 6));
        assertThat(chunksOf(1)).extracting(ChunkHit::text).hasSize(6).allMatch(text -> text.contains("version newer"));
    }

    @Test
    void replacingTwiceWithTheSameChunksIsIdempotent() {
        index.replaceFile(1, Chunks.of(1, "a", 4));
        index.replaceFile(1, Chunks.of(1, "a", 4));

        assertThat(index.countForFile(1)).isEqualTo(4);
        assertThat(chunksOf(1)).extracting(ChunkHit::chunkIndex).containsExactly(0, 1, 2, 3);
    }

    @Test
    void replacingWithNoChunksDeletesTheFile() {
        index.replaceFile(1, Chunks.of(1, "a", 4));
        index.replaceFile(2, Chunks.of(2, "a", 1));
        index.replaceFile(1, List.of());

        assertThat(index.countForFile(1)).isZero();
        assertThat(index.countForFile(2)).isEqualTo(1);
        assertThat(chunksOf(1)).isEmpty();
    }

    @Test
    void deleteRemovesOnlyTheNamedFiles() {
        for (long file = 1; file <= 3; file++) index.replaceFile(file, Chunks.of(file, "a", 2));

        index.deleteFiles(List.of(1L, 3L, 99L));
        index.deleteFiles(List.of());

        assertThat(index.countForFile(1)).isZero();
        assertThat(index.countForFile(2)).isEqualTo(2);
        assertThat(index.countForFile(3)).isZero();
        assertThat(fileIds(search(Queries.keyword("file chunk").k(100)))).containsOnly(2L);
        assertThat(fileIds(search(Queries.semantic(Chunks.unitVector(MINILM_DIMS, 1)).k(100).exact()))).containsOnly(2L);
    }

    @Test
    void clearRemovesEverythingAndTheIndexStaysWritable() {
        index.replaceFile(1, Chunks.of(1, "a", 3));
        index.replaceFile(2, Chunks.withoutVectors(2, 2));

        index.clear();

        assertThat(index.countForFile(1)).isZero();
        assertThat(index.countForFile(2)).isZero();
        assertThat(search(Queries.keyword("file chunk").k(100))).isEmpty();
        assertThat(search(Queries.semantic(Chunks.unitVector(MINILM_DIMS, 1)).k(100))).isEmpty();

        index.replaceFile(3, Chunks.of(3, "b", 1));
        assertThat(index.countForFile(3)).isEqualTo(1);
        assertThat(fileIds(search(Queries.keyword("file chunk")))).containsExactly(3L);
    }

    @Test
    void replaceRejectsChunksOfAnotherFileAndKeepsThePreviousSet() {
        index.replaceFile(1, Chunks.of(1, "a", 2));

        List<IndexedChunk> mixed = new ArrayList<>(Chunks.of(1, "b", 2));
        mixed.add(Chunks.of(2, "b", 1).getFirst());
        assertThatThrownBy(() -> index.replaceFile(1, mixed)).isInstanceOf(IllegalArgumentException.class);

        assertThat(index.countForFile(2)).isZero();
        assertThat(chunksOf(1)).hasSize(2).allSatisfy(hit -> assertThat(hit.text()).contains("version a"));
    }

    @Test
    void replacementAndDeletionShowInSearchResultsAtOnce() {
        index.replaceFile(1, List.of(Chunks.chunk(1, 0, "the walrus sings", MINILM, Chunks.axis(MINILM_DIMS, 0))));
        assertThat(search(Queries.keyword("walrus"))).hasSize(1);

        index.replaceFile(1, List.of(Chunks.chunk(1, 0, "the pelican dances", MINILM, Chunks.axis(MINILM_DIMS, 1))));
        assertThat(search(Queries.keyword("walrus"))).isEmpty();
        assertThat(search(Queries.keyword("pelican"))).extracting(ChunkHit::text).containsExactly("the pelican dances");
        assertThat(search(Queries.semantic(Chunks.axis(MINILM_DIMS, 0)).exact()))
                .extracting(ChunkHit::text).containsExactly("the pelican dances"); // the only chunk left, however far

        index.deleteFiles(List.of(1L));
        assertThat(search(Queries.keyword("pelican"))).isEmpty();
        assertThat(search(Queries.semantic(Chunks.axis(MINILM_DIMS, 1)))).isEmpty();
        assertThat(search(Queries.semantic(Chunks.axis(MINILM_DIMS, 1)).exact())).isEmpty();
    }

    @Test
    void chunksWithoutVectorsAreStoredAndFoundByKeyword() {
        index.replaceFile(1, Chunks.withoutVectors(1, 3));

        assertThat(index.countForFile(1)).isEqualTo(3);
        List<ChunkHit> hits = chunksOf(1);
        assertThat(hits).extracting(ChunkHit::text).containsExactly(
                Chunks.text(1, "plain", 0), Chunks.text(1, "plain", 1), Chunks.text(1, "plain", 2));
        assertThat(hits).allSatisfy(hit -> assertThat(hit.vector()).isEmpty());
        assertThat(search(Queries.semantic(Chunks.unitVector(MINILM_DIMS, 1)).k(100))).isEmpty();
    }

    @Test
    void vectorsOfTwoModelsAndDimensionsCoexist() {
        float[] small = Chunks.unitVector(MINILM_DIMS, 1);
        float[] large = Chunks.unitVector(Chunks.OPENAI_DIMS, 2);
        index.replaceFile(1, List.of(Chunks.chunk(1, 0, "small", MINILM, small)));
        index.replaceFile(2, List.of(Chunks.chunk(2, 0, "large", Chunks.OPENAI_SMALL, large)));

        List<ChunkHit> smallHits = search(Queries.semantic(small).k(100));
        assertThat(smallHits).extracting(ChunkHit::fileId).containsExactly(1L);
        assertThat(smallHits.getFirst().score()).isCloseTo(1.0, within(SCORE_TOLERANCE));
        assertThat(smallHits.getFirst().vector()).hasValueSatisfying(v -> assertThat(v).containsExactly(small));

        List<ChunkHit> largeHits = search(Queries.semantic(large).model(Chunks.OPENAI_SMALL).k(100));
        assertThat(largeHits).extracting(ChunkHit::fileId).containsExactly(2L);
        assertThat(largeHits.getFirst().vector()).hasValueSatisfying(v -> assertThat(v).containsExactly(large));
    }

    @Test
    void hitsCarryEverythingIndexed() {
        float[] vector = Chunks.unitVector(MINILM_DIMS, 42);
        Map<String, Object> metadata = Map.of("file_name", "report.pdf", "page", 3, "tags", List.of("x", "y"),
                "nested", Map.of("ok", true, "score", 0.25));
        index.replaceFile(5, List.of(
                new IndexedChunk(Chunks.ORG, Chunks.CUSTOMER, 5, 0, "first chunk, ünïcödé", Optional.empty(), Optional.empty(), Map.of()),
                new IndexedChunk(Chunks.ORG, Chunks.CUSTOMER, 5, 1, "second chunk", Optional.of(MINILM), Optional.of(vector), metadata)));

        ChunkHit second = search(Queries.semantic(vector)).getFirst();
        assertThat(second.fileId()).isEqualTo(5);
        assertThat(second.chunkIndex()).isEqualTo(1);
        assertThat(second.text()).isEqualTo("second chunk");
        assertThat(second.metadata()).isEqualTo(metadata);
        assertThat(second.vector()).hasValueSatisfying(v -> assertThat(v).containsExactly(vector));

        ChunkHit first = search(Queries.keyword("ünïcödé")).getFirst();
        assertThat(first.chunkIndex()).isZero();
        assertThat(first.text()).isEqualTo("first chunk, ünïcödé");
        assertThat(first.metadata()).isEmpty();
        assertThat(first.vector()).isEmpty();
    }

    // ---- semantic ----

    @Test
    void semanticSearchRanksByCosineLikeBruteForce() {
        List<IndexedChunk> chunks = randomChunks(4, 10);
        float[] query = Chunks.unitVector(MINILM_DIMS, 777);

        List<ChunkHit> hits = search(Queries.semantic(query).k(5));

        assertRankedLikeBruteForce(hits, bruteForce(chunks, query), 5);
        assertThat(search(Queries.semantic(query).k(1))).hasSize(1);
        assertThat(search(Queries.semantic(query).k(1000))).hasSize(chunks.size());
    }

    @Test
    void semanticScoresAreCosineSimilarities() {
        float[] query = Chunks.axis(MINILM_DIMS, 3);
        float[] diagonal = new float[MINILM_DIMS];
        diagonal[3] = diagonal[4] = (float) Math.sqrt(0.5);
        index.replaceFile(1, List.of(
                Chunks.chunk(1, 0, "same", MINILM, query),
                Chunks.chunk(1, 1, "diagonal", MINILM, diagonal),
                Chunks.chunk(1, 2, "orthogonal", MINILM, Chunks.axis(MINILM_DIMS, 5)),
                Chunks.chunk(1, 3, "opposite", MINILM, Chunks.negated(query))));

        for (List<ChunkHit> hits : List.of(search(Queries.semantic(query)), search(Queries.semantic(query).exact()))) {
            assertThat(hits).extracting(ChunkHit::text).containsExactly("same", "diagonal", "orthogonal", "opposite");
            assertThat(hits).extracting(ChunkHit::score).satisfiesExactly(
                    s -> assertThat(s).isCloseTo(1.0, within(SCORE_TOLERANCE)),
                    s -> assertThat(s).isCloseTo(Math.sqrt(0.5), within(SCORE_TOLERANCE)),
                    s -> assertThat(s).isCloseTo(0.0, within(SCORE_TOLERANCE)),
                    s -> assertThat(s).isCloseTo(-1.0, within(SCORE_TOLERANCE)));
        }
    }

    @Test
    void queryVectorsOffUnitLengthAreNormalised() {
        index.replaceFile(1, List.of(Chunks.chunk(1, 0, "x", MINILM, Chunks.axis(MINILM_DIMS, 0))));
        float[] longQuery = new float[MINILM_DIMS];
        longQuery[0] = 3;
        longQuery[1] = 4;

        assertThat(search(Queries.semantic(longQuery)).getFirst().score()).isCloseTo(0.6, within(SCORE_TOLERANCE));
        assertThat(search(Queries.semantic(longQuery).exact()).getFirst().score()).isCloseTo(0.6, within(SCORE_TOLERANCE));
    }

    @Test
    void exactSearchEqualsBruteForce() {
        List<IndexedChunk> chunks = randomChunks(10, 30);
        for (long seed = 1; seed <= 3; seed++) {
            float[] query = Chunks.unitVector(MINILM_DIMS, 1000 + seed);
            List<ScoredChunk> expected = bruteForce(chunks, query);

            assertRankedLikeBruteForce(search(Queries.semantic(query).k(10).exact()), expected, 10);
            assertRankedLikeBruteForce(search(Queries.semantic(query).k(1000).exact()), expected, chunks.size());
        }
    }

    @Test
    void semanticSearchOfAModelNobodyIndexedFindsNothing() {
        index.replaceFile(1, Chunks.of(1, "a", 3));
        float[] query = Chunks.unitVector(Chunks.OPENAI_DIMS, 5);

        assertThat(search(Queries.semantic(query).model(Chunks.OPENAI_SMALL))).isEmpty();
        assertThat(search(Queries.semantic(query).model(Chunks.OPENAI_SMALL).exact())).isEmpty();
    }

    @Test
    void semanticSearchNeverReturnsChunksOfAnotherModel() {
        float[] vector = Chunks.unitVector(Chunks.OPENAI_DIMS, 9);
        index.replaceFile(1, List.of(Chunks.chunk(1, 0, "ada", Chunks.OPENAI_ADA, vector))); // same dimension, other model
        index.replaceFile(2, List.of(Chunks.chunk(2, 0, "small", Chunks.OPENAI_SMALL, Chunks.near(vector, 0.5, 1))));
        index.replaceFile(3, List.of(Chunks.chunk(3, 0, "minilm", MINILM, Chunks.unitVector(MINILM_DIMS, 9))));

        for (Queries query : List.of(Queries.semantic(vector), Queries.semantic(vector).exact())) {
            assertThat(fileIds(search(query.model(Chunks.OPENAI_SMALL).k(100)))).containsExactly(2L);
        }
        assertThat(fileIds(search(Queries.semantic(vector).model(Chunks.OPENAI_ADA).k(100)))).containsExactly(1L);
    }

    // ---- keyword ----

    @Test
    void keywordSearchFindsExactTerms() {
        index.replaceFile(1, List.of(
                Chunks.chunk(1, 0, "The quick brown fox", MINILM, Chunks.unitVector(MINILM_DIMS, 1)),
                Chunks.chunk(1, 1, "a lazy dog sleeps", MINILM, Chunks.unitVector(MINILM_DIMS, 2)),
                Chunks.plain(1, 2, "Hounds and hares")));

        assertThat(search(Queries.keyword("fox"))).extracting(ChunkHit::text).containsExactly("The quick brown fox");
        assertThat(search(Queries.keyword("QUICK"))).extracting(ChunkHit::text).containsExactly("The quick brown fox");
        assertThat(search(Queries.keyword("hounds"))).extracting(ChunkHit::text).containsExactly("Hounds and hares");
        assertThat(search(Queries.keyword("dog fox"))).hasSize(2).allSatisfy(hit -> assertThat(hit.score()).isPositive());
        assertThat(search(Queries.keyword("giraffe"))).isEmpty();
    }

    @Test
    void keywordSearchRanksRepeatedAndMoreMatchingTermsHigher() {
        // Same length everywhere, so only the counts of matching terms differ.
        index.replaceFile(1, List.of(
                Chunks.plain(1, 0, "zebra lion tiger bear wolf fox"),
                Chunks.plain(1, 1, "zebra zebra zebra lion tiger bear"),
                Chunks.plain(1, 2, "owl lion tiger bear wolf fox"),
                Chunks.plain(1, 3, "zebra okapi tiger bear wolf fox")));

        assertThat(search(Queries.keyword("zebra"))).extracting(ChunkHit::chunkIndex).startsWith(1).doesNotContain(2);
        assertThat(search(Queries.keyword("zebra okapi")).getFirst().chunkIndex()).isEqualTo(3);
        List<ChunkHit> hits = search(Queries.keyword("zebra"));
        assertThat(hits).extracting(ChunkHit::score).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
    }

    @Test
    void keywordSearchIsSafeForQuerySyntaxCharacters() {
        index.replaceFile(1, List.of(Chunks.plain(1, 0, "apple banana cherry"), Chunks.plain(1, 1, "date elderberry")));

        for (String text : List.of("\"apple", "apple AND", "OR banana", "NOT cherry", "(apple", "apple)", "title:apple",
                "app*", "?pple", "apple~2", "apple^3", "[apple TO banana]", "{a TO b}", "\\apple", "apple/banana/",
                "+apple -banana", "apple && banana || cherry", "!apple", "'; DROP TABLE chunks; --", "apple & | ! <->",
                "%_apple%", "$1 $$apple$$", "apple\u0000banana", "*", "?", ":", "\"\"", "()", "AND", "NOT NOT")) {
            assertThatCode(() -> search(Queries.keyword(text))).as(text).doesNotThrowAnyException();
        }
        assertThat(search(Queries.keyword("(apple) AND \"banana\""))).extracting(ChunkHit::chunkIndex).containsExactly(0);
        assertThat(search(Queries.keyword("*** ??? ::: ((("))).isEmpty();
    }

    @Test
    void hugeKAndLongQueryTextsAreServed() {
        index.replaceFile(1, Chunks.of(1, "a", 3));
        index.replaceFile(2, Chunks.withoutVectors(2, 2));
        float[] query = Chunks.unitVector(MINILM_DIMS, 12);
        StringBuilder pastedPage = new StringBuilder();
        for (int word = 0; word < 3000; word++) pastedPage.append("word").append(word).append(' ');
        pastedPage.append("version");

        int all = Integer.MAX_VALUE;
        assertThat(search(Queries.semantic(query).k(all))).hasSize(3);
        assertThat(search(Queries.semantic(query).k(all).exact())).hasSize(3);
        assertThat(search(Queries.keyword("chunk").k(all))).hasSize(5);
        assertThat(search(Queries.hybrid(query, "chunk", 0.5, 0.5).k(all))).hasSize(5);
        assertThatCode(() -> search(Queries.keyword(pastedPage.toString()))).doesNotThrowAnyException();
        assertThatCode(() -> search(Queries.hybrid(query, pastedPage.toString(), 0.5, 0.5))).doesNotThrowAnyException();
    }

    @Test
    void keywordSearchFindsChunksOfTheQueryModelAndChunksWithoutVectorsOnly() {
        index.replaceFile(1, List.of(Chunks.chunk(1, 0, "marmot report", MINILM, Chunks.unitVector(MINILM_DIMS, 1))));
        index.replaceFile(2, List.of(Chunks.plain(2, 0, "marmot report")));
        index.replaceFile(3, List.of(Chunks.chunk(3, 0, "marmot report", Chunks.OPENAI_SMALL, Chunks.unitVector(Chunks.OPENAI_DIMS, 1))));

        assertThat(fileIds(search(Queries.keyword("marmot")))).containsExactlyInAnyOrder(1L, 2L);
        assertThat(fileIds(search(Queries.keyword("marmot").model(Chunks.OPENAI_SMALL)))).containsExactlyInAnyOrder(2L, 3L);
        assertThat(fileIds(search(Queries.keyword("marmot").model(Chunks.OPENAI_ADA)))).containsExactly(2L);
    }

    // ---- hybrid ----

    @Test
    void hybridWeightsShiftTheOrderBetweenSemanticAndKeyword() {
        hybridCorpus();
        float[] query = Chunks.unitVector(MINILM_DIMS, 4242);
        int k = 5;
        List<ChunkHit> semantic = search(Queries.semantic(query).k(k));
        List<ChunkHit> keyword = search(Queries.keyword("alpha").k(k));
        assertThat(keyword).hasSize(k);

        assertThat(keys(search(Queries.hybrid(query, "alpha", 1, 0).k(k)))).containsExactlyElementsOf(keys(semantic));
        assertThat(keys(search(Queries.hybrid(query, "alpha", 0, 1).k(k)))).containsExactlyElementsOf(keys(keyword));
    }

    @Test
    void hybridIsTheWeightedRankFusionOfBothSides() {
        hybridCorpus();
        float[] query = Chunks.unitVector(MINILM_DIMS, 4242);
        int k = 4;
        List<ChunkHit> semantic = search(Queries.semantic(query).k(Fusion.candidates(k)));
        List<ChunkHit> keyword = search(Queries.keyword("alpha").k(Fusion.candidates(k)));

        List<ChunkHit> hybrid = search(Queries.hybrid(query, "alpha", 0.3, 0.7).k(k));

        List<ChunkHit> expected = Fusion.fuse(semantic, keyword, 0.3, 0.7, k);
        assertThat(keys(hybrid)).containsExactlyElementsOf(keys(expected));
        for (int i = 0; i < k; i++) assertThat(hybrid.get(i).score()).isCloseTo(expected.get(i).score(), within(1e-9));
    }

    @Test
    void evenlyWeightedHybridContainsTheTopHitOfEachSide() {
        // Disjoint sides (keyword matches have no vectors), so each side's best is in the fused top two.
        float[] query = Chunks.unitVector(MINILM_DIMS, 31);
        index.replaceFile(1, List.of(
                Chunks.chunk(1, 0, "nothing relevant here", MINILM, Chunks.near(query, 0.2, 1)),
                Chunks.chunk(1, 1, "still nothing", MINILM, Chunks.near(query, 2.0, 2))));
        index.replaceFile(2, List.of(Chunks.plain(2, 0, "gamma gamma text"), Chunks.plain(2, 1, "gamma and more words")));
        ChunkHit semanticTop = search(Queries.semantic(query)).getFirst();
        ChunkHit keywordTop = search(Queries.keyword("gamma")).getFirst();

        List<ChunkHit> hybrid = search(Queries.hybrid(query, "gamma", 0.5, 0.5).k(2));

        assertThat(keys(hybrid)).containsExactlyInAnyOrder(key(semanticTop), key(keywordTop));
        assertThat(keys(search(Queries.hybrid(query, "gamma", 0.5, 0.5).k(2).exact())))
                .containsExactlyInAnyOrder(key(semanticTop), key(keywordTop));
    }

    // ---- filters and isolation ----

    @Test
    void everyQueryStaysInsideTheCallingCustomer() {
        // Customer ids repeat across organizations: filtering by customer alone would leak.
        long[][] tenants = {{1, 10}, {1, 20}, {2, 10}, {2, 20}};
        float[] base = Chunks.unitVector(MINILM_DIMS, 5);
        Map<Long, Integer> tenantOfFile = new HashMap<>();
        for (int t = 0; t < tenants.length; t++) {
            for (int f = 0; f < 2; f++) {
                long fileId = 100 + t * 10 + f;
                tenantOfFile.put(fileId, t);
                List<IndexedChunk> chunks = new ArrayList<>();
                for (int c = 0; c < 3; c++) {
                    chunks.add(new IndexedChunk(tenants[t][0], tenants[t][1], fileId, c, "confidential quarterly numbers " + c,
                            Optional.of(MINILM), Optional.of(Chunks.near(base, 0.1, fileId * 10 + c)), Map.of()));
                }
                chunks.add(new IndexedChunk(tenants[t][0], tenants[t][1], fileId, 3, "confidential notes without vector",
                        Optional.empty(), Optional.empty(), Map.of()));
                index.replaceFile(fileId, chunks);
            }
        }

        for (int tenant = 0; tenant < tenants.length; tenant++) {
            int t = tenant;
            long org = tenants[t][0];
            long customer = tenants[t][1];
            long otherTenantsFile = 100 + ((t + 1) % tenants.length) * 10;
            List<Queries> queries = List.of(
                    Queries.semantic(base), Queries.semantic(base).exact(), Queries.keyword("confidential"),
                    Queries.hybrid(base, "confidential", 0.5, 0.5), Queries.hybrid(base, "confidential", 0.5, 0.5).exact());
            for (Queries query : queries) {
                List<ChunkHit> hits = search(query.tenant(org, customer).k(100));
                int expected = query.build().retrieval() instanceof Retrieval.Semantic ? 6 : 8;
                assertThat(hits).as("tenant %d/%d, %s", org, customer, query.build()).hasSize(expected)
                        .allSatisfy(hit -> assertThat(tenantOfFile.get(hit.fileId())).isEqualTo(t));
                assertThat(search(query.files(otherTenantsFile))).isEmpty();
            }
        }
    }

    @Test
    void fileIdsRestrictEveryKindOfQuery() {
        for (long file = 1; file <= 4; file++) index.replaceFile(file, Chunks.of(file, "a", 3));
        float[] query = Chunks.unitVector(MINILM_DIMS, 2001);
        List<Queries> queries = List.of(Queries.semantic(query), Queries.semantic(query).exact(), Queries.keyword("file chunk"),
                Queries.hybrid(query, "chunk", 0.5, 0.5), Queries.hybrid(query, "chunk", 0.5, 0.5).exact());

        for (Queries q : queries) {
            List<ChunkHit> hits = search(q.k(100).files(2L, 4L, 99L));
            assertThat(hits).as("%s", q.build()).hasSize(6);
            assertThat(fileIds(hits)).as("%s", q.build()).containsExactlyInAnyOrder(2L, 4L);
            assertThat(search(q.files())).as("%s with no files", q.build()).isEmpty();
        }
    }

    // ---- ordering ----

    @Test
    void tiesAreBrokenByFileThenChunkIndex() {
        float[] vector = Chunks.unitVector(MINILM_DIMS, 8);
        for (long file : new long[] {3, 1, 2}) {
            index.replaceFile(file, List.of(
                    Chunks.chunk(file, 1, "identical words", MINILM, vector),
                    Chunks.chunk(file, 0, "identical words", MINILM, vector)));
        }
        List<String> all = List.of("1:0", "1:1", "2:0", "2:1", "3:0", "3:1");

        assertThat(keys(search(Queries.keyword("identical words").k(10)))).containsExactlyElementsOf(all);
        assertThat(keys(search(Queries.semantic(vector).k(10)))).containsExactlyElementsOf(all);
        assertThat(keys(search(Queries.semantic(vector).k(10).exact()))).containsExactlyElementsOf(all);
        // Where k cuts through a tie, the lowest file and chunk win.
        assertThat(keys(search(Queries.keyword("identical").k(3)))).containsExactly("1:0", "1:1", "2:0");
        assertThat(keys(search(Queries.semantic(vector).k(3).exact()))).containsExactly("1:0", "1:1", "2:0");
    }

    // ---- concurrency and persistence ----

    @Test
    void concurrentReplacesOfDifferentFilesEachKeepTheirOwnChunks() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                long fileId = thread + 1;
                tasks.add(pool.submit(() -> {
                    for (int round = 0; round < 5; round++) index.replaceFile(fileId, Chunks.of(fileId, "r" + round, round % 4 + 1));
                    index.replaceFile(fileId, Chunks.of(fileId, "final", (int) fileId));
                }));
            }
            for (Future<?> task : tasks) task.get();
        }
        for (long fileId = 1; fileId <= 8; fileId++) {
            assertThat(index.countForFile(fileId)).isEqualTo(fileId);
            assertThat(chunksOf(fileId)).hasSize((int) fileId).allSatisfy(hit -> assertThat(hit.text()).contains("version final"));
        }
    }

    @Test
    void readersNeverSeeAMixOfVersionsOfOneFile() throws Exception {
        index.replaceFile(1, version("init", 3));
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger samples = new AtomicInteger();
        float[] query = Chunks.unitVector(MINILM_DIMS, 3);
        try (ExecutorService pool = Executors.newFixedThreadPool(5)) {
            Future<?> reader = pool.submit(() -> {
                while (writing.get()) {
                    assertWholeVersion(chunksOf(1));
                    assertWholeVersion(search(Queries.semantic(query).files(1L).k(100).exact()));
                    assertThat(index.countForFile(1)).isBetween(1, 7);
                    samples.incrementAndGet();
                }
            });
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int n = 0; n < 10; n++) index.replaceFile(1, version("w" + writer + "n" + n, (writer + n) % 7 + 1));
                }));
            }
            try {
                for (Future<?> task : writers) task.get();
            } finally {
                writing.set(false); // even when a writer failed, so the reader stops and the pool can close
            }
            reader.get();
        }
        assertWholeVersion(chunksOf(1));
        assertThat(samples.get()).isPositive();
    }

    @Test
    void reopeningAfterClosePreservesEverything() {
        List<IndexedChunk> original = Chunks.of(1, "a", 3);
        index.replaceFile(1, original);
        index.replaceFile(2, Chunks.withoutVectors(2, 2));
        index.close();
        index = null;

        index = reopenIndex(dir.resolve("index"));

        assertThat(index.countForFile(1)).isEqualTo(3);
        assertThat(index.countForFile(2)).isEqualTo(2);
        List<ChunkHit> restored = chunksOf(1);
        for (int i = 0; i < original.size(); i++) {
            assertThat(restored.get(i).text()).isEqualTo(original.get(i).text());
            assertThat(restored.get(i).metadata()).isEqualTo(original.get(i).metadata());
            float[] vector = original.get(i).vector().orElseThrow();
            assertThat(restored.get(i).vector()).hasValueSatisfying(v -> assertThat(v).containsExactly(vector));
        }
        assertThat(search(Queries.semantic(original.get(1).vector().orElseThrow())).getFirst().chunkIndex()).isEqualTo(1);
        index.replaceFile(2, Chunks.of(2, "b", 1)); // and it is writable again
        assertThat(index.countForFile(2)).isEqualTo(1);
    }

    // ---- helpers ----

    protected List<ChunkHit> search(Queries query) {
        return index.search(query.build());
    }

    /** Every chunk of a file made by {@link Chunks#of} or {@link Chunks#withoutVectors}, in chunk order. */
    private List<ChunkHit> chunksOf(long fileId) {
        List<ChunkHit> hits = new ArrayList<>(search(Queries.keyword("file chunk version").files(fileId).k(1000)));
        hits.sort(Comparator.comparingInt(ChunkHit::chunkIndex));
        return hits;
    }

    /** {@code files} files of {@code perFile} chunks with random vectors. */
    private List<IndexedChunk> randomChunks(int files, int perFile) {
        List<IndexedChunk> all = new ArrayList<>();
        for (long file = 1; file <= files; file++) {
            List<IndexedChunk> chunks = new ArrayList<>();
            for (int c = 0; c < perFile; c++) {
                chunks.add(Chunks.chunk(file, c, "random " + c, MINILM, Chunks.unitVector(MINILM_DIMS, file * 100 + c)));
            }
            index.replaceFile(file, chunks);
            all.addAll(chunks);
        }
        return all;
    }

    /**
     * Twelve chunks: vectors on all but three, "alpha" in eight with one to eight repetitions
     * among eight-word texts, so keyword and semantic order differ and overlap.
     */
    private void hybridCorpus() {
        List<IndexedChunk> chunks = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            int alphas = c < 8 ? (c * 5) % 8 + 1 : 0;
            List<String> words = new ArrayList<>();
            for (int w = 0; w < 8; w++) words.add(w < alphas ? "alpha" : "filler" + w);
            String text = String.join(" ", words);
            chunks.add(c % 4 == 3 ? Chunks.plain(1, c, text) : Chunks.chunk(1, c, text, MINILM, Chunks.unitVector(MINILM_DIMS, 500 + c)));
        }
        index.replaceFile(1, chunks);
    }

    private record ScoredChunk(IndexedChunk chunk, double score) {}

    private static List<ScoredChunk> bruteForce(List<IndexedChunk> chunks, float[] query) {
        return chunks.stream().map(c -> new ScoredChunk(c, Chunks.cosine(c.vector().orElseThrow(), query)))
                .sorted(Comparator.comparingDouble(ScoredChunk::score).reversed()).toList();
    }

    private static void assertRankedLikeBruteForce(List<ChunkHit> hits, List<ScoredChunk> expected, int k) {
        assertThat(keys(hits)).containsExactlyElementsOf(expected.subList(0, k).stream()
                .map(s -> s.chunk().fileId() + ":" + s.chunk().chunkIndex()).toList());
        for (int i = 0; i < k; i++) assertThat(hits.get(i).score()).isCloseTo(expected.get(i).score(), within(SCORE_TOLERANCE));
    }

    private static List<Long> fileIds(List<ChunkHit> hits) {
        return hits.stream().map(ChunkHit::fileId).distinct().toList();
    }

    private static String key(ChunkHit hit) {
        return hit.fileId() + ":" + hit.chunkIndex();
    }

    private static List<String> keys(List<ChunkHit> hits) {
        return hits.stream().map(ChunkIndexContract::key).toList();
    }

    /** Chunks of one version of file 1: the count is part of the version name, so a reader can check completeness. */
    private static List<IndexedChunk> version(String name, int count) {
        return Chunks.of(1, name + "c" + count, count);
    }

    private static void assertWholeVersion(List<ChunkHit> hits) {
        assertThat(hits).isNotEmpty();
        String version = (String) hits.getFirst().metadata().get("version");
        int count = Integer.parseInt(version.substring(version.lastIndexOf('c') + 1));
        assertThat(hits).as("chunks of version %s", version).hasSize(count)
                .allMatch(hit -> version.equals(hit.metadata().get("version")))
                .allMatch(hit -> hit.text().contains("version " + version + " "));
    }
}
