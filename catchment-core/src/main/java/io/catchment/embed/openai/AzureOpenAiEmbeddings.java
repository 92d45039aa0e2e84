package io.catchment.embed.openai;

import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.EmbeddingGenerator.Provider;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.remote.ApiRequest;
import io.catchment.embed.remote.BatchEmbedder;
import io.catchment.embed.remote.BatchLimits;
import io.catchment.embed.remote.JsonApiClient;
import io.catchment.embed.remote.RemoteEmbeddingModel;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Azure OpenAI's {@code POST {endpoint}/openai/deployments/{deployment}/embeddings?api-version=...}:
 * the same models and body as OpenAI, but the deployment (not a {@code model} field) picks the model.
 */
public final class AzureOpenAiEmbeddings {
    static final String PROVIDER = "Azure OpenAI";

    /** api-versions from this date take 2048 inputs per request; older ones took 16. */
    static final String LARGE_BATCH_SINCE = "2024-02-01";
    static final int OLD_API_MAX_BATCH = 16;

    /**
     * Azure documents the same 300,000-token request ceiling as OpenAI, but a request is also
     * weighed against the deployment's tokens-per-minute quota, which is often around 100k or
     * less; a request larger than the whole quota would be refused with 429 on every try.
     */
    static final int MAX_REQUEST_TOKENS = 100_000;

    private static final Pattern DATED_VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}.*");

    private AzureOpenAiEmbeddings() {}

    /** {@code generator} must be one of Azure's ({@code AZURE_OPENAI}, {@code AZURE_ADA_*}). */
    public static RemoteEmbeddingModel model(EmbeddingGenerator generator, ModelCredentials.AzureOpenAi credentials,
                                             JsonApiClient client) {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(client, "client");
        if (generator.provider() != Provider.AZURE_OPENAI) {
            throw new IllegalArgumentException(generator.wireName() + " is not an Azure OpenAI model");
        }
        String deployment = credentials.deploymentFor(generator.wireName(), generator.upstreamModel());
        URI uri = URI.create(OpenAiEmbeddings.withoutTrailingSlash(credentials.endpoint().toString())
                + "/openai/deployments/" + pathSegment(deployment) + "/embeddings?api-version="
                + URLEncoder.encode(credentials.apiVersion(), StandardCharsets.UTF_8));
        Map<String, String> headers = Map.of("api-key", credentials.apiKey());
        BatchEmbedder api = (texts, type) -> OpenAiWire.vectors(client.post(ApiRequest.json(PROVIDER, uri, headers,
                OpenAiWire.body(generator, texts), credentials.fingerprint(), credentials.secrets())),
                texts.size(), PROVIDER);
        return new RemoteEmbeddingModel(generator, PROVIDER, limits(credentials.apiVersion()), api);
    }

    /** 2048 inputs per request (16 before api-version 2024-02-01), 8191 tokens per input. */
    static BatchLimits limits(String apiVersion) {
        boolean old = DATED_VERSION.matcher(apiVersion).matches()
                && apiVersion.substring(0, 10).compareTo(LARGE_BATCH_SINCE) < 0;
        return new BatchLimits(old ? OLD_API_MAX_BATCH : 2048, 8191, MAX_REQUEST_TOKENS);
    }

    /** Percent-encoded for a path: a deployment name never breaks out of its segment. */
    static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
