package io.catchment.search;

/** How chunks are found: by vector similarity, by keywords (BM25-like), or both fused. */
public sealed interface Retrieval {
    record Semantic() implements Retrieval {}

    record Keyword() implements Retrieval {}

    /** Both, fused by {@link Fusion} with these weights (Carbon's weight_a and weight_b). */
    record Hybrid(double semanticWeight, double keywordWeight) implements Retrieval {
        /**
         * The weights when a request asks for hybrid search without choosing: leaning on meaning,
         * with keywords to rescue exact identifiers. On the labeled corpus in the tests this beats
         * both semantic-only and keyword-only (see test resources retrieval/README.md).
         */
        public static final Hybrid DEFAULT = new Hybrid(0.75, 0.25);

        public Hybrid {
            if (semanticWeight < 0 || keywordWeight < 0) throw new IllegalArgumentException("weights must be >= 0");
        }
    }
}
