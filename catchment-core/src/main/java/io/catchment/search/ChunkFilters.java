package io.catchment.search;

import java.util.Objects;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedNumericSelector;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;

/** The non-scoring parts of a chunk search: who may see a chunk, and the order of equal scores. */
final class ChunkFilters {
    /**
     * Best first; equal scores by file id, then chunk index, so the same index always answers the
     * same query in the same order, including where {@code k} cuts through a tie.
     */
    static final Sort BEST_FIRST = new Sort(SortField.FIELD_SCORE,
            LongField.newSortField(ChunkFields.FILE_ID, false, SortedNumericSelector.Type.MIN),
            IntField.newSortField(ChunkFields.CHUNK_INDEX, false, SortedNumericSelector.Type.MIN));

    private ChunkFilters() {}

    /**
     * The chunks the query may see at all: its organization's and customer's (both, since customer
     * ids are only unique within an organization), and only the requested files when it names any.
     * Callers answer an empty file set themselves: it matches nothing.
     */
    static Query visibleTo(ChunkQuery query) {
        BooleanQuery.Builder filter = new BooleanQuery.Builder()
                .add(LongField.newExactQuery(ChunkFields.ORGANIZATION_ID, query.organizationId()), Occur.FILTER)
                .add(LongField.newExactQuery(ChunkFields.CUSTOMER_ID, query.customerId()), Occur.FILTER);
        query.fileIds().ifPresent(files -> filter.add(
                LongField.newSetQuery(ChunkFields.FILE_ID, files.stream().mapToLong(Long::longValue).toArray()), Occur.FILTER));
        return filter.build();
    }

    /**
     * Chunks keyword search may return for a query of {@code model}: the model's own chunks and
     * chunks stored without an embedding. Another model's chunks are left out so that a hybrid
     * result never mixes chunks the semantic side could not have scored.
     */
    static Query keywordModels(String model) {
        Objects.requireNonNull(model, "embedding model");
        // "Has no model" is "not any term of the field": the field has no norms or doc values for
        // FieldExistsQuery, and it holds only a few distinct terms (one per model in use).
        Query anyModel = new TermRangeQuery(ChunkFields.EMBEDDING_MODEL, null, null, true, true);
        Query noModel = new BooleanQuery.Builder()
                .add(MatchAllDocsQuery.INSTANCE, Occur.FILTER)
                .add(anyModel, Occur.MUST_NOT)
                .build();
        return new BooleanQuery.Builder()
                .add(new TermQuery(new Term(ChunkFields.EMBEDDING_MODEL, model)), Occur.SHOULD)
                .add(noModel, Occur.SHOULD)
                .build();
    }
}
