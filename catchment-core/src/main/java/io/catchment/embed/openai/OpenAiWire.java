package io.catchment.embed.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.embed.EmbeddingException;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.remote.Vectors;
import io.catchment.json.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The embeddings request body and response format that OpenAI and Azure OpenAI share. */
final class OpenAiWire {
    private OpenAiWire() {}

    /**
     * True for the text-embedding-3 models, which shorten their vectors on request; ada-002 refuses
     * the parameter outright (HTTP 400), so it is only ever sent to the v3 models, native size included.
     */
    static boolean takesDimensions(EmbeddingGenerator generator) {
        return generator.upstreamModel().startsWith("text-embedding-3-");
    }

    /** {@code {"input": [...], "encoding_format": "float"[, "dimensions": n]}}, without a model. */
    static ObjectNode body(EmbeddingGenerator generator, List<String> texts) {
        ObjectNode body = Json.object();
        ArrayNode input = body.putArray("input");
        texts.forEach(input::add);
        body.put("encoding_format", "float");
        if (takesDimensions(generator)) body.put("dimensions", generator.dimensions());
        return body;
    }

    /**
     * The vectors of {@code data[]}, placed by their {@code index} (the array's order is not
     * promised). Anything but exactly one numeric vector per input is a broken answer that a retry
     * will not mend.
     */
    static List<float[]> vectors(JsonNode answer, int inputs, String provider) throws EmbeddingException {
        JsonNode data = answer == null ? null : answer.get("data");
        if (data == null || !data.isArray()) throw malformed(provider, "has no \"data\" array");
        if (data.size() != inputs) {
            throw malformed(provider, "has " + data.size() + " embeddings for " + inputs + " inputs");
        }
        float[][] placed = new float[inputs][];
        for (JsonNode item : data) {
            JsonNode index = item.get("index");
            if (index == null || !index.canConvertToExactIntegral() || index.asInt() < 0 || index.asInt() >= inputs) {
                throw malformed(provider, "has an embedding with index " + index + " for " + inputs + " inputs");
            }
            int at = index.asInt();
            if (placed[at] != null) throw malformed(provider, "has two embeddings with index " + at);
            JsonNode embedding = item.get("embedding");
            if (embedding == null || !embedding.isArray() || embedding.isEmpty()) {
                throw malformed(provider, "has no numeric \"embedding\" at index " + at);
            }
            for (JsonNode x : embedding) {
                if (!x.isNumber()) throw malformed(provider, "has a non-numeric value in the embedding at index " + at);
            }
            placed[at] = Vectors.fromJson(embedding);
        }
        return new ArrayList<>(Arrays.asList(placed));
    }

    private static EmbeddingException malformed(String provider, String problem) {
        return new EmbeddingException(provider + " answered with a malformed embeddings response: it " + problem,
                false, null);
    }
}
