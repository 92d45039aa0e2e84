package io.catchment.search;

import java.util.Optional;
import java.util.Set;

/** Builds {@link ChunkQuery}s for tests: the default tenant and model of {@link Chunks}, k = 10. */
final class Queries {
    private long organizationId = Chunks.ORG;
    private long customerId = Chunks.CUSTOMER;
    private String model = Chunks.MINILM;
    private float[] vector;
    private String text;
    private Retrieval retrieval;
    private int k = 10;
    private Set<Long> fileIds;
    private boolean exact;

    private Queries() {}

    static Queries semantic(float[] vector) {
        Queries q = new Queries();
        q.vector = vector;
        q.retrieval = new Retrieval.Semantic();
        return q;
    }

    static Queries keyword(String text) {
        Queries q = new Queries();
        q.text = text;
        q.retrieval = new Retrieval.Keyword();
        return q;
    }

    static Queries hybrid(float[] vector, String text, double semanticWeight, double keywordWeight) {
        Queries q = new Queries();
        q.vector = vector;
        q.text = text;
        q.retrieval = new Retrieval.Hybrid(semanticWeight, keywordWeight);
        return q;
    }

    Queries tenant(long organizationId, long customerId) {
        this.organizationId = organizationId;
        this.customerId = customerId;
        return this;
    }

    Queries model(String model) {
        this.model = model;
        return this;
    }

    Queries k(int k) {
        this.k = k;
        return this;
    }

    Queries files(Long... fileIds) {
        this.fileIds = Set.of(fileIds);
        return this;
    }

    Queries exact() {
        this.exact = true;
        return this;
    }

    ChunkQuery build() {
        return new ChunkQuery(organizationId, customerId, model, Optional.ofNullable(vector), Optional.ofNullable(text),
                retrieval, k, Optional.ofNullable(fileIds), exact);
    }
}
