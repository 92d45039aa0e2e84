package io.catchment.embed.cohere;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.catchment.embed.EmbeddingException;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.EmbeddingModel.InputType;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.remote.JsonApiClient;
import io.catchment.embed.remote.RemoteEmbeddingModel;
import io.catchment.embed.remote.RetryPolicy;
import io.catchment.testing.models.FakeCohere;
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.models.RecordedRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CohereEmbeddingsTest {
    private static final String KEY = "co-test-4f9c2a7e51d8b3";
    private static final Encoding CL100K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private final FakeCohere cohere = new FakeCohere(KEY);
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final JsonApiClient client = new JsonApiClient(RetryPolicy.defaults().withMaxAttempts(3), waits::add);
    private final RemoteEmbeddingModel model = model(KEY, cohere.baseUrl());

    @AfterEach
    void stop() {
        cohere.close();
    }

    @Test
    void describesTheModel() {
        assertThat(model.name()).isEqualTo("COHERE_MULTILINGUAL_V3");
        assertThat(model.dimensions()).isEqualTo(1024);
        assertThat(model.maxBatch()).isEqualTo(96);
        assertThat(model.maxInputTokens()).isEqualTo(400);
        assertThat(model.providerName()).isEqualTo("Cohere");
    }

    @Test
    void onlyServesTheCohereGenerator() {
        assertThatThrownBy(() -> CohereEmbeddings.model(EmbeddingGenerator.OPENAI,
                new ModelCredentials.Cohere(KEY, cohere.baseUrl()), client))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPENAI");
    }

    @Test
    void documentsAreSentAsSearchDocumentsInCohereFormat() throws Exception {
        List<String> texts = List.of("Rivers carry sediment to the sea", "Glaciers carve deep valleys");

        List<float[]> vectors = model.embed(texts, InputType.DOCUMENT);

        RecordedRequest request = cohere.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v2/embed");
        assertThat(request.query()).isEmpty();
        assertThat(request.header("Authorization")).contains("Bearer " + KEY);
        assertThat(request.header("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = request.json();
        assertThat(fieldNames(body)).containsExactlyInAnyOrder("model", "texts", "input_type", "embedding_types",
                "truncate");
        assertThat(body.get("model").asText()).isEqualTo("embed-multilingual-v3.0");
        assertThat(strings(body.get("texts"))).isEqualTo(texts);
        assertThat(body.get("input_type").asText()).isEqualTo("search_document");
        assertThat(strings(body.get("embedding_types"))).containsExactly("float");
        assertThat(body.get("truncate").asText()).isEqualTo("END");
        assertThat(vectors).hasSize(2);
        for (int i = 0; i < texts.size(); i++) {
            assertClose(vectors.get(i), FakeCohere.expectedVector(texts.get(i), "search_document"));
        }
    }

    @Test
    void queriesAreSentAsSearchQueries() throws Exception {
        String query = "where do rivers take their sediment";

        float[] vector = model.embed(List.of(query), InputType.QUERY).getFirst();

        assertThat(cohere.lastRequest().json().get("input_type").asText()).isEqualTo("search_query");
        assertClose(vector, FakeCohere.expectedVector(query, "search_query"));
        // The fake salts by input_type, so this proves the type reached it and shaped the answer.
        assertThat(maxDifference(vector, FakeCohere.expectedVector(query, "search_document"))).isGreaterThan(1e-3);
    }

    @Test
    void aHundredTextsGoOutAsNinetySixAndFour() throws Exception {
        List<String> texts = IntStream.range(0, 100).mapToObj(i -> "passage number " + i + " about tide " + (i * 7))
                .toList();

        List<float[]> vectors = model.embed(texts, InputType.DOCUMENT);

        // The two batches go out concurrently: compare them whatever order they arrived in.
        List<List<String>> batches = cohere.requests().stream().map(r -> strings(r.json().get("texts")))
                .sorted(java.util.Comparator.comparingInt(List::size)).toList();
        assertThat(batches).containsExactly(texts.subList(96, 100), texts.subList(0, 96));
        assertThat(vectors).hasSize(100);
        for (int i : new int[] {0, 57, 95, 96, 99}) {
            assertClose(vectors.get(i), FakeCohere.expectedVector(texts.get(i), "search_document"));
        }
    }

    @Test
    void longTextIsSentInWindowsAndTheirVectorsPooled() throws Exception {
        String text = IntStream.range(0, 900).mapToObj(i -> "delta" + i).collect(Collectors.joining(" "))
                + " estuary";
        assertThat(CL100K.countTokensOrdinary(text)).isGreaterThan(800);

        float[] vector = model.embed(List.of(text), InputType.DOCUMENT).getFirst();

        assertThat(cohere.requests()).hasSize(1);
        List<String> windows = strings(cohere.lastRequest().json().get("texts"));
        assertThat(windows).hasSizeGreaterThan(1);
        for (String window : windows) {
            assertThat(CL100K.countTokensOrdinary(window)).isLessThanOrEqualTo(400);
            assertThat(window.strip().split("\\s+")).hasSizeLessThanOrEqualTo(FakeCohere.CONTEXT_WORDS);
        }
        // Nothing was cut off: the last word reached Cohere inside the last window.
        assertThat(windows.getLast()).endsWith("estuary");
        double[] sum = new double[1024];
        for (String window : windows) {
            float[] v = FakeCohere.expectedVector(window, "search_document");
            for (int i = 0; i < v.length; i++) sum[i] += v[i];
        }
        double norm = Math.sqrt(java.util.Arrays.stream(sum).map(x -> x * x).sum());
        float[] pooled = new float[1024];
        for (int i = 0; i < pooled.length; i++) pooled[i] = (float) (sum[i] / norm);
        assertClose(vector, pooled);
    }

    @Test
    void baseUrlWithPathOrTrailingSlashKeepsTheEndpoint() throws Exception {
        model(KEY, URI.create(cohere.baseUrl() + "/")).embed(List.of("one text"), InputType.DOCUMENT);

        assertThat(cohere.lastRequest().path()).isEqualTo("/v2/embed");
        assertThat(CohereEmbeddings.endpoint(URI.create("https://proxy.example/cohere/"), "v2/embed"))
                .isEqualTo(URI.create("https://proxy.example/cohere/v2/embed"));
    }

    @Test
    void wrongKeyFailsAtOnceWithCoheresMessageAndWithoutTheKey() {
        String wrongKey = "co-wrong-9a8b7c6d5e4f";

        RemoteEmbeddingModel wrong = model(wrongKey, cohere.baseUrl());

        EmbeddingException e = failure(() -> wrong.embed(List.of("text"), InputType.DOCUMENT));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("Cohere").contains("401").contains("invalid api token")
                .doesNotContain(wrongKey).doesNotContain(KEY);
        assertThat(cohere.requests()).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void aKeyEchoedInAnErrorIsBlankedOut() {
        cohere.failNext(Reply.json(422, Map.of("message", "invalid request: key " + KEY + " cannot use this model")));

        EmbeddingException e = failure(() -> model.embed(List.of("text"), InputType.DOCUMENT));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("HTTP 422").contains("[redacted]").doesNotContain(KEY);
    }

    @Test
    void rateLimitIsWaitedOutAsRetryAfterAsks() throws Exception {
        cohere.failNext(FakeCohere.tooManyRequests().withHeader("Retry-After", "2"));

        List<float[]> vectors = model.embed(List.of("after the wait"), InputType.DOCUMENT);

        assertClose(vectors.getFirst(), FakeCohere.expectedVector("after the wait", "search_document"));
        assertThat(cohere.requests()).hasSize(2);
        assertThat(waits).hasSize(1);
        assertThat(waits.getFirst()).isBetween(Duration.ofSeconds(2), Duration.ofMillis(2200));
    }

    @Test
    void rateLimitThatNeverLiftsFailsRetryableAfterEveryAttempt() {
        cohere.failNext(FakeCohere.tooManyRequests(), FakeCohere.tooManyRequests(), FakeCohere.tooManyRequests());

        EmbeddingException e = failure(() -> model.embed(List.of("text"), InputType.DOCUMENT));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("Cohere").contains("3 times").contains("429").contains("Trial key");
        assertThat(cohere.requests()).hasSize(3);
        assertThat(waits).hasSize(2);
    }

    static Stream<String> malformedAnswers() {
        return Stream.of(
                "{\"id\":\"x\",\"embeddings\":{}}",
                "{\"id\":\"x\",\"embeddings\":[[0.1,0.2]]}",
                "{\"id\":\"x\",\"embeddings\":{\"float\":[0.1,0.2]}}",
                "{\"id\":\"x\",\"embeddings\":{\"float\":[[\"0.1\",\"0.2\"]]}}",
                "{\"id\":\"x\",\"embeddings\":{\"float\":[[0.1],[0.2]]}}",
                "{\"id\":\"x\",\"embeddings\":{\"float\":[[0.1,0.2,0.3]]}}");
    }

    @ParameterizedTest
    @MethodSource("malformedAnswers")
    void anAnswerThatCannotBeReadFailsWithoutRetry(String answer) {
        cohere.failNext(Reply.json(200, answer));

        EmbeddingException e = failure(() -> model.embed(List.of("one text"), InputType.DOCUMENT));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("Cohere");
        assertThat(cohere.requests()).hasSize(1);
    }

    private RemoteEmbeddingModel model(String key, URI baseUrl) {
        return CohereEmbeddings.model(EmbeddingGenerator.COHERE_MULTILINGUAL_V3,
                new ModelCredentials.Cohere(key, baseUrl), client);
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        assertThat(maxDifference(actual, expected)).isLessThan(1e-5);
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

    /** The EmbeddingException {@code call} throws; fails the test when it throws nothing or something else. */
    static EmbeddingException failure(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(EmbeddingException.class);
        return (EmbeddingException) thrown;
    }
}
