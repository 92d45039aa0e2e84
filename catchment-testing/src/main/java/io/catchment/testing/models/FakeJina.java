package io.catchment.testing.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jina AI's rerank API ({@code POST /v1/rerank}) as Jina validates and answers it:
 * {@code Authorization: Bearer <key>}, errors as {@code {"detail": ...}}. {@link #baseUrl()} ends in
 * {@code /v1}, like Jina's own base URL, so a client that drops the base path misses the route.
 *
 * <p>Known models only; {@code query} a string (or {@code {"text": ...}}); {@code documents} a
 * non-empty list of strings or {@code {"text": ...}} objects; optional positive {@code top_n};
 * {@code return_documents} (default true) adds each document's text to its result. Scores are
 * {@link FakeCohere#relevance}; results come best first, ties by index. Jina documents no limit on
 * the number of documents, so the fake sets none.
 */
public final class FakeJina extends FakeHttpApi {
    public static final String RERANKER_V2_MULTILINGUAL = "jina-reranker-v2-base-multilingual";

    private static final Set<String> MODELS = Set.of(RERANKER_V2_MULTILINGUAL, "jina-reranker-v1-base-en",
            "jina-reranker-v1-turbo-en", "jina-reranker-v1-tiny-en", "jina-colbert-v1-en", "jina-colbert-v2",
            "jina-reranker-m0", "jina-reranker-v3");

    private final String apiKey;

    public FakeJina(String apiKey) {
        this.apiKey = apiKey;
        post("/v1/rerank", this::rerank);
    }

    /** {@code http://127.0.0.1:port/v1}: what goes into the credentials' base URL. */
    @Override
    public URI baseUrl() {
        return URI.create(super.baseUrl() + "/v1");
    }

    /** Jina's answer when the key's rate limit is used up. */
    public static Reply tooManyRequests() {
        return Reply.json(429, Map.of("detail", "Rate limit exceeded for this API key, please slow down"));
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return request.header("authorization").map(h -> h.equals("Bearer " + apiKey)).orElse(false);
    }

    @Override
    protected Reply unauthorized() {
        return Reply.json(401, Map.of("detail", "Invalid API key, please check the Authorization header"));
    }

    private Reply rerank(RecordedRequest request) {
        JsonNode body = request.json();
        if (!body.isObject()) return invalid("The request body must be a JSON object");
        JsonNode model = body.path("model");
        if (!model.isTextual() || !MODELS.contains(model.asText())) {
            return invalid("Model '" + model.asText() + "' is not a reranker model; use one of " + MODELS);
        }
        String query = text(body.path("query"));
        if (query == null || query.isBlank()) return invalid("query must be a non-empty string");
        JsonNode documents = body.path("documents");
        if (!documents.isArray() || documents.isEmpty()) return invalid("documents must be a non-empty list");
        List<String> texts = new ArrayList<>();
        for (JsonNode document : documents) {
            String text = text(document);
            if (text == null) return invalid("each document must be a string or an object with a text field");
            texts.add(text);
        }
        JsonNode topN = body.path("top_n");
        if (!topN.isMissingNode() && !topN.isNull() && (!topN.isIntegralNumber() || topN.asInt() < 1)) {
            return invalid("top_n must be a positive integer");
        }
        JsonNode returnDocuments = body.path("return_documents");
        if (!returnDocuments.isMissingNode() && !returnDocuments.isBoolean()) {
            return invalid("return_documents must be a boolean");
        }
        boolean withDocuments = returnDocuments.isMissingNode() || returnDocuments.asBoolean();
        List<double[]> scored = new ArrayList<>();
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            scored.add(new double[] {i, FakeCohere.relevance(query, texts.get(i))});
            tokens += wordCount(query) + wordCount(texts.get(i));
        }
        scored.sort(Comparator.<double[]>comparingDouble(s -> -s[1]).thenComparingDouble(s -> s[0]));
        int limit = topN.isIntegralNumber() ? Math.min(topN.asInt(), scored.size()) : scored.size();
        ObjectNode answer = JSON.createObjectNode();
        answer.put("model", model.asText());
        answer.putObject("usage").put("total_tokens", tokens);
        ArrayNode results = answer.putArray("results");
        for (double[] s : scored.subList(0, limit)) {
            ObjectNode result = results.addObject().put("index", (int) s[0]);
            if (withDocuments) result.putObject("document").put("text", texts.get((int) s[0]));
            result.put("relevance_score", s[1]);
        }
        return Reply.json(200, answer);
    }

    /** A string, or the {@code text} of an object; null for anything else. */
    private static String text(JsonNode node) {
        if (node.isTextual()) return node.asText();
        if (node.isObject() && node.path("text").isTextual()) return node.path("text").asText();
        return null;
    }

    private static int wordCount(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
    }

    private static Reply invalid(String detail) {
        return Reply.json(400, Map.of("detail", detail));
    }
}
