package io.catchment.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneChunkIndexTest {
    @TempDir
    Path dir;

    @Test
    void chunksWithoutVectorsAreStored() {
        try (var index = new LuceneChunkIndex(dir.resolve("index"))) {
            index.replaceFile(1, Chunks.withoutVectors(1, 3));

            List<IndexedChunk> chunks = index.chunksOfFile(1);
            assertThat(chunks).hasSize(3);
            assertThat(chunks).allSatisfy(chunk -> {
                assertThat(chunk.vector()).isEmpty();
                assertThat(chunk.embeddingModel()).isEmpty();
            });
        }
    }

    @Test
    void vectorsOfDifferentDimensionsCoexistAndAreSearchable() throws IOException {
        float[] small = Chunks.unitVector(384, 1);
        float[] large = Chunks.unitVector(1536, 2);
        Path path = dir.resolve("index");
        try (var index = new LuceneChunkIndex(path)) {
            index.replaceFile(1, List.of(chunk(1, 0, "minilm", small)));
            index.replaceFile(2, List.of(chunk(2, 0, "text-embedding-3-small", large)));

            assertThat(index.chunksOfFile(1).getFirst().vector()).hasValueSatisfying(v -> assertThat(v).containsExactly(small));
            assertThat(index.chunksOfFile(2).getFirst().vector()).hasValueSatisfying(v -> assertThat(v).containsExactly(large));

            // A reader beside the writer sees the last commit: each model's field finds its own chunk.
            try (Directory directory = FSDirectory.open(path); DirectoryReader reader = DirectoryReader.open(directory)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                assertThat(nearestFileId(searcher, ChunkFields.vectorField("minilm", 384), small)).isEqualTo("1");
                assertThat(nearestFileId(searcher, ChunkFields.vectorField("text-embedding-3-small", 1536), large)).isEqualTo("2");
            }
        }
    }

    @Test
    void vectorsOffUnitLengthAreNormalised() {
        try (var index = new LuceneChunkIndex(dir.resolve("index"))) {
            index.replaceFile(1, List.of(chunk(1, 0, "m", new float[] {3, 4})));

            assertThat(index.chunksOfFile(1).getFirst().vector()).hasValueSatisfying(v -> assertThat(v).containsExactly(0.6f, 0.8f));
        }
    }

    @Test
    void chunksOfFileRestoresEverythingInChunkOrder() {
        float[] vector = Chunks.unitVector(384, 42);
        Map<String, Object> metadata = Map.of("file_name", "report.pdf", "page", 3, "tags", List.of("x", "y"),
                "nested", Map.of("ok", true, "score", 0.25));
        var second = new IndexedChunk(5, 6, 1, 1, "second chunk", Optional.of("minilm"), Optional.of(vector), metadata);
        var first = new IndexedChunk(5, 6, 1, 0, "first chunk, ünïcödé", Optional.empty(), Optional.empty(), Map.of());
        try (var index = new LuceneChunkIndex(dir.resolve("index"))) {
            index.replaceFile(1, List.of(second, first));

            List<IndexedChunk> chunks = index.chunksOfFile(1);
            assertThat(chunks).extracting(IndexedChunk::chunkIndex).containsExactly(0, 1);
            assertSameChunk(chunks.get(0), first);
            assertSameChunk(chunks.get(1), second);
            assertThat(index.chunksOfFile(2)).isEmpty();
        }
    }

    @Test
    void rejectedReplaceLeavesThePreviousSet() {
        try (var index = new LuceneChunkIndex(dir.resolve("index"))) {
            index.replaceFile(1, Chunks.of(1, "a", 2));

            List<IndexedChunk> mixed = new ArrayList<>(Chunks.of(1, "b", 2));
            mixed.add(Chunks.of(2, "b", 1).getFirst());
            assertThatThrownBy(() -> index.replaceFile(1, mixed)).isInstanceOf(IllegalArgumentException.class);
            var vectorWithoutModel = new IndexedChunk(1, 1, 1, 0, "t", Optional.empty(), Optional.of(new float[] {1}), Map.of());
            assertThatThrownBy(() -> index.replaceFile(1, List.of(vectorWithoutModel))).isInstanceOf(IllegalArgumentException.class);

            assertThat(index.chunksOfFile(1)).extracting(IndexedChunk::text).allMatch(text -> text.contains("version a")).hasSize(2);
        }
    }

    @Test
    void reopeningAfterClosePreservesEverything() {
        Path path = dir.resolve("index");
        List<IndexedChunk> original = Chunks.of(1, "a", 3);
        try (var index = new LuceneChunkIndex(path)) {
            index.replaceFile(1, original);
            index.replaceFile(2, Chunks.withoutVectors(2, 2));
        }
        try (var index = new LuceneChunkIndex(path)) {
            assertThat(index.size()).isEqualTo(5);
            List<IndexedChunk> restored = index.chunksOfFile(1);
            for (int i = 0; i < original.size(); i++) assertSameChunk(restored.get(i), original.get(i));

            index.replaceFile(2, Chunks.of(2, "b", 1)); // and it is writable again
            assertThat(index.countForFile(2)).isEqualTo(1);
        }
    }

    @Test
    void keywordSearchRanksRarerWordsHigher() {
        // BM25's inverse document frequency: a word in one chunk says more than a word in all of them.
        try (var index = new LuceneChunkIndex(dir.resolve("index"))) {
            index.replaceFile(1, List.of(Chunks.plain(1, 0, "common rare other words"), Chunks.plain(1, 1, "common plain other words"),
                    Chunks.plain(1, 2, "common plain more words"), Chunks.plain(1, 3, "common plain other text")));

            List<ChunkHit> hits = index.search(Queries.keyword("common rare").build());

            assertThat(hits).extracting(ChunkHit::chunkIndex).startsWith(0).hasSize(4);
            assertThat(hits.get(0).score()).isGreaterThan(2 * hits.get(1).score());
        }
    }

    @Test
    void clearIsCommittedAndAModelsFieldCanBeRecreated() {
        Path path = dir.resolve("index");
        try (var index = new LuceneChunkIndex(path)) {
            index.replaceFile(1, Chunks.of(1, "a", 3));
            index.clear();
            index.replaceFile(2, Chunks.of(2, "b", 2)); // the vector field is defined anew after deleteAll
            index.clear();
        }
        try (var index = new LuceneChunkIndex(path)) {
            assertThat(index.size()).isZero();
            index.replaceFile(3, Chunks.of(3, "c", 1));
            assertThat(index.search(Queries.semantic(Chunks.unitVector(Chunks.MINILM_DIMS, 3000)).build()))
                    .extracting(ChunkHit::fileId).containsExactly(3L);
        }
    }

    @Test
    void exactSearchScansEverySegmentAndSkipsDeletedChunks() {
        try (var index = new LuceneChunkIndex(dir.resolve("index"))) {
            // Each write commits a segment of its own; replacements leave deleted documents behind.
            for (long file = 1; file <= 6; file++) index.replaceFile(file, Chunks.of(file, "a", 15));
            for (long file = 1; file <= 6; file += 2) index.replaceFile(file, Chunks.of(file, "b", 15));
            index.deleteFiles(List.of(4L));
            List<IndexedChunk> live = new ArrayList<>();
            for (long file = 1; file <= 6; file++) live.addAll(index.chunksOfFile(file));
            float[] query = Chunks.unitVector(Chunks.MINILM_DIMS, 99);

            List<ChunkHit> hits = index.search(Queries.semantic(query).k(1000).exact().build());

            assertThat(hits).hasSize(live.size()).hasSize(75);
            List<String> expected = live.stream()
                    .sorted(Comparator.comparingDouble((IndexedChunk c) -> Chunks.cosine(c.vector().orElseThrow(), query)).reversed())
                    .map(c -> c.fileId() + ":" + c.chunkIndex()).toList();
            assertThat(hits).extracting(h -> h.fileId() + ":" + h.chunkIndex()).containsExactlyElementsOf(expected);
            assertThat(hits).allSatisfy(h -> assertThat(h.metadata().get("version")).isEqualTo(h.fileId() % 2 == 1 ? "b" : "a"));
        }
    }

    @Test
    void anIndexNeverClosedReopensAtItsLastCommit() throws IOException {
        Path path = dir.resolve("index");
        var crashed = new LuceneChunkIndex(path);
        try {
            crashed.replaceFile(1, Chunks.of(1, "a", 3));
            crashed.replaceFile(2, Chunks.of(2, "a", 2));
            crashed.deleteFiles(List.of(2L));
            Path copy = copyOf(path); // what the disk holds if the JVM died now, write.lock included

            try (var reopened = new LuceneChunkIndex(copy)) {
                assertThat(reopened.countForFile(1)).isEqualTo(3);
                assertThat(reopened.countForFile(2)).isZero();
                reopened.replaceFile(3, Chunks.of(3, "a", 1));
                assertThat(reopened.size()).isEqualTo(4);
            }
        } finally {
            crashed.close();
        }
    }

    @Test
    void segmentsWrittenButNotCommittedAreDroppedOnReopen() throws IOException {
        Path path = dir.resolve("index");
        try (var index = new LuceneChunkIndex(path)) {
            index.replaceFile(1, Chunks.of(1, "committed", 2));
        }
        // A writer dies after flushing new segment files to disk but before committing them.
        try (Directory directory = FSDirectory.open(path);
                IndexWriter dying = new IndexWriter(directory, new IndexWriterConfig(ChunkFields.newAnalyzer()).setCodec(new WideVectorCodec()))) {
            dying.updateDocuments(ChunkDocuments.fileTerm(1), Chunks.of(1, "uncommitted", 5).stream().map(ChunkDocuments::toDocument).toList());
            dying.flush();
            Path copy = copyOf(path);
            dying.rollback();
            assertThat(filesOutsideLastCommit(copy)).as("flushed, uncommitted segment files").isNotEmpty();

            try (var reopened = new LuceneChunkIndex(copy)) {
                assertThat(reopened.chunksOfFile(1)).extracting(IndexedChunk::text)
                        .containsExactly(Chunks.text(1, "committed", 0), Chunks.text(1, "committed", 1));
            }
        }
    }

    @Test
    void corruptIndexFailsToOpenWithAClearMessage() throws IOException {
        Path garbage = Files.createDirectories(dir.resolve("garbage"));
        Files.write(garbage.resolve("segments_1"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThatThrownBy(() -> new LuceneChunkIndex(garbage))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("corrupt").hasMessageContaining("rebuild");

        Path truncated = dir.resolve("truncated");
        try (var index = new LuceneChunkIndex(truncated)) {
            index.replaceFile(1, Chunks.of(1, "a", 2));
        }
        try (var files = Files.list(truncated)) {
            Path segments = files.filter(f -> f.getFileName().toString().startsWith("segments_")).findFirst().orElseThrow();
            byte[] bytes = Files.readAllBytes(segments);
            Files.write(segments, Arrays.copyOf(bytes, bytes.length / 2));
        }
        assertThatThrownBy(() -> new LuceneChunkIndex(truncated))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("corrupt");
    }

    @Test
    void aSecondInstanceOnTheSameDirectoryIsRefused() {
        Path path = dir.resolve("index");
        try (var index = new LuceneChunkIndex(path)) {
            assertThatThrownBy(() -> new LuceneChunkIndex(path))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
            index.replaceFile(1, Chunks.of(1, "a", 1)); // the first one is unharmed
            assertThat(index.countForFile(1)).isEqualTo(1);
        }
    }

    private static IndexedChunk chunk(long fileId, int chunkIndex, String model, float[] vector) {
        return new IndexedChunk(Chunks.ORG, Chunks.CUSTOMER, fileId, chunkIndex, "text", Optional.of(model), Optional.of(vector), Map.of());
    }

    private static void assertSameChunk(IndexedChunk actual, IndexedChunk expected) {
        assertThat(actual).usingRecursiveComparison().ignoringFields("vector").isEqualTo(expected);
        assertThat(actual.vector().isPresent()).isEqualTo(expected.vector().isPresent());
        expected.vector().ifPresent(v -> assertThat(actual.vector().orElseThrow()).containsExactly(v));
    }

    private static String nearestFileId(IndexSearcher searcher, String field, float[] query) throws IOException {
        ScoreDoc[] hits = searcher.search(new KnnFloatVectorQuery(field, query, 1), 1).scoreDocs;
        assertThat(hits).hasSize(1);
        return searcher.storedFields().document(hits[0].doc).get(ChunkFields.FILE_ID);
    }

    private static List<String> filesOutsideLastCommit(Path index) throws IOException {
        try (Directory directory = FSDirectory.open(index)) {
            var committed = SegmentInfos.readLatestCommit(directory).files(true);
            return Arrays.stream(directory.listAll())
                    .filter(name -> !committed.contains(name) && !name.equals("write.lock")).toList();
        }
    }

    private Path copyOf(Path index) throws IOException {
        Path copy = Files.createDirectories(dir.resolve("copy-" + System.nanoTime()));
        try (var files = Files.list(index)) {
            for (Path file : files.toList()) Files.copy(file, copy.resolve(file.getFileName()));
        }
        return copy;
    }
}
