package io.catchment.testing.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenAI's {@code POST /v1/embeddings}, validating requests as the real API does and answering in
 * its format: {@code Authorization: Bearer <key>}; models text-embedding-ada-002 (1536, refuses
 * {@code dimensions}), text-embedding-3-small (1536) and -large (3072), which shorten to
 * {@code dimensions}; {@code input} a string or a non-empty array (at most 2048) of non-empty
 * strings or token arrays; {@code encoding_format} float or base64; unknown fields refused.
 *
 * <p>Token limits (8192 per input, 300,000 per request) are checked against the number of
 * whitespace-separated words, a lower bound of the real token count: the fake never refuses what
 * the real API accepts, and refuses whatever is too long by a wide margin. Vectors are
 * {@link #expectedVector}; {@code data} comes back in reverse index order, which the real API
 * does not promise against, so clients must place vectors by {@code index}.
 */
public final class FakeOpenAi extends FakeHttpApi {
    /** The real API's limits. */
    public static final int MAX_INPUTS = 2048;
    public static final int CONTEXT_TOKENS = 8192;
    public static final int MAX_REQUEST_TOKENS = 300_000;

    private static final Map<String, Integer> MODELS = Map.of("text-embedding-ada-002", 1536,
            "text-embedding-3-small", 1536, "text-embedding-3-large", 3072);
    private static final Set<String> FIELDS = Set.of("model", "input", "encoding_format", "dimensions", "user");
    private static final Pattern WORD = Pattern.compile("\\S+");
    private static final String INVALID_INPUT =
            "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.";

    private final String apiKey;

    public FakeOpenAi(String apiKey) {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        post("/v1/embeddings", request -> embeddings(request, Optional.empty(), MAX_INPUTS, INVALID_INPUT));
    }

    /** What goes in the credentials' base URL: {@code {baseUrl}/v1}. */
    public URI apiBaseUrl() {
        return URI.create(baseUrl() + "/v1");
    }

    /** The model ids this fake (and the real API) knows, with their native dimensions. */
    public static Map<String, Integer> models() {
        return MODELS;
    }

    /**
     * The vector the fake answers for {@code text}: computed at the model's native size, then cut
     * to {@code dimensions} and renormalised, as the text-embedding-3 models shorten theirs.
     */
    public static float[] expectedVector(String text, String model, int dimensions) {
        Integer size = MODELS.get(model);
        if (size == null) throw new IllegalArgumentException("unknown model " + model);
        if (dimensions < 1 || dimensions > size) throw new IllegalArgumentException("dimensions " + dimensions);
        // The model id as salt: the three models place the same text a little differently.
        float[] full = FakeVectors.of(text, size, model);
        double norm = 0;
        for (int i = 0; i < dimensions; i++) norm += (double) full[i] * full[i];
        float[] out = new float[dimensions];
        if (norm == 0) {
            out[0] = 1;
            return out;
        }
        double scale = 1 / Math.sqrt(norm);
        for (int i = 0; i < dimensions; i++) out[i] = (float) (full[i] * scale);
        return out;
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return request.header("authorization").filter(("Bearer " + apiKey)::equals).isPresent();
    }

    @Override
    protected Reply unauthorized() {
        return error(401, "Incorrect API key provided. You can find your API key at "
                + "https://platform.openai.com/account/api-keys.", "invalid_api_key");
    }

    /** OpenAI's error body: {@code {"error": {"message", "type", "param": null, "code": null}}}. */
    static Reply error(int status, String message) {
        return error(status, message, Optional.empty());
    }

    private static Reply error(int status, String message, String code) {
        return error(status, message, Optional.of(code));
    }

    private static Reply error(int status, String message, Optional<String> code) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", "invalid_request_error");
        error.putNull("param");
        code.ifPresentOrElse(c -> error.put("code", c), () -> error.putNull("code"));
        return Reply.json(status, body);
    }

    /**
     * Validates and answers an embeddings request. {@code deployedModel} is set for Azure, where
     * the deployment names the model and a {@code model} field is ignored.
     */
    static Reply embeddings(RecordedRequest request, Optional<String> deployedModel, int maxInputs,
                            String tooManyInputs) {
        JsonNode json = request.json();
        if (!json.isObject()) {
            return error(400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
                    + "using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was "
                    + "not valid JSON.)");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) return error(400, "Unrecognized request argument supplied: " + name);
        }
        String model;
        if (deployedModel.isPresent()) {
            model = deployedModel.get();
        } else {
            JsonNode m = json.get("model");
            if (m == null || m.isNull()) return error(400, "you must provide a model parameter");
            if (!m.isTextual()) return error(400, "'$.model' is invalid. Please check the API reference.");
            model = m.asText();
            if (!MODELS.containsKey(model)) {
                return error(404, "The model `" + model + "` does not exist or you do not have access to it.",
                        "model_not_found");
            }
        }
        int nativeSize = MODELS.get(model);
        if (json.get("input") == null) return error(400, "'input' is a required property");
        List<Input> inputs = inputs(json.get("input"));
        if (inputs.isEmpty()) return error(400, INVALID_INPUT);
        if (inputs.size() > maxInputs) return error(400, tooManyInputs);
        String format = "float";
        JsonNode f = json.get("encoding_format");
        if (f != null && !f.isNull()) {
            format = f.asText();
            if (!f.isTextual() || !(format.equals("float") || format.equals("base64"))) {
                return error(400, f + " is not one of ['float', 'base64'] - 'encoding_format'");
            }
        }
        int dimensions = nativeSize;
        JsonNode d = json.get("dimensions");
        if (d != null && !d.isNull()) {
            if (model.equals("text-embedding-ada-002")) {
                return error(400, "This model does not support specifying dimensions.");
            }
            if (!d.canConvertToExactIntegral() || d.asInt() < 1 || d.asInt() > nativeSize) {
                return error(400, "Invalid value for 'dimensions' = " + d + ". Must be between 1 and " + nativeSize
                        + ".");
            }
            dimensions = d.asInt();
        }
        long total = 0;
        for (Input input : inputs) {
            if (input.tokens() > CONTEXT_TOKENS) {
                return error(400, "This model's maximum context length is " + CONTEXT_TOKENS + " tokens, however you "
                        + "requested " + input.tokens() + " tokens (" + input.tokens() + " in your prompt; 0 for the "
                        + "completion). Please reduce your prompt; or completion length.");
            }
            total += input.tokens();
        }
        if (total > MAX_REQUEST_TOKENS) {
            return error(400, "Requested " + total + " tokens, max " + MAX_REQUEST_TOKENS + " tokens per request");
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        for (int i = inputs.size() - 1; i >= 0; i--) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            float[] vector = expectedVector(inputs.get(i).text(), model, dimensions);
            if (format.equals("base64")) {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float x : vector) bytes.putFloat(x);
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float x : vector) values.add(x);
            }
        }
        body.put("model", model);
        ObjectNode usage = body.putObject("usage");
        usage.put("prompt_tokens", total);
        usage.put("total_tokens", total);
        return Reply.json(200, body);
    }

    /** One input: its text (token arrays spelled out) and its token count, or a lower bound of it. */
    private record Input(String text, long tokens) {}

    /** The inputs of a valid {@code input}; empty when it is missing or invalid. */
    private static List<Input> inputs(JsonNode input) {
        List<Input> out = new ArrayList<>();
        if (input == null) return out;
        if (input.isTextual()) {
            if (!input.asText().isEmpty()) out.add(text(input.asText()));
            return out;
        }
        if (!input.isArray() || input.isEmpty()) return out;
        if (allTokens(input)) {
            out.add(tokens(input));
            return out;
        }
        for (JsonNode item : input) {
            if (item.isTextual() && !item.asText().isEmpty()) {
                out.add(text(item.asText()));
            } else if (item.isArray() && !item.isEmpty() && allTokens(item)) {
                out.add(tokens(item));
            } else {
                return List.of();
            }
        }
        return out;
    }

    private static boolean allTokens(JsonNode array) {
        for (JsonNode x : array) if (!x.canConvertToExactIntegral() || !x.isNumber() || x.asLong() < 0) return false;
        return true;
    }

    private static Input text(String text) {
        long words = 0;
        Matcher m = WORD.matcher(text);
        while (m.find()) words++;
        return new Input(text, Math.max(1, words));
    }

    private static Input tokens(JsonNode array) {
        List<String> ids = new ArrayList<>();
        for (JsonNode x : array) ids.add("t" + x.asLong());
        return new Input(String.join(" ", ids), ids.size());
    }
}
