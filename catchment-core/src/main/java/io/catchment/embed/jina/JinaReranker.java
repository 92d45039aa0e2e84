package io.catchment.embed.jina;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.embed.EmbeddingException;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.remote.ApiRequest;
import io.catchment.embed.remote.JsonApiClient;
import io.catchment.rerank.RerankModel;
import io.catchment.rerank.RerankResult;
import io.catchment.rerank.RerankWire;
import io.catchment.rerank.Reranker;
import java.net.URI;
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
        int wanted = RerankWire.wanted(documents, topN, MAX_DOCUMENTS, PROVIDER);
        if (documents.isEmpty()) return List.of();
        ObjectNode body = RerankWire.body(MODEL, query, documents, wanted);
        // Only indices are needed; echoing every document back would only make the answer larger.
        body.put("return_documents", false);
        JsonNode answer = client.post(ApiRequest.json(PROVIDER, uri,
                Map.of("Authorization", "Bearer " + credentials.apiKey()), body, credentials.fingerprint(),
                credentials.secrets()));
        return RerankWire.results(answer, documents.size(), wanted, PROVIDER);
    }

    /** {@code rerank} under the base URL ({@code .../v1}); joined as strings so the base path is kept. */
    private static URI endpoint(URI baseUrl) {
        String base = baseUrl.toString();
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        return URI.create(base + "/rerank");
    }
}
