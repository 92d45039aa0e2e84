package io.catchment.search;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * The Lucene schema of a chunk: field names, the analyzer and the vector similarity. Writers and
 * the search code must agree on all three, so they live here and nowhere else.
 */
final class ChunkFields {
    /** Exact-match key for deleting or replacing a file's chunks by term (points cannot be deleted by term). */
    static final String FILE_ID_TERM = "file_id_term";
    /** Long fields: points and doc values for filters and sorting, stored to restore the chunk. */
    static final String FILE_ID = "file_id";
    static final String ORGANIZATION_ID = "organization_id";
    static final String CUSTOMER_ID = "customer_id";
    static final String CHUNK_INDEX = "chunk_index";
    /** The chunk's text: analyzed for BM25 and stored. */
    static final String CONTENT = "content";
    static final String EMBEDDING_MODEL = "embedding_model";
    /** Stored name of the vector field the chunk's vector went into, to read it back. */
    static final String VECTOR_FIELD = "vector_field";
    /** The chunk's metadata as a stored JSON object. */
    static final String METADATA = "metadata";

    /**
     * Vectors are unit length (see {@link UnitVectors}), so the dot product ranks exactly like cosine
     * and skips the two norm computations per comparison.
     */
    static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

    private ChunkFields() {}

    /**
     * One vector field per model and dimension. Lucene fixes a field's dimension on first use, and
     * vectors of different models are not comparable even when their dimensions match; keying by
     * both keeps models apart and survives a model served at several sizes.
     */
    static String vectorField(String embeddingModel, int dimensions) {
        return "vector_" + embeddingModel + "_" + dimensions;
    }

    /**
     * Language-neutral: Unicode word breaks and lower-casing, no stemming and no stop words. Synced
     * files come in any language, and English stemming would mangle the others; the vector side of
     * hybrid search already covers word forms. Queries must be analyzed with the same analyzer.
     */
    static Analyzer newAnalyzer() {
        return new StandardAnalyzer();
    }
}
