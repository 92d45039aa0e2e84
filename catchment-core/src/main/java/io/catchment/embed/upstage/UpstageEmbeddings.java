package io.catchment.embed.upstage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.embed.EmbeddingException;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.EmbeddingGenerator.Provider;
import io.catchment.embed.EmbeddingModel.InputType;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.remote.ApiRequest;
import io.catchment.embed.remote.BatchEmbedder;
import io.catchment.embed.remote.BatchLimits;
import io.catchment.embed.remote.JsonApiClient;
import io.catchment.embed.remote.RemoteEmbeddingModel;
import io.catchment.embed.remote.Vectors;
import io.catchment.json.Json;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Upstage's Solar embeddings ({@code SOLAR_1_MINI}): OpenAI-style {@code POST /embeddings}, passage and query models. */
public final class UpstageEmbeddings {
    static final String PROVIDER = "Upstage";

    /** For documents. Pinned rather than the alias {@code embedding-passage}, see the package description. */
    public static final String PASSAGE_MODEL = "solar-embedding-1-large-passage";

    /** For queries; the same vector space as {@link #PASSAGE_MODEL}. */
    public static final String QUERY_MODEL = "solar-embedding-1-large-query";

    /**
     * The API takes 100 texts, under 204,800 tokens, each at most 4000 tokens, counted by Solar's
     * own tokenizer, which splits finer than cl100k (much finer for Korean): our cl100k limits are
     * 2800 per text and 140,000 per request, a margin of about 1.4.
     */
    public static final BatchLimits LIMITS = new BatchLimits(100, 2800, 140_000);

    private UpstageEmbeddings() {}

    /** {@code generator} must be Upstage's ({@code SOLAR_1_MINI}). */
    public static RemoteEmbeddingModel model(EmbeddingGenerator generator, ModelCredentials.Upstage credentials,
                                             JsonApiClient client) {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(client, "client");
        if (generator.provider() != Provider.UPSTAGE) {
            throw new IllegalArgumentException(generator.wireName() + " is not an Upstage model");
        }
        URI uri = URI.create(credentials.baseUrl().toString().replaceAll("/+$", "") + "/embeddings");
        Map<String, String> headers = Map.of("Authorization", "Bearer " + credentials.apiKey());
        BatchEmbedder api = (texts, type) -> {
            ObjectNode body = Json.object();
            body.put("model", type == InputType.QUERY ? QUERY_MODEL : PASSAGE_MODEL);
            ArrayNode input = body.putArray("input");
            texts.forEach(input::add);
            JsonNode answer = client.post(ApiRequest.json(PROVIDER, uri, headers, body, credentials.fingerprint(),
                    credentials.secrets()));
            return vectors(answer, texts.size());
        };
        return new RemoteEmbeddingModel(generator, PROVIDER, LIMITS, api);
    }

    /** {@code data[].embedding} placed by {@code data[].index}; a malformed answer fails without retry. */
    static List<float[]> vectors(JsonNode answer, int expected) throws EmbeddingException {
        JsonNode data = answer.path("data");
        if (!data.isArray() || data.size() != expected) {
            throw new EmbeddingException(PROVIDER + " returned " + (data.isArray() ? data.size() : 0)
                    + " embeddings for " + expected + " texts", false, null);
        }
        float[][] out = new float[expected][];
        for (JsonNode item : data) {
            JsonNode index = item.path("index");
            JsonNode embedding = item.path("embedding");
            if (!index.canConvertToInt() || index.asInt() < 0 || index.asInt() >= expected
                    || out[index.asInt()] != null || !embedding.isArray()) {
                throw new EmbeddingException(PROVIDER + " returned a malformed embeddings answer", false, null);
            }
            out[index.asInt()] = Vectors.fromJson(embedding);
        }
        return Arrays.asList(out);
    }
}
