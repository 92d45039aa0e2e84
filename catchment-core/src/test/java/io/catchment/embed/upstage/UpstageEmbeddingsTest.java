package io.catchment.embed.upstage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.catchment.embed.EmbeddingException;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.EmbeddingModel.InputType;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.remote.ApiRequest;
import io.catchment.embed.remote.JsonApiClient;
import io.catchment.embed.remote.RemoteEmbeddingModel;
import io.catchment.embed.remote.RetryPolicy;
import io.catchment.embed.remote.Sleeper;
import io.catchment.json.Json;
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.models.FakeUpstage;
import io.catchment.testing.models.RecordedRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpstageEmbeddingsTest {
    private static final String KEY = "up_test_8c1f0b2a9d7e4c3b5a60";
    private static final Encoding CL100K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private FakeUpstage fake;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private JsonApiClient client;
    private RemoteEmbeddingModel model;

    @BeforeEach
    void start() {
        fake = new FakeUpstage(KEY);
        Sleeper recording = waits::add;
        client = new JsonApiClient(RetryPolicy.defaults().withMaxAttempts(3), recording);
        model = model(KEY);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private RemoteEmbeddingModel model(String key) {
        return UpstageEmbeddings.model(EmbeddingGenerator.SOLAR_1_MINI, new ModelCredentials.Upstage(key,
                fake.apiBaseUrl()), client);
    }

    private static void assertSameVector(float[] actual, float[] expected) {
        assertThat(actual).hasSize(expected.length);
        assertThat(actual).containsExactly(expected, within(2e-6f));
    }

    private static float[] pooled(List<float[]> vectors) {
        double[] sum = new double[vectors.getFirst().length];
        for (float[] v : vectors) for (int i = 0; i < v.length; i++) sum[i] += v[i];
        double n = 0;
        for (double x : sum) n += x * x;
        float[] out = new float[sum.length];
        for (int i = 0; i < sum.length; i++) out[i] = (float) (sum[i] / Math.sqrt(n));
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }

    /** Prose-like text of {@code words} words from a small vocabulary (seeded). */
    private static String words(int words, long seed) {
        String[] vocabulary = ("river stone harvest lantern orchard copper meadow signal thunder violet anchor "
                + "compass glacier marble pepper saddle timber velvet window yellow").split(" ");
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i > 0) out.append(' ');
            out.append(vocabulary[random.nextInt(vocabulary.length)]);
        }
        return out.toString();
    }

    @Test
    void describesTheModel() {
        assertThat(model.name()).isEqualTo("SOLAR_1_MINI");
        assertThat(model.dimensions()).isEqualTo(4096);
        assertThat(model.maxBatch()).isEqualTo(100);
        assertThat(model.maxInputTokens()).isEqualTo(2800);
        assertThat(model.embedsImages()).isFalse();
        assertThat(model.providerName()).isEqualTo("Upstage");
    }

    @Test
    void refusesOtherProvidersModels() {
        assertThatThrownBy(() -> UpstageEmbeddings.model(EmbeddingGenerator.COHERE_MULTILINGUAL_V3,
                new ModelCredentials.Upstage(KEY, fake.apiBaseUrl()), client))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void documentsGoToThePassageModelInOneRequest() throws Exception {
        List<String> texts = List.of("Solar embeddings for passages", "a second, longer passage about harbours");

        List<float[]> vectors = model.embed(texts, InputType.DOCUMENT);

        RecordedRequest request = fake.lastRequest();
        assertThat(fake.requests()).hasSize(1);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/embeddings");
        assertThat(request.query()).isEmpty();
        assertThat(request.header("authorization")).contains("Bearer " + KEY);
        assertThat(request.header("content-type")).contains("application/json");
        assertThat(request.json()).isEqualTo(Json.read("{\"model\":\"solar-embedding-1-large-passage\","
                + "\"input\":[\"Solar embeddings for passages\",\"a second, longer passage about harbours\"]}"));
        // The fake answers in reverse index order: vectors must be placed by index.
        assertSameVector(vectors.get(0), FakeUpstage.expectedVector(texts.get(0), false));
        assertSameVector(vectors.get(1), FakeUpstage.expectedVector(texts.get(1), false));
    }

    @Test
    void queriesGoToTheQueryModel() throws Exception {
        float[] query = model.embed(List.of("where are the harbours?"), InputType.QUERY).getFirst();
        float[] document = model.embed(List.of("where are the harbours?"), InputType.DOCUMENT).getFirst();

        assertThat(fake.requests().get(0).json()).isEqualTo(Json.read(
                "{\"model\":\"solar-embedding-1-large-query\",\"input\":[\"where are the harbours?\"]}"));
        assertThat(fake.requests().get(1).json().get("model").asText()).isEqualTo("solar-embedding-1-large-passage");
        assertSameVector(query, FakeUpstage.expectedVector("where are the harbours?", true));
        assertThat(query).isNotEqualTo(document);
    }

    @Test
    void batchesAtAHundredTextsInOrder() throws Exception {
        List<String> texts = IntStream.range(0, 250).mapToObj(i -> "text number " + i + " " + words(5, i)).toList();

        List<float[]> vectors = model.embed(texts, InputType.DOCUMENT);

        List<RecordedRequest> requests = fake.requests();
        assertThat(requests).extracting(r -> r.json().get("input").size()).containsExactlyInAnyOrder(100, 100, 50);
        List<String> sent = new ArrayList<>();
        requests.forEach(r -> sent.addAll(strings(r.json().get("input"))));
        assertThat(sent).as("batches are sent concurrently, so in any order").containsExactlyInAnyOrderElementsOf(texts);
        assertThat(vectors).hasSize(250);
        for (int i : new int[] {0, 99, 100, 249}) {
            assertSameVector(vectors.get(i), FakeUpstage.expectedVector(texts.get(i), false));
        }
    }

    @Test
    void batchesWithinTheRequestTokenBudget() throws Exception {
        // 60 texts of about 2500 tokens: 140,000 tokens hold 56 of them, not 60.
        double tokensPerWord = CL100K.countTokensOrdinary(words(1000, 7)) / 1000.0;
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String text = words((int) (2500 / tokensPerWord), 100 + i);
            assertThat(CL100K.countTokensOrdinary(text)).isBetween(2334, 2800);
            texts.add(text);
        }

        List<float[]> vectors = model.embed(texts, InputType.DOCUMENT);

        List<RecordedRequest> requests = fake.requests();
        assertThat(requests).hasSizeGreaterThan(1);
        for (RecordedRequest r : requests) {
            int tokens = strings(r.json().get("input")).stream().mapToInt(CL100K::countTokensOrdinary).sum();
            assertThat(tokens).isLessThanOrEqualTo(140_000);
        }
        assertThat(requests).extracting(r -> r.json().get("input").size()).containsExactly(
                requests.getFirst().json().get("input").size(), 60 - requests.getFirst().json().get("input").size());
        assertThat(vectors).hasSize(60);
    }

    @Test
    void longTextIsSplitIntoWindowsAndPooled() throws Exception {
        String text = words(7000, 42);
        assertThat(CL100K.countTokensOrdinary(text)).isGreaterThan(5600);

        float[] vector = model.embed(List.of(text), InputType.DOCUMENT).getFirst();

        RecordedRequest request = fake.lastRequest();
        assertThat(fake.requests()).hasSize(1);
        List<String> windows = strings(request.json().get("input"));
        assertThat(windows).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(w -> assertThat(CL100K.countTokensOrdinary(w)).isLessThanOrEqualTo(2800));
        assertThat(String.join("", windows)).isEqualTo(text);
        assertSameVector(vector, pooled(windows.stream().map(w -> FakeUpstage.expectedVector(w, false)).toList()));
    }

    @Test
    void blankTextsAreNotSent() throws Exception {
        List<float[]> vectors = model.embed(List.of("  ", "kept"), InputType.DOCUMENT);

        assertThat(strings(fake.lastRequest().json().get("input"))).containsExactly("kept");
        assertThat(vectors.get(0)[0]).isEqualTo(1f);
        assertSameVector(vectors.get(1), FakeUpstage.expectedVector("kept", false));
    }

    @Test
    void aWrongKeyFailsAtOnceWithoutShowingTheKey() {
        String wrong = "up_wrong_0000aaaa1111bbbb";

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> model(wrong).embed(List.of("x"), InputType.DOCUMENT));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).startsWith("Upstage refused the request (HTTP 401")
                .contains("Incorrect API key provided").doesNotContain(wrong);
        assertThat(fake.requests()).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void rateLimitsAreWaitedOutAsAsked() throws Exception {
        fake.failNext(FakeUpstage.error(429, "Too many requests. Please retry later.", "too_many_requests")
                .withHeader("Retry-After", "2"));

        float[] vector = model.embed(List.of("patience"), InputType.QUERY).getFirst();

        assertSameVector(vector, FakeUpstage.expectedVector("patience", true));
        assertThat(fake.requests()).hasSize(2);
        assertThat(waits).hasSize(1);
        assertThat(waits.getFirst()).isBetween(Duration.ofSeconds(2), Duration.ofMillis(2200));
    }

    @Test
    void persistentRateLimitingEndsRetryable() {
        Reply limited = FakeUpstage.error(429, "Too many requests.", "too_many_requests");
        fake.failNext(limited, limited, limited);

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> model.embed(List.of("x"), InputType.DOCUMENT));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("Upstage", "429");
        assertThat(waits).hasSize(2);
    }

    @Test
    void aMalformedAnswerIsAnError() {
        fake.failNext(Reply.json(200, Map.of("object", "list", "data", List.of())));

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> model.embed(List.of("x"), InputType.DOCUMENT));

        assertThat(e.getMessage()).contains("Upstage returned 0 embeddings for 1 texts");
    }

    @Test
    void theFakeValidatesRequestsAsUpstageDoes() {
        URI uri = URI.create(fake.apiBaseUrl() + "/embeddings");

        assertThat(refusal(uri, "{\"model\":\"solar-1-mini-embedding-passage\",\"input\":[\"x\"]}"))
                .contains("HTTP 404", "does not exist");
        assertThat(refusal(uri, "{\"model\":\"embedding-passage\",\"input\":[\"\"]}")).contains("HTTP 400");
        assertThat(refusal(uri, "{\"model\":\"embedding-query\",\"input\":[]}")).contains("HTTP 400");
        String tooMany = "[" + String.join(",", Collections.nCopies(101, "\"x\"")) + "]";
        assertThat(refusal(uri, "{\"model\":\"embedding-query\",\"input\":" + tooMany + "}"))
                .contains("HTTP 400", "at most 100");
        assertThat(refusal(uri, "{\"model\":\"embedding-query\",\"input\":[\"" + words(4001, 1) + "\"]}"))
                .contains("HTTP 400", "4000");
    }

    private String refusal(URI uri, String body) {
        ApiRequest request = ApiRequest.json("Upstage", uri, Map.of("Authorization", "Bearer " + KEY),
                Json.read(body), "raw", List.of(KEY));
        return catchThrowableOfType(EmbeddingException.class, () -> client.post(request)).getMessage();
    }
}
