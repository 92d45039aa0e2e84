package io.catchment.embed.jina;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.embed.EmbeddingException;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.remote.ApiRequest;
import io.catchment.embed.remote.JsonApiClient;
import io.catchment.json.Json;
import io.catchment.rerank.RerankModel;
import io.catchment.rerank.RerankResult;
import io.catchment.rerank.Reranker;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@link RerankModel#JINA_RERANKER_MULTILINGUAL_V2} through Jina AI's rerank endpoint. */
public final class JinaReranker implements Reranker {
    static final String PROVIDER = "Jina AI";

    /**
     * Jina documents no per-call document count; this keeps one call to the size of Cohere's
     * documented ceiling, far more candidates than a search reranks.
     */
    static final int MAX_DOCUMENTS = 1000;

    private static final RerankModel MODEL = RerankModel.JINA_RERANKER_MULTILINGUAL_V2;

    private final ModelCredentials.Jina credentials;
    private final JsonApiClient client;
    private final URI uri;

    public JinaReranker(ModelCredentials.Jina credentials, JsonApiClient client) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.client = Objects.requireNonNull(client, "client");
        this.uri = endpoint(credentials.baseUrl());
    }

    @Override
    public RerankModel model() {
        return MODEL;
    }

    @Override
    public int maxDocuments() {
        return MAX_DOCUMENTS;
    }

    @Override
    public List<RerankResult> rerank(String query, List<String> documents, int topN) throws EmbeddingException {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(documents, "documents");
        if (topN < 1) throw new IllegalArgumentException("topN must be at least 1, not " + topN);
        if (documents.size() > MAX_DOCUMENTS) {
            throw new IllegalArgumentException(documents.size() + " documents, more than the " + MAX_DOCUMENTS
                    + " Catchment sends Jina AI in one call");
        }
        if (documents.isEmpty()) return List.of();
        int wanted = Math.min(topN, documents.size());
        ObjectNode body = Json.object();
        body.put("model", MODEL.upstreamModel());
        body.put("query", query);
        ArrayNode array = body.putArray("documents");
        for (int i = 0; i < documents.size(); i++) {
            array.add(Objects.requireNonNull(documents.get(i), "documents[" + i + "]"));
        }
        body.put("top_n", wanted);
        // Only indices are needed; echoing every document back would only make the answer larger.
        body.put("return_documents", false);
        JsonNode answer = client.post(ApiRequest.json(PROVIDER, uri,
                Map.of("Authorization", "Bearer " + credentials.apiKey()), body, credentials.fingerprint(),
                credentials.secrets()));
        return parse(answer, documents.size(), wanted);
    }

    /**
     * {@code results[]} of {@code index} and {@code relevance_score}, checked (indices in range and
     * distinct, scores finite numbers) and put best first, ties by index, whatever order they came in.
     */
    private static List<RerankResult> parse(JsonNode answer, int documents, int wanted) throws EmbeddingException {
        JsonNode results = answer.path("results");
        if (!results.isArray()) throw malformed("it has no results array");
        boolean[] seen = new boolean[documents];
        List<RerankResult> out = new ArrayList<>(results.size());
        for (JsonNode result : results) {
            JsonNode index = result.path("index");
            JsonNode score = result.path("relevance_score");
            if (!index.canConvertToExactIntegral() || !index.canConvertToInt()) {
                throw malformed("a result has no whole-number index");
            }
            int i = index.intValue();
            if (i < 0 || i >= documents) {
                throw malformed("index " + i + " is outside the " + documents + " documents sent");
            }
            if (seen[i]) throw malformed("index " + i + " appears twice");
            seen[i] = true;
            if (!score.isNumber() || !Double.isFinite(score.doubleValue())) {
                throw malformed("the relevance_score of index " + i + " is not a number");
            }
            out.add(new RerankResult(i, score.doubleValue()));
        }
        out.sort(Comparator.comparingDouble(RerankResult::relevanceScore).reversed()
                .thenComparingInt(RerankResult::index));
        return List.copyOf(out.subList(0, Math.min(wanted, out.size())));
    }

    private static EmbeddingException malformed(String why) {
        return new EmbeddingException(PROVIDER + " sent an answer Catchment cannot read: " + why, false, null);
    }

    /** {@code rerank} under the base URL ({@code .../v1}); joined as strings so the base path is kept. */
    private static URI endpoint(URI baseUrl) {
        String base = baseUrl.toString();
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        return URI.create(base + "/rerank");
    }
}
