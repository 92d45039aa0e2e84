package io.catchment.rerank;

import io.catchment.embed.EmbeddingException;
import java.util.List;

/** Scores documents against a query with a cross-encoder. Thread-safe. */
public interface Reranker {
    RerankModel model();

    /** Most documents one call takes; callers send no more. */
    int maxDocuments();

    /**
     * The {@code topN} most relevant documents, best first, each with its index in {@code documents}.
     * {@code documents} is non-empty and at most {@link #maxDocuments()} long.
     */
    List<RerankResult> rerank(String query, List<String> documents, int topN) throws EmbeddingException;
}
