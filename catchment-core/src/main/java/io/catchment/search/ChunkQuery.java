package io.catchment.search;

import java.util.Optional;
import java.util.Set;

/**
 * One search, always inside one customer of one organization (isolation is part of the query,
 * not an option). Semantic retrieval needs {@code vector}; keyword retrieval needs {@code text}.
 * Only chunks embedded with {@code embeddingModel} are found by vector; keyword retrieval also
 * finds chunks stored without vectors. {@code fileIds}, when present, restricts the search to
 * those files (filters such as tags_v2 are resolved to file ids before the index is asked).
 * {@code exact} asks for exhaustive vector search instead of the approximate graph.
 */
public record ChunkQuery(long organizationId, long customerId, String embeddingModel, Optional<float[]> vector,
                         Optional<String> text, Retrieval retrieval, int k, Optional<Set<Long>> fileIds,
                         boolean exact) {
    public ChunkQuery {
        if (k < 1) throw new IllegalArgumentException("k must be at least 1");
        fileIds = fileIds.map(Set::copyOf);
        boolean needsVector = !(retrieval instanceof Retrieval.Keyword);
        boolean needsText = !(retrieval instanceof Retrieval.Semantic);
        if (needsVector && vector.isEmpty()) throw new IllegalArgumentException(retrieval + " retrieval needs a query vector");
        if (needsText && text.map(String::isBlank).orElse(true)) {
            throw new IllegalArgumentException(retrieval + " retrieval needs query text");
        }
    }
}
