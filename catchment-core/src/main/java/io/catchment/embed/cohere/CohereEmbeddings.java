package io.catchment.embed.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.embed.EmbeddingException;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.EmbeddingModel.InputType;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.remote.ApiRequest;
import io.catchment.embed.remote.BatchLimits;
import io.catchment.embed.remote.JsonApiClient;
import io.catchment.embed.remote.RemoteEmbeddingModel;
import io.catchment.embed.remote.Vectors;
import io.catchment.json.Json;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Cohere's embed endpoint (API v2) as a {@link RemoteEmbeddingModel}; see the package description. */
public final class CohereEmbeddings {
    static final String PROVIDER = "Cohere";

    /** Cohere takes at most 96 texts per call. */
    static final int MAX_TEXTS = 96;

    /**
     * The model reads 512 tokens of Cohere's own tokenizer; windows are cut in cl100k tokens, so
     * they stay well under that, and {@code truncate: END} guards the rare window that still is not.
     */
    static final int MAX_INPUT_TOKENS = 400;

    private CohereEmbeddings() {}

    /** The model for {@code generator}, which must be {@link EmbeddingGenerator#COHERE_MULTILINGUAL_V3}. */
    public static RemoteEmbeddingModel model(EmbeddingGenerator generator, ModelCredentials.Cohere credentials,
                                             JsonApiClient client) {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(client, "client");
        if (generator != EmbeddingGenerator.COHERE_MULTILINGUAL_V3) {
            throw new IllegalArgumentException(generator.wireName() + " is not a Cohere embedding model");
        }
        URI uri = endpoint(credentials.baseUrl(), "v2/embed");
        // Cohere documents no per-request token cap for embed; only the text count limits a call.
        BatchLimits limits = new BatchLimits(MAX_TEXTS, MAX_INPUT_TOKENS, MAX_TEXTS * MAX_INPUT_TOKENS);
        return new RemoteEmbeddingModel(generator, PROVIDER, limits,
                (texts, type) -> embedBatch(generator, credentials, client, uri, texts, type));
    }

    private static List<float[]> embedBatch(EmbeddingGenerator generator, ModelCredentials.Cohere credentials,
                                            JsonApiClient client, URI uri, List<String> texts, InputType type)
            throws EmbeddingException {
        ObjectNode body = Json.object();
        body.put("model", generator.upstreamModel());
        ArrayNode textArray = body.putArray("texts");
        texts.forEach(textArray::add);
        body.put("input_type", type == InputType.QUERY ? "search_query" : "search_document");
        body.putArray("embedding_types").add("float");
        body.put("truncate", "END");
        JsonNode answer = client.post(ApiRequest.json(PROVIDER, uri, bearer(credentials), body,
                credentials.fingerprint(), credentials.secrets()));
        return parse(answer, texts.size());
    }

    /** {@code embeddings.float}: one array of numbers per text (the caller checks their dimension). */
    private static List<float[]> parse(JsonNode answer, int expected) throws EmbeddingException {
        JsonNode vectors = answer.path("embeddings").path("float");
        if (!vectors.isArray()) throw malformed("it has no embeddings.float array");
        if (vectors.size() != expected) {
            throw malformed("it holds " + vectors.size() + " embeddings for " + expected + " texts");
        }
        List<float[]> out = new ArrayList<>(expected);
        for (JsonNode vector : vectors) {
            if (!vector.isArray()) throw malformed("an embedding is not an array");
            for (JsonNode x : vector) {
                if (!x.isNumber()) throw malformed("an embedding holds " + x.getNodeType() + " values, not numbers");
            }
            out.add(Vectors.fromJson(vector));
        }
        return out;
    }

    static EmbeddingException malformed(String why) {
        return new EmbeddingException(PROVIDER + " sent an answer Catchment cannot read: " + why, false, null);
    }

    static Map<String, String> bearer(ModelCredentials.Cohere credentials) {
        return Map.of("Authorization", "Bearer " + credentials.apiKey());
    }

    /**
     * {@code path} under the base URL, which may carry a path of its own (a proxy) and may end in a
     * slash; {@link URI#resolve} would drop the base's last segment, so the strings are joined.
     */
    static URI endpoint(URI baseUrl, String path) {
        String base = baseUrl.toString();
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        return URI.create(base + "/" + path);
    }
}
