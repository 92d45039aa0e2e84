package io.catchment.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;

/** Answers one {@link ChunkQuery} from one searcher (one point in time) of a {@link LuceneChunkIndex}. */
final class LuceneSearch {
    private final IndexSearcher searcher;
    private final Analyzer analyzer;
    private final ChunkQuery query;
    private final Query visible;

    private LuceneSearch(IndexSearcher searcher, Analyzer analyzer, ChunkQuery query) {
        this.searcher = searcher;
        this.analyzer = analyzer;
        this.query = query;
        this.visible = ChunkFilters.visibleTo(query);
    }

    static List<ChunkHit> run(IndexSearcher searcher, Analyzer analyzer, ChunkQuery query) throws IOException {
        int chunks = searcher.getIndexReader().numDocs();
        if (chunks == 0 || query.fileIds().map(Set::isEmpty).orElse(false)) return List.of();
        // No more hits than chunks: a huge k must not size a huge queue (or overflow the candidate count).
        int k = Math.min(query.k(), chunks);
        LuceneSearch search = new LuceneSearch(searcher, analyzer, query);
        return switch (query.retrieval()) {
            case Retrieval.Semantic s -> search.semantic(k);
            case Retrieval.Keyword kw -> search.keyword(k);
            case Retrieval.Hybrid(double semanticWeight, double keywordWeight) -> {
                int candidates = Math.min(Fusion.candidates(k), chunks);
                yield Fusion.fuse(search.semantic(candidates), search.keyword(candidates),
                        semanticWeight, keywordWeight, k);
            }
        };
    }

    /** The {@code n} chunks of the query's model nearest to its vector, scored by cosine similarity. */
    private List<ChunkHit> semantic(int n) throws IOException {
        float[] vector = UnitVectors.unitLength(query.vector().orElseThrow());
        // A model never indexed (at this dimension) has no field: both paths then find nothing.
        String field = ChunkFields.vectorField(query.embeddingModel(), vector.length);
        if (query.exact()) {
            List<ChunkHit> hits = new ArrayList<>();
            StoredFields stored = searcher.storedFields();
            for (var candidate : ExactVectorSearch.search(searcher, visible, field, vector, n)) {
                hits.add(hit(stored, candidate.doc(), candidate.score()));
            }
            return hits;
        }
        // The filter is applied during the graph search (not after it), so n hits come back when
        // n visible chunks exist; Lucene itself switches to exact search for small filtered sets.
        ScoreDoc[] top = searcher.search(new KnnFloatVectorQuery(field, vector, n, visible), n, ChunkFilters.BEST_FIRST, true).scoreDocs;
        return hits(top, true);
    }

    /** The {@code n} best chunks by BM25 over the content, among the query model's and vector-less chunks. */
    private List<ChunkHit> keyword(int n) throws IOException {
        Optional<Query> words = KeywordQuery.of(analyzer, query.text().orElseThrow());
        if (words.isEmpty()) return List.of();
        Query keyword = new BooleanQuery.Builder()
                .add(words.get(), Occur.MUST)
                .add(visible, Occur.FILTER)
                .add(ChunkFilters.keywordModels(query.embeddingModel()), Occur.FILTER)
                .build();
        return hits(searcher.search(keyword, n, ChunkFilters.BEST_FIRST, true).scoreDocs, false);
    }

    private List<ChunkHit> hits(ScoreDoc[] top, boolean vectorScores) throws IOException {
        StoredFields stored = searcher.storedFields();
        List<ChunkHit> hits = new ArrayList<>(top.length);
        // Lucene's DOT_PRODUCT score is (1 + dot) / 2, to keep scores non-negative; callers get the cosine.
        for (ScoreDoc doc : top) hits.add(hit(stored, doc.doc, vectorScores ? 2.0 * doc.score - 1 : doc.score));
        return hits;
    }

    private ChunkHit hit(StoredFields stored, int doc, double score) throws IOException {
        IndexedChunk chunk = StoredChunks.chunk(searcher, stored, doc);
        return new ChunkHit(chunk.fileId(), chunk.chunkIndex(), chunk.text(), chunk.metadata(), chunk.vector(), score);
    }
}
