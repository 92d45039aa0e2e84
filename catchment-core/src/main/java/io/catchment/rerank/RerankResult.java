package io.catchment.rerank;

/** One scored candidate: its position in the list given to the reranker, and its relevance. */
public record RerankResult(int index, double relevanceScore) {}
