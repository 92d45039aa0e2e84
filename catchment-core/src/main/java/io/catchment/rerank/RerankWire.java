package io.catchment.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.embed.EmbeddingException;
import io.catchment.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What Cohere's and Jina AI's rerank APIs share: the request's {@code model, query, documents,
 * top_n} and the answer's {@code results[]} of {@code index} and {@code relevance_score}.
 */
public final class RerankWire {
    private RerankWire() {}

    /**
     * How many results to ask for: {@code topN}, at most the number of documents.
     *
     * @throws IllegalArgumentException for topN below 1 or more documents than the provider takes
     */
    public static int wanted(List<String> documents, int topN, int maxDocuments, String provider) {
        Objects.requireNonNull(documents, "documents");
        if (topN < 1) throw new IllegalArgumentException("topN must be at least 1, not " + topN);
        if (documents.size() > maxDocuments) {
            throw new IllegalArgumentException(documents.size() + " documents, more than the " + maxDocuments
                    + " " + provider + " reranks in one call");
        }
        return Math.min(topN, documents.size());
    }

    /** {@code {"model", "query", "documents": [...], "top_n"}}. */
    public static ObjectNode body(RerankModel model, String query, List<String> documents, int wanted) {
        ObjectNode body = Json.object();
        body.put("model", model.upstreamModel());
        body.put("query", Objects.requireNonNull(query, "query"));
        ArrayNode array = body.putArray("documents");
        for (int i = 0; i < documents.size(); i++) {
            array.add(Objects.requireNonNull(documents.get(i), "documents[" + i + "]"));
        }
        body.put("top_n", wanted);
        return body;
    }

    /**
     * {@code results[]}, checked (indices in range and distinct, scores finite numbers) and put best
     * first, ties by index, whatever order they came in; at most {@code wanted} of them.
     */
    public static List<RerankResult> results(JsonNode answer, int documents, int wanted, String provider)
            throws EmbeddingException {
        JsonNode results = answer.path("results");
        if (!results.isArray()) throw malformed(provider, "it has no results array");
        boolean[] seen = new boolean[documents];
        List<RerankResult> out = new ArrayList<>(results.size());
        for (JsonNode result : results) {
            JsonNode index = result.path("index");
            JsonNode score = result.path("relevance_score");
            if (!index.canConvertToExactIntegral() || !index.canConvertToInt()) {
                throw malformed(provider, "a result has no whole-number index");
            }
            int i = index.intValue();
            if (i < 0 || i >= documents) {
                throw malformed(provider, "index " + i + " is outside the " + documents + " documents sent");
            }
            if (seen[i]) throw malformed(provider, "index " + i + " appears twice");
            seen[i] = true;
            if (!score.isNumber() || !Double.isFinite(score.doubleValue())) {
                throw malformed(provider, "the relevance_score of index " + i + " is not a number");
            }
            out.add(new RerankResult(i, score.doubleValue()));
        }
        out.sort(Comparator.comparingDouble(RerankResult::relevanceScore).reversed().thenComparingInt(RerankResult::index));
        return List.copyOf(out.subList(0, Math.min(wanted, out.size())));
    }

    private static EmbeddingException malformed(String provider, String why) {
        return new EmbeddingException(provider + " sent an answer Catchment cannot read: " + why, false, null);
    }
}
