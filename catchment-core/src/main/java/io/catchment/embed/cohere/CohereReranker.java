package io.catchment.embed.cohere;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Objects;

/** {@link RerankModel#COHERE_RERANK_MULTILINGUAL_V3} through Cohere's rerank endpoint (API v2). */
public final class CohereReranker implements Reranker {
    /** Cohere's documented ceiling for one rerank call. */
    static final int MAX_DOCUMENTS = 1000;

    private static final RerankModel MODEL = RerankModel.COHERE_RERANK_MULTILINGUAL_V3;

    private final ModelCredentials.Cohere credentials;
    private final JsonApiClient client;
    private final URI uri;

    public CohereReranker(ModelCredentials.Cohere credentials, JsonApiClient client) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.client = Objects.requireNonNull(client, "client");
        this.uri = CohereEmbeddings.endpoint(credentials.baseUrl(), "v2/rerank");
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
        int wanted = RerankWire.wanted(documents, topN, MAX_DOCUMENTS, CohereEmbeddings.PROVIDER);
        if (documents.isEmpty()) return List.of();
        JsonNode answer = client.post(ApiRequest.json(CohereEmbeddings.PROVIDER, uri, CohereEmbeddings.bearer(credentials),
                RerankWire.body(MODEL, query, documents, wanted), credentials.fingerprint(), credentials.secrets()));
        return RerankWire.results(answer, documents.size(), wanted, CohereEmbeddings.PROVIDER);
    }
}
