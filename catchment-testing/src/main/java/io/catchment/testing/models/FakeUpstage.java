package io.catchment.testing.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Upstage's Solar embeddings, {@code POST /v1/embeddings} (OpenAI-compatible), validating requests
 * as the real API does and answering in its format: {@code Authorization: Bearer <key>}; models
 * {@code solar-embedding-1-large-passage} / {@code -query} and their aliases
 * {@code embedding-passage} / {@code embedding-query} (4096 dimensions; anything else 404
 * {@code model_not_found}); {@code input} a non-empty string or 1 to 100 non-empty strings.
 *
 * <p>Token limits (4000 per text, 204,800 per request) are checked against the number of words
 * and punctuation marks, a lower bound of Solar's token count: the fake never refuses what the
 * real API accepts and refuses what is too long by a wide margin. Vectors are
 * {@link #expectedVector}: passage and query vectors of a text differ a little, as the two real
 * models' do. {@code data} comes back in reverse index order, so clients must place vectors by
 * {@code index}.
 */
public final class FakeUpstage extends FakeHttpApi {
    public static final int DIMENSIONS = 4096;
    public static final int MAX_INPUTS = 100;
    public static final int CONTEXT_TOKENS = 4000;
    public static final int MAX_REQUEST_TOKENS = 204_800;

    /** Model ids (and aliases) to whether they embed queries. */
    private static final Map<String, Boolean> MODELS = Map.of("solar-embedding-1-large-passage", false,
            "solar-embedding-1-large-query", true, "embedding-passage", false, "embedding-query", true);
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+|[^\\s\\p{L}\\p{N}]");

    private final String apiKey;

    public FakeUpstage(String apiKey) {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        post("/v1/embeddings", this::embeddings);
    }

    /** What goes in the credentials' base URL: {@code {baseUrl}/v1}. */
    public URI apiBaseUrl() {
        return URI.create(baseUrl() + "/v1");
    }

    /** The vector this fake answers for {@code text} from the query model ({@code query}) or the passage model. */
    public static float[] expectedVector(String text, boolean query) {
        return FakeVectors.of(text, DIMENSIONS, query ? "query" : "passage");
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return request.header("authorization").filter(("Bearer " + apiKey)::equals).isPresent();
    }

    @Override
    protected Reply unauthorized() {
        return error(401, "Incorrect API key provided. You can find your API key at https://console.upstage.ai/api-keys.",
                "invalid_api_key");
    }

    /** The OpenAI-style error body: {@code {"error": {"message", "type", "param", "code"}}}. */
    public static Reply error(int status, String message, String code) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", "invalid_request_error");
        error.putNull("param");
        if (code == null) error.putNull("code"); else error.put("code", code);
        return Reply.json(status, body);
    }

    private Reply embeddings(RecordedRequest request) {
        JsonNode json = request.json();
        if (!json.isObject()) return error(400, "We could not parse the JSON body of your request.", null);
        JsonNode m = json.get("model");
        if (m == null || !m.isTextual()) return error(400, "you must provide a model parameter", null);
        Boolean query = MODELS.get(m.asText());
        if (query == null) {
            return error(404, "The model `" + m.asText() + "` does not exist or you do not have access to it.",
                    "model_not_found");
        }
        JsonNode input = json.get("input");
        List<String> texts = new ArrayList<>();
        if (input != null && input.isTextual()) {
            texts.add(input.asText());
        } else if (input != null && input.isArray()) {
            for (JsonNode item : input) {
                if (!item.isTextual()) return error(400, "'$.input' must be a string or an array of strings", null);
                texts.add(item.asText());
            }
        } else {
            return error(400, "'input' is a required property", null);
        }
        if (texts.isEmpty()) return error(400, "'$.input' must not be empty", null);
        if (texts.size() > MAX_INPUTS) {
            return error(400, "Too many inputs: at most " + MAX_INPUTS + " strings per request, got " + texts.size(),
                    null);
        }
        long total = 0;
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isEmpty()) return error(400, "'$.input[" + i + "]' must not be an empty string", null);
            int tokens = tokens(texts.get(i));
            if (tokens > CONTEXT_TOKENS) {
                return error(400, "This model's maximum context length is " + CONTEXT_TOKENS
                        + " tokens, but input " + i + " has more.", null);
            }
            total += tokens;
        }
        if (total >= MAX_REQUEST_TOKENS) {
            return error(400, "Requests must have fewer than " + MAX_REQUEST_TOKENS + " tokens in all.", null);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        for (int i = texts.size() - 1; i >= 0; i--) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            ArrayNode vector = item.putArray("embedding");
            for (float x : expectedVector(texts.get(i), query)) vector.add(x);
            item.put("index", i);
        }
        body.put("model", m.asText());
        ObjectNode usage = body.putObject("usage");
        usage.put("prompt_tokens", total);
        usage.put("total_tokens", total);
        return Reply.json(200, body);
    }

    private static int tokens(String text) {
        Matcher matcher = TOKEN.matcher(text);
        int n = 0;
        while (matcher.find()) n++;
        return n;
    }
}
