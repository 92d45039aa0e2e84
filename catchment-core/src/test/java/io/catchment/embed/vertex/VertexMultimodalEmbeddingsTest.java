package io.catchment.embed.vertex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.embed.EmbeddingException;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.EmbeddingModel.InputType;
import io.catchment.embed.ImageInput;
import io.catchment.embed.credentials.CredentialsJson;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.remote.ApiRequest;
import io.catchment.embed.remote.JsonApiClient;
import io.catchment.embed.remote.RemoteEmbeddingModel;
import io.catchment.embed.remote.RetryPolicy;
import io.catchment.embed.remote.Sleeper;
import io.catchment.json.Json;
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.models.FakeVertexAi;
import io.catchment.testing.models.RecordedRequest;
import io.catchment.testing.time.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VertexMultimodalEmbeddingsTest {
    private static final String PROJECT = "catchment-test-project";
    private static final String LOCATION = "europe-west4";
    private static final int DIMENSION = 1408;

    private FakeVertexAi fake;
    private MutableClock clock;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private JsonApiClient client;
    private ModelCredentials.VertexAi credentials;
    private RemoteEmbeddingModel model;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeVertexAi(PROJECT, LOCATION);
        clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
        fake.clock(clock);
        Sleeper recording = waits::add;
        client = new JsonApiClient(RetryPolicy.defaults().withMaxAttempts(4), recording);
        credentials = credentials(fake.serviceAccountJson(PROJECT));
        model = VertexMultimodalEmbeddings.model(EmbeddingGenerator.VERTEX_MULTIMODAL, credentials, client, clock);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private ModelCredentials.VertexAi credentials(String keyFile) throws Exception {
        return new ModelCredentials.VertexAi(CredentialsJson.serviceAccount(Json.read(keyFile)), PROJECT, LOCATION,
                Optional.of(fake.baseUrl()));
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

    /** Bytes that start like a PNG file, which is all the fake (and our MIME check) looks at. */
    private static byte[] png(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        System.arraycopy(signature, 0, bytes, 0, signature.length);
        return bytes;
    }

    @Test
    void describesTheMultimodalModel() {
        assertThat(model.name()).isEqualTo("VERTEX_MULTIMODAL");
        assertThat(model.dimensions()).isEqualTo(1408);
        assertThat(model.maxBatch()).isEqualTo(1);
        assertThat(model.maxInputTokens()).isEqualTo(28);
        assertThat(model.embedsImages()).isTrue();
        assertThat(model.providerName()).isEqualTo("Vertex AI");
    }

    @Test
    void refusesOtherProvidersModels() {
        assertThatThrownBy(() -> VertexMultimodalEmbeddings.model(EmbeddingGenerator.OPENAI, credentials, client, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sendsOnePredictRequestPerTextWithTheBearerToken() throws Exception {
        List<float[]> vectors = model.embed(List.of("a photo of a red bicycle", "harbour at dawn"), InputType.DOCUMENT);

        List<RecordedRequest> predicts = fake.predictRequests();
        assertThat(predicts).hasSize(2);
        // Requests go out concurrently: find each by its text.
        RecordedRequest first = predicts.stream()
                .filter(r -> r.json().at("/instances/0/text").asText().equals("a photo of a red bicycle")).findFirst().orElseThrow();
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo("/projects/" + PROJECT + "/locations/" + LOCATION
                + "/publishers/google/models/multimodalembedding@001:predict");
        assertThat(first.query()).isEmpty();
        assertThat(first.header("authorization")).contains("Bearer " + fake.lastIssuedToken());
        assertThat(first.header("content-type")).contains("application/json");
        assertThat(first.json()).isEqualTo(Json.read(
                "{\"instances\":[{\"text\":\"a photo of a red bicycle\"}],\"parameters\":{\"dimension\":1408}}"));
        assertThat(predicts).extracting(r -> r.json().at("/instances/0/text").asText()).contains("harbour at dawn");

        assertSameVector(vectors.get(0), FakeVertexAi.expectedTextVector("a photo of a red bicycle", DIMENSION));
        assertSameVector(vectors.get(1), FakeVertexAi.expectedTextVector("harbour at dawn", DIMENSION));
        assertThat(fake.tokenRequests()).isEqualTo(1);
    }

    @Test
    void queriesAndDocumentsAreSentAlike() throws Exception {
        float[] document = model.embed(List.of("lighthouse"), InputType.DOCUMENT).getFirst();
        float[] query = model.embed(List.of("lighthouse"), InputType.QUERY).getFirst();

        assertThat(query).containsExactly(document);
        List<RecordedRequest> predicts = fake.predictRequests();
        assertThat(predicts.get(1).json()).isEqualTo(predicts.get(0).json());
    }

    @Test
    void embedsAnImageInTheSameRequestFormat() throws Exception {
        byte[] image = png(7, 5000);

        float[] vector = model.embedImage(new ImageInput(image, "image/png"));

        RecordedRequest request = fake.lastRequest();
        assertThat(request.path()).isEqualTo(fake.predictPath());
        assertThat(request.header("authorization")).contains("Bearer " + fake.lastIssuedToken());
        assertThat(request.json()).isEqualTo(Json.read("{\"instances\":[{\"image\":{\"bytesBase64Encoded\":\""
                + Base64.getEncoder().encodeToString(image) + "\"}}],\"parameters\":{\"dimension\":1408}}"));
        assertSameVector(vector, FakeVertexAi.expectedImageVector(image, DIMENSION));
    }

    @ParameterizedTest
    @ValueSource(strings = {"image/jpeg", "image/gif", "image/bmp", "IMAGE/PNG; charset=binary"})
    void acceptsTheFormatsTheModelReads(String mimeType) throws Exception {
        byte[] image = switch (mimeType.substring(6, 9).toLowerCase()) {
            case "jpe" -> withPrefix(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});
            case "gif" -> withPrefix("GIF89a".getBytes());
            case "bmp" -> withPrefix("BM".getBytes());
            default -> png(3, 100);
        };

        assertSameVector(model.embedImage(new ImageInput(image, mimeType)),
                FakeVertexAi.expectedImageVector(image, DIMENSION));
    }

    private static byte[] withPrefix(byte[] prefix) {
        byte[] bytes = png(11, 300);
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(strings = {"image/webp", "image/tiff", "application/pdf", "image/svg+xml"})
    void refusesOtherImageTypesWithoutSending(String mimeType) {
        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> model.embedImage(new ImageInput(png(1, 100), mimeType)));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("PNG, JPEG, GIF and BMP", mimeType);
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void refusesImagesOverTwentyMegabytesWithoutSending() {
        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> model.embedImage(new ImageInput(png(1, 20_000_001), "image/png")));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("20 MB");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void reusesTheTokenAcrossCallsAndRenewsItBeforeExpiry() throws Exception {
        model.embed(List.of("one"), InputType.DOCUMENT);
        String first = fake.lastIssuedToken();
        model.embed(List.of("two"), InputType.QUERY);
        model.embedImage(new ImageInput(png(2, 64), "image/png"));
        assertThat(fake.tokenRequests()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(56));
        model.embed(List.of("three"), InputType.DOCUMENT);

        assertThat(fake.tokenRequests()).isEqualTo(2);
        assertThat(fake.lastIssuedToken()).isNotEqualTo(first);
        assertThat(fake.lastRequest().header("authorization")).contains("Bearer " + fake.lastIssuedToken());
    }

    @Test
    void aRevokedTokenIsReplacedOnceAndTheRequestRepeated() throws Exception {
        model.embed(List.of("before"), InputType.DOCUMENT);
        String revoked = fake.lastIssuedToken();
        fake.revokeTokens();

        float[] vector = model.embed(List.of("after revocation"), InputType.DOCUMENT).getFirst();

        assertSameVector(vector, FakeVertexAi.expectedTextVector("after revocation", DIMENSION));
        assertThat(fake.tokenRequests()).isEqualTo(2);
        List<RecordedRequest> predicts = fake.predictRequests();
        assertThat(predicts).hasSize(3);
        assertThat(predicts.get(1).header("authorization")).contains("Bearer " + revoked);
        assertThat(predicts.get(2).header("authorization")).contains("Bearer " + fake.lastIssuedToken());
        assertThat(predicts.get(2).json()).isEqualTo(predicts.get(1).json());
        assertThat(waits).isEmpty();
    }

    @Test
    void aSecond401IsNotRetriedAgain() throws Exception {
        model.embed(List.of("warm up"), InputType.DOCUMENT);
        // The predict call is refused, and the new token the endpoint hands out is no good either.
        fake.failNext(FakeVertexAi.googleError(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED"),
                Reply.json(200, Map.of("access_token", "ya29.not-known", "expires_in", 3599, "token_type", "Bearer")));

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> model.embed(List.of("refused"), InputType.DOCUMENT));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).startsWith("Vertex AI refused the request (HTTP 401")
                .contains("invalid authentication credentials").doesNotContain("ya29.not-known");
        assertThat(fake.tokenRequests()).isEqualTo(2);
        assertThat(fake.predictRequests()).hasSize(3);
    }

    @Test
    void resourceExhaustedIsRetriedWithBackoffThenSucceeds() throws Exception {
        model.embed(List.of("warm up"), InputType.DOCUMENT);
        Reply exhausted = FakeVertexAi.googleError(429, "Quota exceeded for "
                + "aiplatform.googleapis.com/online_prediction_requests_per_base_model with base model: "
                + "multimodalembedding. Please submit a quota increase request.", "RESOURCE_EXHAUSTED");
        fake.failNext(exhausted, exhausted);

        float[] vector = model.embed(List.of("busy hour"), InputType.DOCUMENT).getFirst();

        assertSameVector(vector, FakeVertexAi.expectedTextVector("busy hour", DIMENSION));
        assertThat(waits).hasSize(2);
        assertThat(waits).allSatisfy(wait -> assertThat(wait).isPositive());
        assertThat(waits.get(1)).isGreaterThanOrEqualTo(waits.get(0).dividedBy(2));
        assertThat(fake.predictRequests()).hasSize(4);
        assertThat(fake.tokenRequests()).isEqualTo(1);
    }

    @Test
    void quotaExhaustionThatOutlastsTheRetriesIsRetryableLater() throws Exception {
        model.embed(List.of("warm up"), InputType.DOCUMENT);
        Reply exhausted = FakeVertexAi.googleError(429, "Quota exceeded.", "RESOURCE_EXHAUSTED");
        fake.failNext(exhausted, exhausted, exhausted, exhausted);

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> model.embed(List.of("busy hour"), InputType.DOCUMENT));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("Vertex AI", "429", "Quota exceeded.");
    }

    @Test
    void longTextIsEmbeddedInWindowsOfOneRequestEachAndPooled() throws Exception {
        String text = String.join(" ", Collections.nCopies(12,
                "the lighthouse keeper climbed the spiral stairs at dusk"));

        float[] vector = model.embed(List.of(text), InputType.DOCUMENT).getFirst();

        List<RecordedRequest> predicts = fake.predictRequests();
        assertThat(predicts.size()).isGreaterThan(2);
        List<float[]> windows = new ArrayList<>();
        int length = 0;
        for (RecordedRequest request : predicts) {
            JsonNode instances = request.json().get("instances");
            assertThat(instances).hasSize(1);
            String window = instances.get(0).get("text").asText();
            assertThat(window.length()).isLessThan(1024);
            assertThat(text).contains(window);
            length += window.length();
            windows.add(FakeVertexAi.expectedTextVector(window, DIMENSION));
        }
        assertThat(length).as("the windows (sent concurrently, in any order) cover the text").isEqualTo(text.length());
        assertSameVector(vector, pooled(windows));
    }

    @Test
    void neverSendsTextTheApiRefusesForLength() throws Exception {
        // Few tokens, many characters: long runs of spaces and of one symbol.
        String text = "alpha" + " ".repeat(3000) + "beta " + "=".repeat(1500) + " gamma";

        float[] vector = model.embed(List.of(text), InputType.DOCUMENT).getFirst();

        assertThat(vector).hasSize(DIMENSION);
        assertThat(fake.predictRequests()).isNotEmpty().allSatisfy(request -> {
            String sent = request.json().at("/instances/0/text").asText();
            assertThat(sent).isNotBlank();
            assertThat(sent.length()).isLessThan(1024);
        });
    }

    @Test
    void piecesSqueezeWhitespaceAndCutByUtf8Bytes() {
        assertThat(VertexMultimodalEmbeddings.pieces("short text")).containsExactly("short text");
        assertThat(VertexMultimodalEmbeddings.pieces("a" + " ".repeat(2000) + "b")).containsExactly("a b");
        String korean = "가".repeat(700);
        List<String> pieces = VertexMultimodalEmbeddings.pieces(korean);
        assertThat(String.join("", pieces)).isEqualTo(korean);
        assertThat(pieces).allSatisfy(p -> assertThat(p.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(1000));
    }

    @Test
    void theFakeValidatesRequestsAsVertexDoes() throws Exception {
        model.embed(List.of("get a token"), InputType.DOCUMENT);
        String token = fake.lastIssuedToken();
        URI predict = URI.create(fake.baseUrl() + fake.predictPath());

        assertThat(refusal(predict, token, "{\"instances\":[{\"text\":\"x\"}],\"parameters\":{\"dimension\":300}}"))
                .contains("HTTP 400", "Invalid dimension");
        assertThat(refusal(predict, token, "{\"instances\":[{\"text\":\"x\"},{\"text\":\"y\"}]}"))
                .contains("HTTP 400", "1 instance(s) is allowed per prediction");
        assertThat(refusal(predict, token, "{\"instances\":[{\"text\":\"" + "x".repeat(1024) + "\"}]}"))
                .contains("HTTP 400", "Text field must be smaller than 1024 characters");
        assertThat(refusal(predict, token, "{\"instances\":[{\"image\":{\"bytesBase64Encoded\":\"aGVsbG8=\"}}]}"))
                .contains("HTTP 400");
        assertThat(refusal(predict, "ya29.unknown", "{\"instances\":[{\"text\":\"x\"}]}"))
                .contains("HTTP 401", "invalid authentication credentials");
        clock.advance(Duration.ofHours(1));
        assertThat(refusal(predict, token, "{\"instances\":[{\"text\":\"x\"}]}")).contains("HTTP 401");
    }

    private String refusal(URI uri, String token, String body) {
        ApiRequest request = ApiRequest.json("Vertex AI", uri, Map.of("Authorization", "Bearer " + token),
                Json.read(body), "raw", List.of());
        return catchThrowableOfType(EmbeddingException.class, () -> client.post(request)).getMessage();
    }
}
