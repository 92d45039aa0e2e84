package io.catchment.embed.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.EmbeddingGenerator.Provider;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.remote.ApiRequest;
import io.catchment.embed.remote.BatchEmbedder;
import io.catchment.embed.remote.BatchLimits;
import io.catchment.embed.remote.JsonApiClient;
import io.catchment.embed.remote.RemoteEmbeddingModel;
import io.catchment.json.Json;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** OpenAI's {@code POST /embeddings}: text-embedding-ada-002 and text-embedding-3-small/-large. */
public final class OpenAiEmbeddings {
    static final String PROVIDER = "OpenAI";

    /**
     * 2048 inputs and 300,000 tokens per request, 8191 tokens per input. These models use cl100k
     * themselves, so our counts are theirs and need no margin.
     */
    public static final BatchLimits LIMITS = new BatchLimits(2048, 8191, 300_000);

    private OpenAiEmbeddings() {}

    /** {@code generator} must be one of OpenAI's ({@code OPENAI}, {@code OPENAI_ADA_*}). */
    public static RemoteEmbeddingModel model(EmbeddingGenerator generator, ModelCredentials.OpenAi credentials,
                                             JsonApiClient client) {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(client, "client");
        if (generator.provider() != Provider.OPENAI) {
            throw new IllegalArgumentException(generator.wireName() + " is not an OpenAI model");
        }
        URI uri = URI.create(withoutTrailingSlash(credentials.baseUrl().toString()) + "/embeddings");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + credentials.apiKey());
        credentials.organization().filter(org -> !org.isBlank())
                .ifPresent(org -> headers.put("OpenAI-Organization", org));
        BatchEmbedder api = (texts, type) -> {
            // OpenAI has no query/document distinction: both input types send the same request.
            ObjectNode body = Json.object();
            body.put("model", generator.upstreamModel());
            body.setAll(OpenAiWire.body(generator, texts));
            return OpenAiWire.vectors(client.post(ApiRequest.json(PROVIDER, uri, headers, body,
                    credentials.fingerprint(), credentials.secrets())), texts.size(), PROVIDER);
        };
        return new RemoteEmbeddingModel(generator, PROVIDER, LIMITS, api);
    }

    static String withoutTrailingSlash(String url) {
        String out = url;
        while (out.endsWith("/")) out = out.substring(0, out.length() - 1);
        return out;
    }
}
