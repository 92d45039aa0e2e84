package io.catchment.testing.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Cohere's API v2 ({@code POST /v2/embed}, {@code POST /v2/rerank}) as Cohere validates and answers
 * it: {@code Authorization: Bearer <key>}, errors as {@code {"message": ...}}.
 *
 * <p>Embed: known models only (404 otherwise), 1 to 96 non-empty {@code texts}, {@code input_type}
 * required for v3 and later models, {@code embedding_types} required and known, {@code truncate}
 * NONE, START or END. The model context is counted in whitespace-separated words (the fake has no
 * Cohere tokenizer): past 512 words, {@code END} drops the tail, {@code START} the head, and
 * {@code NONE} refuses the text. Vectors are {@link FakeVectors} salted with the {@code input_type},
 * so documents and queries differ; {@link #expectedVector} computes them for assertions.
 *
 * <p>Rerank: known models only, a non-empty {@code query}, 1 to 1000 string {@code documents}, an
 * optional positive {@code top_n}. The score is {@link #relevance}: the share of the query's words
 * that the document contains; results come best first, ties by index.
 */
public final class FakeCohere extends FakeHttpApi {
    public static final String EMBED_MULTILINGUAL_V3 = "embed-multilingual-v3.0";
    public static final String RERANK_MULTILINGUAL_V3 = "rerank-multilingual-v3.0";
    public static final int MAX_TEXTS = 96;
    public static final int MAX_DOCUMENTS = 1000;
    /** The embed models' context, here in words rather than Cohere tokens. */
    public static final int CONTEXT_WORDS = 512;

    /** Embed models and their dimensions; the v2 ones work without {@code input_type}. */
    private static final Map<String, Integer> EMBED_MODELS = Map.of(
            "embed-english-v3.0", 1024, EMBED_MULTILINGUAL_V3, 1024,
            "embed-english-light-v3.0", 384, "embed-multilingual-light-v3.0", 384,
            "embed-v4.0", 1536,
            "embed-english-v2.0", 4096, "embed-english-light-v2.0", 1024, "embed-multilingual-v2.0", 768);
    private static final Set<String> RERANK_MODELS = Set.of(RERANK_MULTILINGUAL_V3, "rerank-english-v3.0",
            "rerank-v3.5", "rerank-english-v2.0", "rerank-multilingual-v2.0");
    private static final List<String> INPUT_TYPES = List.of("search_document", "search_query", "classification",
            "clustering", "image");
    private static final List<String> EMBEDDING_TYPES = List.of("float", "int8", "uint8", "binary", "ubinary",
            "base64");
    private static final List<String> TRUNCATE = List.of("NONE", "START", "END");

    private final String apiKey;

    public FakeCohere(String apiKey) {
        this.apiKey = apiKey;
        post("/v2/embed", this::embed);
        post("/v2/rerank", this::rerank);
    }

    /** The vector the fake returns for {@code text} (at most 512 words) from embed-multilingual-v3.0. */
    public static float[] expectedVector(String text, String inputType) {
        return FakeVectors.of(text, 1024, inputType);
    }

    /** The fake's relevance of {@code document} to {@code query}: the share of query words it contains. */
    public static double relevance(String query, String document) {
        Set<String> wanted = words(query);
        if (wanted.isEmpty()) return 0;
        Set<String> present = words(document);
        long found = wanted.stream().filter(present::contains).count();
        return (double) found / wanted.size();
    }

    /** Cohere's answer when a trial key has used up its calls for the minute. */
    public static Reply tooManyRequests() {
        return Reply.json(429, Map.of("message",
                "You are using a Trial key, which is limited to 100 API calls / minute."));
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return request.header("authorization").map(h -> h.equals("Bearer " + apiKey)).orElse(false);
    }

    @Override
    protected Reply unauthorized() {
        return Reply.json(401, Map.of("message", "invalid api token"));
    }

    private Reply embed(RecordedRequest request) {
        JsonNode body = request.json();
        if (!body.isObject()) return invalid("invalid request: the body must be a JSON object");
        JsonNode model = body.path("model");
        if (!model.isTextual() || model.asText().isEmpty()) return invalid("invalid request: model must be provided");
        Integer dimensions = EMBED_MODELS.get(model.asText());
        if (dimensions == null) return modelNotFound(model.asText());
        JsonNode texts = body.path("texts");
        if (!texts.isArray() || texts.isEmpty()) return invalid("invalid request: texts must be a non-empty list");
        if (texts.size() > MAX_TEXTS) {
            return invalid("invalid request: texts must contain at most " + MAX_TEXTS + " items, got " + texts.size());
        }
        for (JsonNode text : texts) {
            if (!text.isTextual()) return invalid("invalid request: texts must be strings");
            if (text.asText().isEmpty()) return invalid("invalid request: texts must not contain empty strings");
        }
        JsonNode inputType = body.path("input_type");
        if (inputType.isMissingNode() || inputType.isNull()) {
            if (!model.asText().contains("-v2.")) {
                return invalid("invalid request: valid input_type must be provided with the provided model");
            }
        } else if (!INPUT_TYPES.contains(inputType.asText()) || !inputType.isTextual()) {
            return invalid("invalid request: input_type must be one of " + INPUT_TYPES);
        }
        JsonNode types = body.path("embedding_types");
        if (!types.isArray() || types.isEmpty()) {
            return invalid("invalid request: embedding_types must be a non-empty list");
        }
        for (JsonNode type : types) {
            if (!type.isTextual() || !EMBEDDING_TYPES.contains(type.asText())) {
                return invalid("invalid request: embedding_types must contain only " + EMBEDDING_TYPES);
            }
            if (type.asText().equals("base64")) return invalid("FakeCohere does not implement base64 embeddings");
        }
        JsonNode truncateNode = body.path("truncate");
        String truncate = truncateNode.isMissingNode() ? "END" : truncateNode.asText();
        if (!truncateNode.isMissingNode() && (!truncateNode.isTextual() || !TRUNCATE.contains(truncate))) {
            return invalid("invalid request: truncate must be one of " + TRUNCATE);
        }
        String salt = inputType.isTextual() ? inputType.asText() : "";
        List<float[]> vectors = new ArrayList<>();
        long words = 0;
        for (JsonNode node : texts) {
            String text = node.asText();
            String[] parts = text.strip().split("\\s+");
            if (parts.length > CONTEXT_WORDS) {
                switch (truncate) {
                    case "NONE" -> {
                        return invalid("invalid request: a text is longer than the model's context of "
                                + CONTEXT_WORDS + " tokens; shorten it or set truncate");
                    }
                    case "END" -> text = String.join(" ", Arrays.copyOfRange(parts, 0, CONTEXT_WORDS));
                    default -> text = String.join(" ", Arrays.copyOfRange(parts, parts.length - CONTEXT_WORDS,
                            parts.length));
                }
            }
            words += Math.min(parts.length, CONTEXT_WORDS);
            vectors.add(FakeVectors.of(text, dimensions, salt));
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("id", UUID.randomUUID().toString());
        ObjectNode embeddings = answer.putObject("embeddings");
        for (JsonNode type : types) embeddings.set(type.asText(), encode(vectors, type.asText()));
        answer.set("texts", texts);
        ObjectNode meta = answer.putObject("meta");
        meta.putObject("api_version").put("version", "2");
        meta.putObject("billed_units").put("input_tokens", words);
        answer.put("response_type", "embeddings_by_type");
        return Reply.json(200, answer);
    }

    private Reply rerank(RecordedRequest request) {
        JsonNode body = request.json();
        if (!body.isObject()) return invalid("invalid request: the body must be a JSON object");
        JsonNode model = body.path("model");
        if (!model.isTextual() || model.asText().isEmpty()) return invalid("invalid request: model must be provided");
        if (!RERANK_MODELS.contains(model.asText())) return modelNotFound(model.asText());
        JsonNode query = body.path("query");
        if (!query.isTextual() || query.asText().isBlank()) return invalid("invalid request: query must not be empty");
        JsonNode documents = body.path("documents");
        if (!documents.isArray() || documents.isEmpty()) {
            return invalid("invalid request: documents must be a non-empty list");
        }
        if (documents.size() > MAX_DOCUMENTS) {
            return invalid("invalid request: documents must contain at most " + MAX_DOCUMENTS + " items");
        }
        for (JsonNode document : documents) {
            if (!document.isTextual()) return invalid("invalid request: documents must be strings");
        }
        JsonNode topN = body.path("top_n");
        if (!topN.isMissingNode() && (!topN.isIntegralNumber() || topN.asInt() < 1)) {
            return invalid("invalid request: top_n must be a positive integer");
        }
        JsonNode maxTokens = body.path("max_tokens_per_doc");
        if (!maxTokens.isMissingNode() && (!maxTokens.isIntegralNumber() || maxTokens.asInt() < 1)) {
            return invalid("invalid request: max_tokens_per_doc must be a positive integer");
        }
        List<double[]> scored = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            scored.add(new double[] {i, relevance(query.asText(), documents.get(i).asText())});
        }
        scored.sort(Comparator.<double[]>comparingDouble(s -> -s[1]).thenComparingDouble(s -> s[0]));
        int limit = topN.isMissingNode() ? scored.size() : Math.min(topN.asInt(), scored.size());
        ObjectNode answer = JSON.createObjectNode();
        answer.put("id", UUID.randomUUID().toString());
        ArrayNode results = answer.putArray("results");
        for (double[] s : scored.subList(0, limit)) {
            results.addObject().put("index", (int) s[0]).put("relevance_score", s[1]);
        }
        ObjectNode meta = answer.putObject("meta");
        meta.putObject("api_version").put("version", "2");
        meta.putObject("billed_units").put("search_units", 1);
        return Reply.json(200, answer);
    }

    /** The vectors in one of Cohere's embedding types (int types scale by 127; binary packs sign bits). */
    private static ArrayNode encode(List<float[]> vectors, String type) {
        ArrayNode out = JSON.createArrayNode();
        for (float[] v : vectors) {
            ArrayNode row = out.addArray();
            switch (type) {
                case "float" -> {
                    for (float x : v) row.add(x);
                }
                case "int8", "uint8" -> {
                    for (float x : v) {
                        int q = Math.max(-128, Math.min(127, Math.round(x * 127)));
                        row.add(type.equals("int8") ? q : q + 128);
                    }
                }
                default -> {
                    for (int i = 0; i < v.length; i += 8) {
                        int bits = 0;
                        for (int j = 0; j < 8 && i + j < v.length; j++) bits |= (v[i + j] > 0 ? 1 : 0) << (7 - j);
                        row.add(type.equals("ubinary") ? bits : bits - 128);
                    }
                }
            }
        }
        return out;
    }

    private static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) out.add(word);
        }
        return out;
    }

    private static Reply invalid(String message) {
        return Reply.json(400, Map.of("message", message));
    }

    private static Reply modelNotFound(String model) {
        return Reply.json(404, Map.of("message", "model '" + model
                + "' not found, make sure the correct model ID was used and that you have access to the model."));
    }
}
