package io.catchment.server.search;

import io.catchment.embed.EmbeddingException;
import io.catchment.rerank.RerankModel;
import io.catchment.rerank.RerankResult;
import io.catchment.rerank.Reranker;
import io.catchment.rerank.RerankerSource;
import io.catchment.search.ChunkHit;
import io.catchment.server.http.ApiError;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rerank} on {@code /embeddings}: retrieve a wider candidate set, let the cross-encoder
 * order it, keep the best {@code k}. Scores become the reranker's relevance scores (0..1).
 */
final class Reranking {
    /** Candidates per result asked for, so the reranker can surface what retrieval ranked lower. */
    static final int CANDIDATES_PER_RESULT = 4;
    static final int MIN_CANDIDATES = 40;
    static final int MAX_CANDIDATES = 200;

    private final RerankerSource rerankers;

    Reranking(RerankerSource rerankers) {
        this.rerankers = rerankers;
    }

    /** The reranker to use; a 400 that says what to configure when there is none. */
    Reranker resolve(long organizationId, RerankModel model) {
        if (model.provider().isEmpty()) {
            throw ApiError.badRequest("Reranking with " + model + " is not available: that hosted service no longer "
                    + "exists. Use COHERE_RERANK_MULTILINGUAL_V3 or JINA_RERANKER_MULTILINGUAL_V2.");
        }
        return rerankers.find(organizationId, model).orElseThrow(() -> ApiError.badRequest("Reranking with " + model
                + " is not configured: set " + String.join(" and ", model.provider().get().settings())
                + " on the server or store the organization's " + model.provider().get() + " credentials "
                + "(POST /organization/model_credentials), or leave out 'rerank'."));
    }

    /** How many candidates to retrieve for {@code k} results. */
    static int candidates(int k, Reranker reranker) {
        return Math.min(reranker.maxDocuments(), Math.min(MAX_CANDIDATES, Math.max(MIN_CANDIDATES, k * CANDIDATES_PER_RESULT)));
    }

    /** The best {@code k} of {@code hits}, in the reranker's order, with its scores. */
    static List<ChunkHit> rerank(Reranker reranker, String query, List<ChunkHit> hits, int k) {
        if (hits.isEmpty()) return hits;
        List<RerankResult> order;
        try {
            order = reranker.rerank(query, hits.stream().map(ChunkHit::text).toList(), Math.min(k, hits.size()));
        } catch (EmbeddingException e) {
            throw ModelFailures.apiError("Failed to rerank", e);
        }
        List<ChunkHit> out = new ArrayList<>(order.size());
        for (RerankResult r : order) {
            ChunkHit h = hits.get(r.index());
            out.add(new ChunkHit(h.fileId(), h.chunkIndex(), h.text(), h.metadata(), h.vector(), r.relevanceScore()));
        }
        return out;
    }
}
