package io.catchment.embed.jina;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catchment.embed.EmbeddingException;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.remote.JsonApiClient;
import io.catchment.embed.remote.RetryPolicy;
import io.catchment.rerank.RerankModel;
import io.catchment.rerank.RerankResult;
import io.catchment.testing.models.FakeCohere;
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.models.FakeJina;
import io.catchment.testing.models.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JinaRerankerTest {
    private static final String KEY = "jina_test_1a2b3c4d5e6f7a8b";
    private static final String QUERY = "organic skincare for sensitive skin";
    private static final List<String> DOCUMENTS = List.of(
            "New makeup trends favour bold colours",
            "Organic skincare made for sensitive skin, with aloe vera",
            "Skincare routines for oily skin",
            "Gardening tips for organic vegetables");

    private final FakeJina jina = new FakeJina(KEY);
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final JsonApiClient client = new JsonApiClient(RetryPolicy.defaults().withMaxAttempts(3), waits::add);
    private final JinaReranker reranker = new JinaReranker(new ModelCredentials.Jina(KEY, jina.baseUrl()), client);

    @AfterEach
    void stop() {
        jina.close();
    }

    @Test
    void describesTheReranker() {
        assertThat(reranker.model()).isEqualTo(RerankModel.JINA_RERANKER_MULTILINGUAL_V2);
        assertThat(reranker.maxDocuments()).isEqualTo(1000);
    }

    @Test
    void sendsJinasRerankRequestUnderTheBasePathAndReadsTheBestFirst() throws Exception {
        List<RerankResult> results = reranker.rerank(QUERY, DOCUMENTS, 3);

        RecordedRequest request = jina.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/rerank");
        assertThat(request.header("Authorization")).contains("Bearer " + KEY);
        assertThat(request.header("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = request.json();
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("model", "query", "documents", "top_n", "return_documents");
        assertThat(body.get("model").asText()).isEqualTo("jina-reranker-v2-base-multilingual");
        assertThat(body.get("query").asText()).isEqualTo(QUERY);
        List<String> documents = new ArrayList<>();
        body.get("documents").forEach(d -> documents.add(d.asText()));
        assertThat(documents).isEqualTo(DOCUMENTS);
        assertThat(body.get("top_n").asInt()).isEqualTo(3);
        assertThat(body.get("return_documents").isBoolean()).isTrue();
        assertThat(body.get("return_documents").asBoolean()).isFalse();
        assertThat(results).containsExactly(
                new RerankResult(1, 1.0),
                new RerankResult(2, FakeCohere.relevance(QUERY, DOCUMENTS.get(2))),
                new RerankResult(3, FakeCohere.relevance(QUERY, DOCUMENTS.get(3))));
        assertThat(results.get(1).relevanceScore()).isEqualTo(0.6);
        assertThat(results.get(2).relevanceScore()).isEqualTo(0.4);
    }

    @Test
    void topNBeyondTheDocumentsAsksForAllOfThem() throws Exception {
        List<RerankResult> results = reranker.rerank(QUERY, DOCUMENTS, 10);

        assertThat(jina.lastRequest().json().get("top_n").asInt()).isEqualTo(4);
        assertThat(results).extracting(RerankResult::index).containsExactly(1, 2, 3, 0);
    }

    @Test
    void aBaseUrlWithTrailingSlashKeepsItsPath() throws Exception {
        URI slashedBase = URI.create(jina.baseUrl() + "/");
        JinaReranker slashed = new JinaReranker(new ModelCredentials.Jina(KEY, slashedBase), client);

        slashed.rerank(QUERY, DOCUMENTS, 1);

        assertThat(jina.lastRequest().path()).isEqualTo("/v1/rerank");
    }

    @Test
    void answersWithDocumentsOrInAnyOrderAreReadBestFirst() throws Exception {
        jina.failNext(Reply.json(200, """
                {"model":"jina-reranker-v2-base-multilingual","usage":{"total_tokens":42},"results":[
                 {"index":3,"document":{"text":"x"},"relevance_score":0.05},
                 {"index":0,"document":{"text":"y"},"relevance_score":0.7},
                 {"index":2,"document":{"text":"z"},"relevance_score":0.3}]}"""));

        List<RerankResult> results = reranker.rerank(QUERY, DOCUMENTS, 2);

        assertThat(results).containsExactly(new RerankResult(0, 0.7), new RerankResult(2, 0.3));
    }

    @Test
    void noDocumentsNeedNoCallAndTheContractIsKept() throws Exception {
        assertThat(reranker.rerank(QUERY, List.of(), 3)).isEmpty();
        assertThatThrownBy(() -> reranker.rerank(QUERY, DOCUMENTS, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> reranker.rerank(QUERY, Collections.nCopies(1001, "doc"), 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(jina.requests()).isEmpty();
    }

    @Test
    void wrongKeyFailsAtOnceWithJinasDetailAndWithoutTheKey() {
        String wrongKey = "jina_wrong_00998877665544";
        JinaReranker wrong = new JinaReranker(new ModelCredentials.Jina(wrongKey, jina.baseUrl()), client);

        EmbeddingException e = failure(() -> wrong.rerank(QUERY, DOCUMENTS, 2));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("Jina AI refused the request").contains("401").contains("Invalid API key")
                .doesNotContain(wrongKey).doesNotContain(KEY);
        assertThat(jina.requests()).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void aKeyEchoedInAnErrorIsBlankedOut() {
        jina.failNext(Reply.json(400, Map.of("detail", "key " + KEY + " may not use this model")));

        EmbeddingException e = failure(() -> reranker.rerank(QUERY, DOCUMENTS, 2));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("[redacted]").doesNotContain(KEY);
    }

    @Test
    void rateLimitIsWaitedOutAsRetryAfterAsks() throws Exception {
        jina.failNext(FakeJina.tooManyRequests().withHeader("Retry-After", "3"));

        List<RerankResult> results = reranker.rerank(QUERY, DOCUMENTS, 1);

        assertThat(results).containsExactly(new RerankResult(1, 1.0));
        assertThat(jina.requests()).hasSize(2);
        assertThat(waits).singleElement().satisfies(w -> assertThat(w).isBetween(Duration.ofSeconds(3),
                Duration.ofMillis(3300)));
    }

    @Test
    void rateLimitThatNeverLiftsIsRetryable() {
        jina.failNext(FakeJina.tooManyRequests(), FakeJina.tooManyRequests(), FakeJina.tooManyRequests());

        EmbeddingException e = failure(() -> reranker.rerank(QUERY, DOCUMENTS, 2));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("Jina AI").contains("3 times").contains("Rate limit exceeded");
        assertThat(jina.requests()).hasSize(3);
        assertThat(waits).hasSize(2);
    }

    static Stream<String> malformedAnswers() {
        return Stream.of(
                "{\"model\":\"m\",\"usage\":{\"total_tokens\":1}}",
                "{\"results\":\"none\"}",
                "{\"results\":[{\"index\":4,\"relevance_score\":0.5}]}",
                "{\"results\":[{\"index\":0,\"relevance_score\":0.5},{\"index\":0,\"relevance_score\":0.2}]}",
                "{\"results\":[{\"index\":null,\"relevance_score\":0.5}]}",
                "{\"results\":[{\"index\":2,\"relevance_score\":null}]}",
                "{\"results\":[{\"index\":2,\"relevance_score\":\"0.5\"}]}");
    }

    @ParameterizedTest
    @MethodSource("malformedAnswers")
    void anAnswerThatCannotBeReadFailsWithoutRetry(String answer) {
        jina.failNext(Reply.json(200, answer));

        EmbeddingException e = failure(() -> reranker.rerank(QUERY, DOCUMENTS, 2));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).startsWith("Jina AI sent an answer Catchment cannot read");
        assertThat(jina.requests()).hasSize(1);
    }

    @Test
    void theFakeRefusesUnknownModelsAndBadFieldsInJinasShape() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            var unknownModel = send(http, """
                    {"model":"jina-reranker-v9","query":"q","documents":["a"]}""");
            var noDocuments = send(http, """
                    {"model":"jina-reranker-v2-base-multilingual","query":"q","documents":[]}""");
            var badTopN = send(http, """
                    {"model":"jina-reranker-v2-base-multilingual","query":"q","documents":["a"],"top_n":0}""");
            var withDocuments = send(http, """
                    {"model":"jina-reranker-v2-base-multilingual","query":"q a","documents":["a",{"text":"q"}]}""");

            assertThat(List.of(unknownModel, noDocuments, badTopN)).allSatisfy(r -> {
                assertThat(r.statusCode()).isEqualTo(400);
                assertThat(new ObjectMapper().readTree(r.body()).path("detail").isTextual()).isTrue();
            });
            assertThat(withDocuments.statusCode()).isEqualTo(200);
            JsonNode body = new ObjectMapper().readTree(withDocuments.body());
            assertThat(body.path("model").asText()).isEqualTo("jina-reranker-v2-base-multilingual");
            assertThat(body.at("/usage/total_tokens").asInt()).isPositive();
            assertThat(body.at("/results/0/document/text").asText()).isEqualTo("a");
            assertThat(body.at("/results/1/document/text").asText()).isEqualTo("q");
        }
    }

    private HttpResponse<String> send(HttpClient http, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(jina.baseUrl() + "/rerank"))
                        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The EmbeddingException {@code call} throws; fails the test when it throws nothing or something else. */
    static EmbeddingException failure(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(EmbeddingException.class);
        return (EmbeddingException) thrown;
    }
}
