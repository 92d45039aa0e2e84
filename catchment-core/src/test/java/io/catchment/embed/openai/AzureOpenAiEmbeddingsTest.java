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
import io.catchment.testing.models.FakeAzureOpenAi;
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.models.FakeOpenAi;
import io.catchment.testing.models.RecordedRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

class AzureOpenAiEmbeddingsTest {
    private static final String KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private static final int ATTEMPTS = 3;
    /** Deployments of the fake resource: name → model. */
    private static final Map<String, String> DEPLOYED = Map.of("ada-prod", "text-embedding-ada-002",
            "large-prod", "text-embedding-3-large", "small-512", "text-embedding-3-small",
            "small-1536", "text-embedding-3-small");
    /** The credentials' map: by Carbon name, or by upstream model for all the large ones. */
    private static final Map<String, String> CONFIGURED = Map.of("AZURE_OPENAI", "ada-prod",
            "text-embedding-3-large", "large-prod", "AZURE_ADA_SMALL_512", "small-512",
            "AZURE_ADA_SMALL_1536", "small-1536");

    private FakeAzureOpenAi fake;
    private RecordingSleeper sleeper;
    private JsonApiClient client;

    @BeforeEach
    void start() {
        fake = new FakeAzureOpenAi(KEY, DEPLOYED);
        sleeper = new RecordingSleeper();
        client = new JsonApiClient(RetryPolicy.defaults().withMaxAttempts(ATTEMPTS), sleeper);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private ModelCredentials.AzureOpenAi credentials(String key, String apiVersion, Map<String, String> deployments) {
        return new ModelCredentials.AzureOpenAi(fake.endpoint(), key, apiVersion, deployments);
    }

    private RemoteEmbeddingModel model(EmbeddingGenerator generator) {
        return AzureOpenAiEmbeddings.model(generator,
                credentials(KEY, ModelCredentials.AzureOpenAi.DEFAULT_API_VERSION, CONFIGURED), client);
    }

    private static String expectedDeployment(EmbeddingGenerator generator) {
        return switch (generator) {
            case AZURE_OPENAI -> "ada-prod";
            case AZURE_ADA_LARGE_256, AZURE_ADA_LARGE_1024, AZURE_ADA_LARGE_3072 -> "large-prod";
            case AZURE_ADA_SMALL_512 -> "small-512";
            case AZURE_ADA_SMALL_1536 -> "small-1536";
            default -> throw new IllegalArgumentException(generator.name());
        };
    }

    @ParameterizedTest
    @EnumSource(value = EmbeddingGenerator.class, names = {"AZURE_OPENAI", "AZURE_ADA_LARGE_256",
            "AZURE_ADA_LARGE_1024", "AZURE_ADA_LARGE_3072", "AZURE_ADA_SMALL_512", "AZURE_ADA_SMALL_1536"})
    void sendsAzuresRequestToTheModelsDeploymentAndReturnsTheVectors(EmbeddingGenerator generator) throws Exception {
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
        assertThat(request.path()).isEqualTo("/openai/deployments/" + expectedDeployment(generator) + "/embeddings");
        assertThat(request.query()).contains("api-version=2024-10-21");
        assertThat(request.header("api-key")).contains(KEY);
        assertThat(request.header("authorization")).isEmpty();
        assertThat(request.header("content-type")).contains("application/json");
        JsonNode body = request.json();
        Set<String> fields = new HashSet<>();
        body.fieldNames().forEachRemaining(fields::add);
        boolean v3 = !generator.upstreamModel().equals("text-embedding-ada-002");
        assertThat(fields).isEqualTo(v3 ? Set.of("input", "encoding_format", "dimensions")
                : Set.of("input", "encoding_format"));
        assertThat(strings(body.get("input"))).isEqualTo(texts);
        assertThat(body.get("encoding_format").asText()).isEqualTo("float");
        if (v3) assertThat(body.get("dimensions").asInt()).isEqualTo(generator.dimensions());

        assertThat(vectors).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertSameVector(vectors.get(i),
                    FakeOpenAi.expectedVector(texts.get(i), generator.upstreamModel(), generator.dimensions()));
        }
        assertThat(vectors).allSatisfy(v -> assertThat(v[0]).isLessThan(0.99f));
    }

    @ParameterizedTest
    @EnumSource(value = EmbeddingGenerator.class, mode = EnumSource.Mode.EXCLUDE, names = {"AZURE_OPENAI",
            "AZURE_ADA_LARGE_256", "AZURE_ADA_LARGE_1024", "AZURE_ADA_LARGE_3072", "AZURE_ADA_SMALL_512",
            "AZURE_ADA_SMALL_1536"})
    void refusesOtherProvidersModels(EmbeddingGenerator generator) {
        assertThatThrownBy(() -> model(generator)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(generator.wireName());
    }

    @Test
    void withoutAMappingTheDeploymentIsNamedAfterTheModel() throws Exception {
        try (FakeAzureOpenAi defaults = new FakeAzureOpenAi(KEY, Map.of("text-embedding-3-small",
                "text-embedding-3-small"))) {
            var credentials = new ModelCredentials.AzureOpenAi(defaults.endpoint(), KEY, "2024-06-01", Map.of());

            AzureOpenAiEmbeddings.model(EmbeddingGenerator.AZURE_ADA_SMALL_512, credentials, client)
                    .embed(List.of("copper meadow"), InputType.DOCUMENT);

            assertThat(defaults.lastRequest().path()).isEqualTo("/openai/deployments/text-embedding-3-small/embeddings");
            assertThat(defaults.lastRequest().query()).contains("api-version=2024-06-01");

            EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                    () -> AzureOpenAiEmbeddings.model(EmbeddingGenerator.AZURE_OPENAI, credentials, client)
                            .embed(List.of("copper meadow"), InputType.DOCUMENT));
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).startsWith("Azure OpenAI refused the request (HTTP 404: ")
                    .contains("deployment for this resource does not exist");
        }
    }

    @Test
    void encodesTheDeploymentAsOnePathSegmentAndToleratesATrailingSlash() throws Exception {
        try (FakeAzureOpenAi odd = new FakeAzureOpenAi(KEY, Map.of("team a/large?x", "text-embedding-3-large"))) {
            var credentials = new ModelCredentials.AzureOpenAi(URI.create(odd.endpoint() + "/"), KEY, "2024-10-21",
                    Map.of("AZURE_ADA_LARGE_256", "team a/large?x"));

            List<float[]> vectors = AzureOpenAiEmbeddings.model(EmbeddingGenerator.AZURE_ADA_LARGE_256, credentials,
                    client).embed(List.of(sampleTexts().getFirst()), InputType.QUERY);

            assertThat(odd.lastRequest().path()).isEqualTo("/openai/deployments/team%20a%2Flarge%3Fx/embeddings");
            assertThat(odd.lastRequest().query()).contains("api-version=2024-10-21");
            assertSameVector(vectors.getFirst(),
                    FakeOpenAi.expectedVector(sampleTexts().getFirst(), "text-embedding-3-large", 256));
        }
    }

    @Test
    void anApiVersionBefore2024_02_01TakesAtMost16InputsPerRequest() throws Exception {
        RemoteEmbeddingModel model = AzureOpenAiEmbeddings.model(EmbeddingGenerator.AZURE_OPENAI,
                credentials(KEY, "2023-05-15", CONFIGURED), client);
        List<String> texts = IntStream.range(0, 20).mapToObj(i -> "text " + i).toList();

        List<float[]> vectors = model.embed(texts, InputType.DOCUMENT);

        assertThat(model.maxBatch()).isEqualTo(16);
        assertThat(fake.requests()).extracting(r -> r.json().get("input").size()).containsExactlyInAnyOrder(16, 4);
        assertThat(fake.lastRequest().query()).contains("api-version=2023-05-15");
        assertSameVector(vectors.get(19), FakeOpenAi.expectedVector("text 19", "text-embedding-ada-002", 1536));
    }

    @Test
    void splitsMoreThan2048TextsIntoTwoRequests() throws Exception {
        List<String> texts = IntStream.range(0, 2050).mapToObj(i -> "short text number " + i + " about "
                + words(3, i)).toList();

        List<float[]> vectors = model(EmbeddingGenerator.AZURE_ADA_SMALL_512).embed(texts, InputType.DOCUMENT);

        assertThat(fake.requests()).extracting(r -> r.json().get("input").size()).containsExactlyInAnyOrder(2048, 2);
        List<String> sent = new ArrayList<>();
        fake.requests().forEach(r -> sent.addAll(strings(r.json().get("input"))));
        assertThat(sent).as("batches are sent concurrently, so in any order").containsExactlyInAnyOrderElementsOf(texts);
        for (int i : new int[] {0, 2047, 2048, 2049}) {
            assertSameVector(vectors.get(i), FakeOpenAi.expectedVector(texts.get(i), "text-embedding-3-small", 512));
        }
    }

    @Test
    void packsLongTextsWithinItsRequestTokenBudget() throws Exception {
        String text = words(7_000, 5);
        int perText = tokens(text);
        List<String> texts = IntStream.range(0, 30).mapToObj(i -> text).toList();

        model(EmbeddingGenerator.AZURE_ADA_SMALL_512).embed(texts, InputType.DOCUMENT);

        int perRequest = AzureOpenAiEmbeddings.MAX_REQUEST_TOKENS / perText;
        List<Integer> expected = new ArrayList<>();
        for (int left = texts.size(); left > 0; left -= perRequest) expected.add(Math.min(left, perRequest));
        assertThat(expected).hasSizeGreaterThan(1);
        assertThat(fake.requests()).extracting(r -> r.json().get("input").size()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void embedsATextLongerThan8191TokensAsWindowsPooledIntoOneVector() throws Exception {
        String text = words(12_000, 13);
        assertThat(tokens(text)).isGreaterThan(8191);

        List<float[]> vectors = model(EmbeddingGenerator.AZURE_ADA_LARGE_3072).embed(List.of(text), InputType.DOCUMENT);

        List<String> windows = strings(fake.lastRequest().json().get("input"));
        assertThat(windows).hasSize((tokens(text) + 8190) / 8191);
        assertThat(String.join("", windows)).isEqualTo(text);
        assertThat(vectors).hasSize(1);
        assertSameVector(vectors.getFirst(), pooled(windows.stream()
                .map(w -> FakeOpenAi.expectedVector(w, "text-embedding-3-large", 3072)).toList()));
    }

    @Test
    void aWrongKeyFailsAtOnceWithAzuresMessageAndWithoutTheKey() {
        String wrongKey = "ffffeeeeddddccccbbbbaaaa99998888";
        RemoteEmbeddingModel model = AzureOpenAiEmbeddings.model(EmbeddingGenerator.AZURE_OPENAI,
                credentials(wrongKey, "2024-10-21", CONFIGURED), client);

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> model.embed(List.of("hello"), InputType.DOCUMENT));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).startsWith("Azure OpenAI refused the request (HTTP 401: ")
                .contains("Access denied due to invalid subscription key").doesNotContain(wrongKey);
        assertThat(fake.requests()).hasSize(1);
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void waitsAsToldBy429RetryAfterThenSucceeds() throws Exception {
        fake.failNext(rateLimited().withHeader("Retry-After", "2"));

        List<float[]> vectors = model(EmbeddingGenerator.AZURE_OPENAI).embed(List.of("copper meadow"),
                InputType.DOCUMENT);

        assertSameVector(vectors.getFirst(),
                FakeOpenAi.expectedVector("copper meadow", "text-embedding-ada-002", 1536));
        assertThat(fake.requests()).hasSize(2);
        assertThat(sleeper.waits()).singleElement()
                .satisfies(wait -> assertThat(wait).isBetween(Duration.ofSeconds(2), Duration.ofMillis(2200)));
    }

    @Test
    void givesUpOnEndless429sWithARetryableError() {
        for (int i = 0; i < 10; i++) fake.failNext(rateLimited().withHeader("Retry-After", "1"));

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> model(EmbeddingGenerator.AZURE_OPENAI).embed(List.of("copper meadow"), InputType.DOCUMENT));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("Azure OpenAI").contains("429").contains("exceeded call rate limit");
        assertThat(fake.requests()).hasSize(ATTEMPTS);
    }

    @Test
    void retriesAServerErrorWithBackoff() throws Exception {
        fake.failNext(Reply.json(503, Map.of("error", Map.of("code", "ServiceUnavailable",
                "message", "The service is temporarily unable to process your request. Please try again later."))));

        List<float[]> vectors = model(EmbeddingGenerator.AZURE_ADA_SMALL_1536).embed(List.of("copper meadow"),
                InputType.DOCUMENT);

        assertThat(vectors).hasSize(1);
        assertThat(fake.requests()).hasSize(2);
        Duration base = client.policy().baseDelay();
        assertThat(sleeper.waits()).singleElement()
                .satisfies(wait -> assertThat(wait).isBetween(base.dividedBy(2), base));
    }

    @Test
    void aMalformedAnswerFailsWithoutRetryNamingAzure() {
        fake.failNext(Reply.json(200, "{\"data\":[{\"index\":5,\"embedding\":[0.6,0.8]}]}"));

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> model(EmbeddingGenerator.AZURE_OPENAI).embed(List.of("one"), InputType.DOCUMENT));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).startsWith("Azure OpenAI answered with a malformed embeddings response");
    }

    @Test
    void neverHasMoreRequestsInFlightThanThePolicyAllows() throws Exception {
        JsonApiClient twoAtATime = new JsonApiClient(RetryPolicy.defaults().withConcurrency(2), sleeper);
        RemoteEmbeddingModel model = AzureOpenAiEmbeddings.model(EmbeddingGenerator.AZURE_ADA_SMALL_512,
                credentials(KEY, "2024-10-21", CONFIGURED), twoAtATime);
        fake.delayEachAnswer(60);

        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<List<float[]>>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String text = "parallel call " + i;
                calls.add(pool.submit(() -> model.embed(List.of(text), InputType.DOCUMENT)));
            }
            for (Future<List<float[]>> call : calls) assertThat(call.get()).hasSize(1);
        }

        assertThat(fake.requests()).hasSize(8);
        assertThat(fake.maxConcurrentRequests()).isBetween(1, 2);
    }

    private static Reply rateLimited() {
        return Reply.json(429, Map.of("error", Map.of("code", "429", "message", "Requests to the Embeddings_Create "
                + "Operation under Azure OpenAI API version 2024-10-21 have exceeded call rate limit of your current "
                + "OpenAI S0 pricing tier. Please retry after 2 seconds.")));
    }
}
