package io.catchment.embed.openai;

import static io.catchment.embed.openai.ProviderTestSupport.assertSameVector;
import static io.catchment.embed.openai.ProviderTestSupport.pooled;
import static io.catchment.embed.openai.ProviderTestSupport.sampleTexts;
import static io.catchment.embed.openai.ProviderTestSupport.strings;
import static io.catchment.embed.openai.ProviderTestSupport.tokens;
import static io.catchment.embed.openai.ProviderTestSupport.words;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.embed.EmbeddingException;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.EmbeddingModel.InputType;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.openai.ProviderTestSupport.RecordingSleeper;
import io.catchment.embed.remote.JsonApiClient;
import io.catchment.embed.remote.RemoteEmbeddingModel;
import io.catchment.embed.remote.RetryPolicy;
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.models.FakeOpenAi;
import io.catchment.testing.models.RecordedRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiEmbeddingsTest {
    private static final String KEY = "sk-test-3f9a1c77e2b04d5e8a61";
    private static final int ATTEMPTS = 3;

    private FakeOpenAi fake;
    private RecordingSleeper sleeper;
    private JsonApiClient client;

    @BeforeEach
    void start() {
        fake = new FakeOpenAi(KEY);
        sleeper = new RecordingSleeper();
        client = new JsonApiClient(RetryPolicy.defaults().withMaxAttempts(ATTEMPTS), sleeper);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private ModelCredentials.OpenAi credentials(String key) {
        return new ModelCredentials.OpenAi(key, Optional.empty(), fake.apiBaseUrl());
    }

    private RemoteEmbeddingModel model(EmbeddingGenerator generator) {
        return OpenAiEmbeddings.model(generator, credentials(KEY), client);
    }

    @ParameterizedTest
    @EnumSource(value = EmbeddingGenerator.class, names = {"OPENAI", "OPENAI_ADA_LARGE_256", "OPENAI_ADA_LARGE_1024",
            "OPENAI_ADA_LARGE_3072", "OPENAI_ADA_SMALL_512", "OPENAI_ADA_SMALL_1536"})
    void sendsOpenAisRequestAndReturnsTheVectorsByIndex(EmbeddingGenerator generator) throws Exception {
        RemoteEmbeddingModel model = model(generator);
        List<String> texts = sampleTexts();

        List<float[]> vectors = model.embed(texts, InputType.DOCUMENT);

        assertThat(model.name()).isEqualTo(generator.wireName());
        assertThat(model.dimensions()).isEqualTo(generator.dimensions());
        assertThat(model.maxBatch()).isEqualTo(2048);
        assertThat(model.maxInputTokens()).isEqualTo(8191);
        assertThat(fake.requests()).hasSize(1);
        RecordedRequest request = fake.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/embeddings");
        assertThat(request.query()).isEmpty();
        assertThat(request.header("authorization")).contains("Bearer " + KEY);
        assertThat(request.header("content-type")).contains("application/json");
        assertThat(request.header("openai-organization")).isEmpty();
        assertThat(request.header("api-key")).isEmpty();
        JsonNode body = request.json();
        Set<String> fields = new HashSet<>();
        body.fieldNames().forEachRemaining(fields::add);
        boolean v3 = !generator.upstreamModel().equals("text-embedding-ada-002");
        assertThat(fields).isEqualTo(v3 ? Set.of("model", "input", "encoding_format", "dimensions")
                : Set.of("model", "input", "encoding_format"));
        assertThat(body.get("model").asText()).isEqualTo(generator.upstreamModel());
        assertThat(strings(body.get("input"))).isEqualTo(texts);
        assertThat(body.get("encoding_format").asText()).isEqualTo("float");
        if (v3) assertThat(body.get("dimensions").asInt()).isEqualTo(generator.dimensions());

        assertThat(vectors).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertSameVector(vectors.get(i),
                    FakeOpenAi.expectedVector(texts.get(i), generator.upstreamModel(), generator.dimensions()));
        }
        // The fake answers in reverse order: alike vectors would hide a client that trusts array order.
        assertThat(vectors).allSatisfy(v -> assertThat(v[0]).isLessThan(0.99f));
        assertThat(vectors.get(0)).isNotEqualTo(vectors.get(2));
    }

    @Test
    void queriesAndDocumentsSendTheSameRequest() throws Exception {
        RemoteEmbeddingModel model = model(EmbeddingGenerator.OPENAI_ADA_SMALL_512);
        List<float[]> documents = model.embed(List.of("where is the copper lantern"), InputType.DOCUMENT);
        List<float[]> queries = model.embed(List.of("where is the copper lantern"), InputType.QUERY);

        assertThat(fake.requests().get(1).json()).isEqualTo(fake.requests().get(0).json());
        assertThat(queries.getFirst()).containsExactly(documents.getFirst());
    }

    @Test
    void sendsTheOrganizationWhenSetAndToleratesATrailingSlashInTheBaseUrl() throws Exception {
        var credentials = new ModelCredentials.OpenAi(KEY, Optional.of("org-catchment42"),
                URI.create(fake.apiBaseUrl() + "/"));

        OpenAiEmbeddings.model(EmbeddingGenerator.OPENAI, credentials, client)
                .embed(List.of("hello there"), InputType.QUERY);

        assertThat(fake.lastRequest().path()).isEqualTo("/v1/embeddings");
        assertThat(fake.lastRequest().header("openai-organization")).contains("org-catchment42");
    }

    @ParameterizedTest
    @EnumSource(value = EmbeddingGenerator.class, mode = EnumSource.Mode.EXCLUDE, names = {"OPENAI",
            "OPENAI_ADA_LARGE_256", "OPENAI_ADA_LARGE_1024", "OPENAI_ADA_LARGE_3072", "OPENAI_ADA_SMALL_512",
            "OPENAI_ADA_SMALL_1536"})
    void refusesOtherProvidersModels(EmbeddingGenerator generator) {
        assertThatThrownBy(() -> model(generator)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(generator.wireName());
    }

    @Test
    void neverSendsDimensionsForAda() throws Exception {
        model(EmbeddingGenerator.OPENAI).embed(List.of("ada has one size only"), InputType.DOCUMENT);

        assertThat(fake.lastRequest().json().has("dimensions")).isFalse();
        assertThat(fake.lastRequest().json().get("model").asText()).isEqualTo("text-embedding-ada-002");
    }

    @Test
    void splitsMoreThan2048TextsIntoTwoRequests() throws Exception {
        List<String> texts = IntStream.range(0, 2050).mapToObj(i -> "short text number " + i + " about "
                + words(3, i)).toList();

        List<float[]> vectors = model(EmbeddingGenerator.OPENAI_ADA_SMALL_512).embed(texts, InputType.DOCUMENT);

        assertThat(fake.requests()).extracting(r -> r.json().get("input").size()).containsExactlyInAnyOrder(2048, 2);
        List<String> sent = new ArrayList<>();
        fake.requests().forEach(r -> sent.addAll(strings(r.json().get("input"))));
        assertThat(sent).as("batches are sent concurrently, so in any order").containsExactlyInAnyOrderElementsOf(texts);
        assertThat(vectors).hasSize(2050);
        for (int i : new int[] {0, 1, 1000, 2047, 2048, 2049}) {
            assertSameVector(vectors.get(i), FakeOpenAi.expectedVector(texts.get(i), "text-embedding-3-small", 512));
        }
    }

    @Test
    void packsLongTextsWithinTheRequestTokenBudget() throws Exception {
        String text = words(7_000, 7);
        int perText = tokens(text);
        assertThat(perText).isBetween(7_000, 8_191);
        List<String> texts = IntStream.range(0, 60).mapToObj(i -> text).toList();

        List<float[]> vectors = model(EmbeddingGenerator.OPENAI_ADA_SMALL_512).embed(texts, InputType.DOCUMENT);

        int perRequest = 300_000 / perText;
        List<Integer> expected = new ArrayList<>();
        for (int left = texts.size(); left > 0; left -= perRequest) expected.add(Math.min(left, perRequest));
        assertThat(fake.requests()).extracting(r -> r.json().get("input").size()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected).hasSizeGreaterThan(1);
        for (RecordedRequest r : fake.requests()) {
            assertThat(strings(r.json().get("input")).stream().mapToLong(ProviderTestSupport::tokens).sum())
                    .isLessThanOrEqualTo(300_000);
        }
        assertThat(vectors).hasSize(60);
        assertSameVector(vectors.get(59), FakeOpenAi.expectedVector(text, "text-embedding-3-small", 512));
    }

    @Test
    void embedsATextLongerThan8191TokensAsWindowsPooledIntoOneVector() throws Exception {
        String text = words(20_000, 11);
        assertThat(tokens(text)).isGreaterThan(2 * 8191);

        List<float[]> vectors = model(EmbeddingGenerator.OPENAI_ADA_LARGE_1024)
                .embed(List.of("a short one first", text), InputType.DOCUMENT);

        assertThat(fake.requests()).hasSize(1);
        List<String> inputs = strings(fake.lastRequest().json().get("input"));
        assertThat(inputs).hasSize(1 + (tokens(text) + 8190) / 8191);
        assertThat(inputs.getFirst()).isEqualTo("a short one first");
        List<String> windows = inputs.subList(1, inputs.size());
        assertThat(String.join("", windows)).isEqualTo(text);
        assertThat(windows).allSatisfy(w -> assertThat(tokens(w)).isLessThanOrEqualTo(8191));
        assertThat(vectors).hasSize(2);
        assertSameVector(vectors.get(1), pooled(windows.stream()
                .map(w -> FakeOpenAi.expectedVector(w, "text-embedding-3-large", 1024)).toList()));
    }

    @Test
    void doesNotSendBlankTexts() throws Exception {
        List<float[]> vectors = model(EmbeddingGenerator.OPENAI_ADA_SMALL_512)
                .embed(List.of("  ", "copper meadow", ""), InputType.DOCUMENT);

        assertThat(strings(fake.lastRequest().json().get("input"))).containsExactly("copper meadow");
        assertThat(vectors).hasSize(3);
        assertThat(vectors.get(0)[0]).isEqualTo(1f);
        assertSameVector(vectors.get(1), FakeOpenAi.expectedVector("copper meadow", "text-embedding-3-small", 512));
    }

    @Test
    void aWrongKeyFailsAtOnceWithOpenAisMessageAndWithoutTheKey() {
        String wrongKey = "sk-wrong-9d8c7b6a5f4e3d2c1b0a";
        RemoteEmbeddingModel model = OpenAiEmbeddings.model(EmbeddingGenerator.OPENAI, credentials(wrongKey), client);

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> model.embed(List.of("hello"), InputType.DOCUMENT));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("OpenAI").contains("401").contains("Incorrect API key provided")
                .doesNotContain(wrongKey);
        assertThat(fake.requests()).hasSize(1);
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void aKeyEchoedInAnErrorIsRedacted() {
        fake.failNext(Reply.json(401, Map.of("error", Map.of("message", "Incorrect API key provided: " + KEY,
                "type", "invalid_request_error", "code", "invalid_api_key"))));

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> model(EmbeddingGenerator.OPENAI).embed(List.of("hello"), InputType.DOCUMENT));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("Incorrect API key provided").doesNotContain(KEY);
    }

    @Test
    void aBadRequestIsNotRetried() {
        fake.failNext(Reply.json(400, Map.of("error", Map.of("message",
                "This model does not support specifying dimensions.", "type", "invalid_request_error"))));

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> model(EmbeddingGenerator.OPENAI_ADA_SMALL_512).embed(List.of("hello"), InputType.DOCUMENT));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).isEqualTo(
                "OpenAI refused the request (HTTP 400: This model does not support specifying dimensions.)");
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void waitsAsToldBy429RetryAfterThenSucceeds() throws Exception {
        fake.failNext(rateLimited().withHeader("Retry-After", "2"));

        List<float[]> vectors = model(EmbeddingGenerator.OPENAI_ADA_SMALL_1536)
                .embed(List.of("copper meadow"), InputType.DOCUMENT);

        assertSameVector(vectors.getFirst(),
                FakeOpenAi.expectedVector("copper meadow", "text-embedding-3-small", 1536));
        assertThat(fake.requests()).hasSize(2);
        assertThat(sleeper.waits()).hasSize(1);
        assertThat(sleeper.waits().getFirst()).isBetween(Duration.ofSeconds(2), Duration.ofMillis(2200));
    }

    @Test
    void prefersRetryAfterMsToRetryAfter() throws Exception {
        fake.failNext(rateLimited().withHeader("Retry-After", "2").withHeader("retry-after-ms", "350"));

        model(EmbeddingGenerator.OPENAI).embed(List.of("copper meadow"), InputType.DOCUMENT);

        assertThat(sleeper.waits()).singleElement()
                .satisfies(wait -> assertThat(wait).isBetween(Duration.ofMillis(350), Duration.ofMillis(385)));
    }

    @Test
    void givesUpOnEndless429sWithARetryableError() {
        for (int i = 0; i < 10; i++) fake.failNext(rateLimited().withHeader("Retry-After", "1"));

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> model(EmbeddingGenerator.OPENAI).embed(List.of("copper meadow"), InputType.DOCUMENT));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("OpenAI").contains("429").contains("Rate limit reached");
        assertThat(fake.requests()).hasSize(ATTEMPTS);
        assertThat(sleeper.waits()).hasSize(ATTEMPTS - 1);
    }

    @Test
    void retriesAServerErrorWithBackoff() throws Exception {
        fake.failNext(Reply.json(500, Map.of("error", Map.of("message",
                "The server had an error while processing your request. Sorry about that!", "type", "server_error"))));

        List<float[]> vectors = model(EmbeddingGenerator.OPENAI).embed(List.of("copper meadow"), InputType.DOCUMENT);

        assertThat(vectors).hasSize(1);
        assertThat(fake.requests()).hasSize(2);
        Duration base = client.policy().baseDelay();
        assertThat(sleeper.waits()).singleElement()
                .satisfies(wait -> assertThat(wait).isBetween(base.dividedBy(2), base));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"object\":\"list\",\"model\":\"text-embedding-ada-002\"}",
        "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.6,0.8]}]}",
        "{\"data\":[{\"index\":0,\"embedding\":[0.6,0.8]},{\"index\":2,\"embedding\":[0.8,0.6]}]}",
        "{\"data\":[{\"index\":1,\"embedding\":[0.6,0.8]},{\"index\":1,\"embedding\":[0.8,0.6]}]}",
        "{\"data\":[{\"embedding\":[0.6,0.8]},{\"index\":1,\"embedding\":[0.8,0.6]}]}",
        "{\"data\":[{\"index\":0,\"embedding\":\"AAAA\"},{\"index\":1,\"embedding\":[0.8,0.6]}]}",
        "{\"data\":[{\"index\":0,\"embedding\":[0.6,\"x\"]},{\"index\":1,\"embedding\":[0.8,0.6]}]}",
        "[]"
    })
    void aMalformedAnswerFailsWithoutRetry(String answer) {
        fake.failNext(Reply.json(200, answer));

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> model(EmbeddingGenerator.OPENAI).embed(List.of("one", "two"), InputType.DOCUMENT));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).startsWith("OpenAI answered with a malformed embeddings response");
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void aVectorOfTheWrongSizeFails() {
        fake.failNext(Reply.json(200, "{\"data\":[{\"index\":0,\"embedding\":[0.6,0.8]}]}"));

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> model(EmbeddingGenerator.OPENAI).embed(List.of("one"), InputType.DOCUMENT));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("OpenAI").contains("2 dimensions");
    }

    @Test
    void neverHasMoreRequestsInFlightThanThePolicyAllows() throws Exception {
        JsonApiClient twoAtATime = new JsonApiClient(RetryPolicy.defaults().withConcurrency(2), sleeper);
        RemoteEmbeddingModel model = OpenAiEmbeddings.model(EmbeddingGenerator.OPENAI_ADA_SMALL_512,
                credentials(KEY), twoAtATime);
        fake.delayEachAnswer(60);

        List<float[]> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<List<float[]>>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String text = "parallel call " + i + " " + words(5, i);
                calls.add(pool.submit(() -> model.embed(List.of(text), InputType.DOCUMENT)));
            }
            for (Future<List<float[]>> call : calls) results.add(call.get().getFirst());
        }

        assertThat(fake.requests()).hasSize(8);
        assertThat(fake.maxConcurrentRequests()).isBetween(1, 2);
        for (int i = 0; i < 8; i++) {
            assertSameVector(results.get(i), FakeOpenAi.expectedVector("parallel call " + i + " " + words(5, i),
                    "text-embedding-3-small", 512));
        }
    }

    private static Reply rateLimited() {
        return Reply.json(429, Map.of("error", Map.of("message", "Rate limit reached for text-embedding-3-small in "
                + "organization org-x on tokens per min (TPM): Limit 1000000, Used 999000, Requested 2000. Please try "
                + "again in 120ms.", "type", "tokens", "code", "rate_limit_exceeded")));
    }
}
