package io.catchment.embed.cohere;

import static io.catchment.embed.cohere.CohereEmbeddingsTest.failure;
import static io.catchment.embed.cohere.CohereEmbeddingsTest.fieldNames;
import static io.catchment.embed.cohere.CohereEmbeddingsTest.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.embed.EmbeddingException;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.remote.JsonApiClient;
import io.catchment.embed.remote.RetryPolicy;
import io.catchment.rerank.RerankModel;
import io.catchment.rerank.RerankResult;
import io.catchment.testing.models.FakeCohere;
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.models.RecordedRequest;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CohereRerankerTest {
    private static final String KEY = "co-rerank-71c0ffee42aa";
    private static final String QUERY = "salmon river spawning";
    private static final List<String> DOCUMENTS = List.of(
            "Mountain glaciers feed the valley lakes",
            "Salmon swim up the river to their spawning grounds",
            "The river delta is home to many birds",
            "Spawning salmon leave the sea for a cold river");

    private final FakeCohere cohere = new FakeCohere(KEY);
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final JsonApiClient client = new JsonApiClient(RetryPolicy.defaults().withMaxAttempts(3), waits::add);
    private final CohereReranker reranker =
            new CohereReranker(new ModelCredentials.Cohere(KEY, cohere.baseUrl()), client);

    @AfterEach
    void stop() {
        cohere.close();
    }

    @Test
    void describesTheReranker() {
        assertThat(reranker.model()).isEqualTo(RerankModel.COHERE_RERANK_MULTILINGUAL_V3);
        assertThat(reranker.maxDocuments()).isEqualTo(1000);
    }

    @Test
    void sendsCoheresRerankRequestAndReadsTheBestFirst() throws Exception {
        List<RerankResult> results = reranker.rerank(QUERY, DOCUMENTS, 3);

        RecordedRequest request = cohere.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v2/rerank");
        assertThat(request.header("Authorization")).contains("Bearer " + KEY);
        JsonNode body = request.json();
        assertThat(fieldNames(body)).containsExactlyInAnyOrder("model", "query", "documents", "top_n");
        assertThat(body.get("model").asText()).isEqualTo("rerank-multilingual-v3.0");
        assertThat(body.get("query").asText()).isEqualTo(QUERY);
        assertThat(strings(body.get("documents"))).isEqualTo(DOCUMENTS);
        assertThat(body.get("top_n").isInt()).isTrue();
        assertThat(body.get("top_n").asInt()).isEqualTo(3);
        // Documents 1 and 3 hold all three query words (index breaks the tie), document 2 one of them.
        assertThat(results).containsExactly(
                new RerankResult(1, FakeCohere.relevance(QUERY, DOCUMENTS.get(1))),
                new RerankResult(3, FakeCohere.relevance(QUERY, DOCUMENTS.get(3))),
                new RerankResult(2, FakeCohere.relevance(QUERY, DOCUMENTS.get(2))));
        assertThat(results.get(0).relevanceScore()).isEqualTo(1.0);
        assertThat(results.get(2).relevanceScore()).isEqualTo(1.0 / 3);
    }

    @Test
    void topNBeyondTheDocumentsAsksForAllOfThem() throws Exception {
        List<RerankResult> results = reranker.rerank(QUERY, DOCUMENTS, 50);

        assertThat(cohere.lastRequest().json().get("top_n").asInt()).isEqualTo(4);
        assertThat(results).extracting(RerankResult::index).containsExactly(1, 3, 2, 0);
        assertThat(results.getLast().relevanceScore()).isZero();
    }

    @Test
    void resultsInAnyOrderComeBackBestFirstAndNoMoreThanTopN() throws Exception {
        cohere.failNext(Reply.json(200, """
                {"id":"r1","results":[{"index":0,"relevance_score":0.1},{"index":2,"relevance_score":0.9},
                 {"index":1,"relevance_score":0.5},{"index":3,"relevance_score":0.5}],"meta":{}}"""));

        List<RerankResult> results = reranker.rerank(QUERY, DOCUMENTS, 3);

        assertThat(results).containsExactly(new RerankResult(2, 0.9), new RerankResult(1, 0.5),
                new RerankResult(3, 0.5));
    }

    @Test
    void noDocumentsNeedNoCall() throws Exception {
        assertThat(reranker.rerank(QUERY, List.of(), 5)).isEmpty();
        assertThat(cohere.requests()).isEmpty();
    }

    @Test
    void refusesWhatTheContractRulesOut() {
        assertThatThrownBy(() -> reranker.rerank(QUERY, DOCUMENTS, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> reranker.rerank(QUERY, Collections.nCopies(1001, "doc"), 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000");
        assertThat(cohere.requests()).isEmpty();
    }

    @Test
    void wrongKeyFailsAtOnceWithoutTheKey() {
        String wrongKey = "co-not-valid-00112233";
        CohereReranker wrong = new CohereReranker(new ModelCredentials.Cohere(wrongKey, cohere.baseUrl()), client);

        EmbeddingException e = failure(() -> wrong.rerank(QUERY, DOCUMENTS, 2));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("Cohere refused the request").contains("invalid api token")
                .doesNotContain(wrongKey);
        assertThat(waits).isEmpty();
    }

    @Test
    void rateLimitIsWaitedOutThenAnswered() throws Exception {
        cohere.failNext(FakeCohere.tooManyRequests().withHeader("Retry-After", "1"));

        List<RerankResult> results = reranker.rerank(QUERY, DOCUMENTS, 1);

        assertThat(results).extracting(RerankResult::index).containsExactly(1);
        assertThat(cohere.requests()).hasSize(2);
        assertThat(waits).singleElement().satisfies(w -> assertThat(w).isBetween(Duration.ofSeconds(1),
                Duration.ofMillis(1100)));
    }

    @Test
    void rateLimitThatNeverLiftsIsRetryable() {
        cohere.failNext(FakeCohere.tooManyRequests(), FakeCohere.tooManyRequests(), FakeCohere.tooManyRequests());

        EmbeddingException e = failure(() -> reranker.rerank(QUERY, DOCUMENTS, 2));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("Trial key");
        assertThat(cohere.requests()).hasSize(3);
    }

    static Stream<String> malformedAnswers() {
        return Stream.of(
                "{\"id\":\"r\"}",
                "{\"id\":\"r\",\"results\":{}}",
                "{\"results\":[{\"index\":4,\"relevance_score\":0.5}]}",
                "{\"results\":[{\"index\":-1,\"relevance_score\":0.5}]}",
                "{\"results\":[{\"index\":1,\"relevance_score\":0.5},{\"index\":1,\"relevance_score\":0.4}]}",
                "{\"results\":[{\"index\":\"1\",\"relevance_score\":0.5}]}",
                "{\"results\":[{\"index\":1.5,\"relevance_score\":0.5}]}",
                "{\"results\":[{\"relevance_score\":0.5}]}",
                "{\"results\":[{\"index\":1,\"relevance_score\":\"high\"}]}",
                "{\"results\":[{\"index\":1}]}");
    }

    @ParameterizedTest
    @MethodSource("malformedAnswers")
    void anAnswerThatCannotBeReadFailsWithoutRetry(String answer) {
        cohere.failNext(Reply.json(200, answer));

        EmbeddingException e = failure(() -> reranker.rerank(QUERY, DOCUMENTS, 2));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).startsWith("Cohere sent an answer Catchment cannot read");
        assertThat(cohere.requests()).hasSize(1);
    }
}
