package io.catchment.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.search.CollectionTerminatedException;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.util.VectorUtil;

/**
 * Exhaustive vector search: every live chunk the filter lets through that has a vector in the
 * field is compared with the query vector (dot product of unit vectors = cosine), and the best
 * {@code k} are kept. No graph is consulted, so nothing can be missed; the cost is linear in the
 * filtered chunk count, which the filter (one customer, maybe a few files) keeps small.
 */
final class ExactVectorSearch {
    /** One scored chunk; {@code doc} is the searcher-wide document id. */
    record Candidate(int doc, float score, long fileId, int chunkIndex) {}

    /** The same order as {@link ChunkFilters#BEST_FIRST}: best score, then lowest file, then lowest chunk. */
    static final Comparator<Candidate> BEST_FIRST = Comparator.comparingDouble(Candidate::score).reversed()
            .thenComparingLong(Candidate::fileId).thenComparingInt(Candidate::chunkIndex);

    private ExactVectorSearch() {}

    /** The best {@code k} chunks matching {@code filter}, best first; {@code vector} must be unit length. */
    static List<Candidate> search(IndexSearcher searcher, Query filter, String field, float[] vector, int k) throws IOException {
        return searcher.search(filter, new CollectorManager<TopCollector, List<Candidate>>() {
            @Override
            public TopCollector newCollector() {
                return new TopCollector(field, vector, k);
            }

            @Override
            public List<Candidate> reduce(Collection<TopCollector> collectors) {
                TopCollector all = new TopCollector(field, vector, k);
                for (TopCollector collector : collectors) collector.best.forEach(all::offer);
                return all.ranked();
            }
        });
    }

    /** Keeps the best k seen so far; the queue's head is the worst of them, the next to go. */
    private static final class TopCollector implements Collector {
        private final String field;
        private final float[] vector;
        private final int k;
        private final PriorityQueue<Candidate> best;

        TopCollector(String field, float[] vector, int k) {
            this.field = field;
            this.vector = vector;
            this.k = k;
            this.best = new PriorityQueue<>(BEST_FIRST.reversed());
        }

        void offer(Candidate candidate) {
            if (best.size() < k) {
                best.add(candidate);
            } else if (BEST_FIRST.compare(candidate, best.peek()) < 0) {
                best.poll();
                best.add(candidate);
            }
        }

        List<Candidate> ranked() {
            List<Candidate> ranked = new ArrayList<>(best);
            ranked.sort(BEST_FIRST);
            return ranked;
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }

        @Override
        public LeafCollector getLeafCollector(LeafReaderContext leaf) throws IOException {
            FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
            if (values == null) throw new CollectionTerminatedException(); // no chunk of this model in the segment
            KnnVectorValues.DocIndexIterator vectors = values.iterator();
            SortedNumericDocValues fileIds = DocValues.getSortedNumeric(leaf.reader(), ChunkFields.FILE_ID);
            SortedNumericDocValues chunkIndexes = DocValues.getSortedNumeric(leaf.reader(), ChunkFields.CHUNK_INDEX);
            return new LeafCollector() {
                @Override
                public void setScorer(Scorable scorer) {}

                @Override
                public void collect(int doc) throws IOException {
                    // Documents arrive in increasing order, so the vector iterator only moves forward.
                    if (vectors.docID() < doc) vectors.advance(doc);
                    if (vectors.docID() != doc) return; // a chunk stored without a vector of this model
                    float score = VectorUtil.dotProduct(vector, values.vectorValue(vectors.index()));
                    offer(new Candidate(leaf.docBase + doc, score, value(fileIds, doc), (int) value(chunkIndexes, doc)));
                }
            };
        }

        private static long value(SortedNumericDocValues values, int doc) throws IOException {
            if (!values.advanceExact(doc)) throw new IllegalStateException("Chunk document " + doc + " lacks a numeric field");
            return values.nextValue();
        }
    }
}
