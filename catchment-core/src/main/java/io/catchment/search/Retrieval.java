package io.catchment.search;

/** How chunks are found: by vector similarity, by keywords (BM25-like), or both fused. */
public sealed interface Retrieval {
    record Semantic() implements Retrieval {}

    record Keyword() implements Retrieval {}

    /**
     * Both, fused by weighted reciprocal rank: {@code semanticWeight / (60 + semantic rank) +
     * keywordWeight / (60 + keyword rank)} (Carbon's weight_a and weight_b).
     */
    record Hybrid(double semanticWeight, double keywordWeight) implements Retrieval {
        public Hybrid {
            if (semanticWeight < 0 || keywordWeight < 0) throw new IllegalArgumentException("weights must be >= 0");
        }
    }
}
