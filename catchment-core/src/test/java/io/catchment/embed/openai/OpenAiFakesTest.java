package io.catchment.embed.openai;

import static io.catchment.embed.openai.ProviderTestSupport.post;
import static io.catchment.embed.openai.ProviderTestSupport.words;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.json.Json;
import io.catchment.testing.models.FakeAzureOpenAi;
import io.catchment.testing.models.FakeOpenAi;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fakes refuse what the real APIs refuse, in their error shapes, and answer in their format. */
class OpenAiFakesTest {
    private static final String KEY = "sk-fake-1234567890";
    private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + KEY,
            "Content-Type", "application/json");

    private static HttpResponse<String> openAi(FakeOpenAi fake, String body) {
        return post(URI.create(fake.apiBaseUrl() + "/embeddings"), AUTH, body);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "{\"model\":\"text-embedding-ada-002\",\"input\":[\"a\"],\"dimensions\":1536}|400|This model does not support specifying dimensions.",
        "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\"],\"dimensions\":3072}|400|Must be between 1 and 1536",
        "{\"model\":\"text-embedding-3-large\",\"input\":[\"a\"],\"dimensions\":0}|400|Must be between 1 and 3072",
        "{\"model\":\"text-embedding-4\",\"input\":[\"a\"]}|404|The model `text-embedding-4` does not exist",
        "{\"input\":[\"a\"]}|400|you must provide a model parameter",
        "{\"model\":\"text-embedding-3-small\"}|400|'input' is a required property",
        "{\"model\":\"text-embedding-3-small\",\"input\":[]}|400|'$.input' is invalid",
        "{\"model\":\"text-embedding-3-small\",\"input\":\"\"}|400|'$.input' is invalid",
        "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"\"]}|400|'$.input' is invalid",
        "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",7]}|400|'$.input' is invalid",
        "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\"],\"encoding_format\":\"int8\"}|400|is not one of ['float', 'base64']",
        "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\"],\"truncate\":true}|400|Unrecognized request argument supplied: truncate",
        "not json|400|We could not parse the JSON body of your request"
    })
    void refusesInvalidRequestsAsOpenAiDoes(String body, int status, String message) {
        try (FakeOpenAi fake = new FakeOpenAi(KEY)) {
            HttpResponse<String> response = openAi(fake, body);

            assertThat(response.statusCode()).isEqualTo(status);
            JsonNode error = Json.read(response.body()).get("error");
            assertThat(error.get("message").asText()).contains(message);
            assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.has("param")).isTrue();
            assertThat(error.has("code")).isTrue();
        }
    }

    @Test
    void refusesABadKeyWithOpenAisBody() {
        try (FakeOpenAi fake = new FakeOpenAi(KEY)) {
            HttpResponse<String> response = post(URI.create(fake.apiBaseUrl() + "/embeddings"),
                    Map.of("Authorization", "Bearer sk-other"), "{\"model\":\"text-embedding-3-small\",\"input\":\"a\"}");

            assertThat(response.statusCode()).isEqualTo(401);
            JsonNode error = Json.read(response.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("invalid_api_key");
            assertThat(error.get("message").asText()).startsWith("Incorrect API key provided");
        }
    }

    @Test
    void refusesMoreThan2048InputsAndInputsOverTheContextLength() {
        try (FakeOpenAi fake = new FakeOpenAi(KEY)) {
            String many = IntStream.range(0, 2049).mapToObj(i -> "\"t\"").collect(Collectors.joining(","));
            assertThat(openAi(fake, "{\"model\":\"text-embedding-3-small\",\"input\":[" + many + "]}").statusCode())
                    .isEqualTo(400);

            HttpResponse<String> tooLong = openAi(fake, "{\"model\":\"text-embedding-3-small\",\"input\":[\""
                    + words(8_200, 1) + "\"]}");
            assertThat(tooLong.statusCode()).isEqualTo(400);
            assertThat(Json.read(tooLong.body()).at("/error/message").asText())
                    .startsWith("This model's maximum context length is 8192 tokens");
        }
    }

    @Test
    void answersInOpenAisFormatWithDataInReverseIndexOrder() {
        try (FakeOpenAi fake = new FakeOpenAi(KEY)) {
            HttpResponse<String> response = openAi(fake,
                    "{\"model\":\"text-embedding-3-large\",\"input\":[\"red fox\",\"blue whale\"],\"dimensions\":64}");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode answer = Json.read(response.body());
            assertThat(answer.get("object").asText()).isEqualTo("list");
            assertThat(answer.get("model").asText()).isEqualTo("text-embedding-3-large");
            assertThat(answer.at("/usage/prompt_tokens").asInt()).isEqualTo(4);
            assertThat(answer.at("/usage/total_tokens").asInt()).isEqualTo(4);
            assertThat(answer.at("/data/0/object").asText()).isEqualTo("embedding");
            assertThat(answer.at("/data/0/index").asInt()).isEqualTo(1);
            assertThat(answer.at("/data/1/index").asInt()).isEqualTo(0);
            assertThat(answer.at("/data/1/embedding").size()).isEqualTo(64);
            float[] red = FakeOpenAi.expectedVector("red fox", "text-embedding-3-large", 64);
            assertThat((float) answer.at("/data/1/embedding/0").asDouble()).isEqualTo(red[0]);
        }
    }

    @Test
    void takesAStringInputAndAnswersInBase64WhenAsked() {
        try (FakeOpenAi fake = new FakeOpenAi(KEY)) {
            HttpResponse<String> response = openAi(fake,
                    "{\"model\":\"text-embedding-ada-002\",\"input\":\"red fox\",\"encoding_format\":\"base64\"}");

            assertThat(response.statusCode()).isEqualTo(200);
            byte[] bytes = Base64.getDecoder().decode(Json.read(response.body()).at("/data/0/embedding").asText());
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            float[] vector = new float[bytes.length / 4];
            for (int i = 0; i < vector.length; i++) vector[i] = buffer.getFloat();
            assertThat(vector).containsExactly(FakeOpenAi.expectedVector("red fox", "text-embedding-ada-002", 1536));
        }
    }

    @Test
    void shortenedVectorsAreTheNativeOnesCutAndRenormalised() {
        float[] full = FakeOpenAi.expectedVector("red fox jumps", "text-embedding-3-small", 1536);
        float[] cut = FakeOpenAi.expectedVector("red fox jumps", "text-embedding-3-small", 512);

        double norm = 0;
        for (int i = 0; i < 512; i++) norm += (double) full[i] * full[i];
        for (int i = 0; i < 512; i++) assertThat((double) cut[i]).isCloseTo(full[i] / Math.sqrt(norm), within(1e-6));
    }

    private static HttpResponse<String> azure(FakeAzureOpenAi fake, String pathAndQuery, String key, String body) {
        return post(URI.create(fake.endpoint() + pathAndQuery), Map.of("api-key", key,
                "Content-Type", "application/json"), body);
    }

    @Test
    void azureChecksTheKeyApiVersionAndDeploymentInItsOwnErrorShape() {
        try (FakeAzureOpenAi fake = new FakeAzureOpenAi(KEY, Map.of("emb", "text-embedding-3-small"))) {
            String body = "{\"input\":[\"a\"]}";

            HttpResponse<String> badKey = azure(fake, "/openai/deployments/emb/embeddings?api-version=2024-10-21",
                    "nope", body);
            assertThat(badKey.statusCode()).isEqualTo(401);
            assertThat(Json.read(badKey.body()).at("/error/code").asText()).isEqualTo("401");
            assertThat(Json.read(badKey.body()).at("/error/message").asText()).startsWith("Access denied");

            HttpResponse<String> noVersion = azure(fake, "/openai/deployments/emb/embeddings", KEY, body);
            assertThat(noVersion.statusCode()).isEqualTo(404);
            assertThat(Json.read(noVersion.body()).at("/error/message").asText()).isEqualTo("Resource not found");

            HttpResponse<String> badVersion = azure(fake, "/openai/deployments/emb/embeddings?api-version=latest",
                    KEY, body);
            assertThat(badVersion.statusCode()).isEqualTo(400);

            HttpResponse<String> missing = azure(fake,
                    "/openai/deployments/text-embedding-3-large/embeddings?api-version=2024-10-21", KEY, body);
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(Json.read(missing.body()).at("/error/code").asText()).isEqualTo("DeploymentNotFound");

            HttpResponse<String> ok = azure(fake, "/openai/deployments/emb/embeddings?api-version=2024-10-21", KEY,
                    "{\"input\":[\"a\"],\"dimensions\":100}");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(Json.read(ok.body()).at("/data/0/embedding").size()).isEqualTo(100);
        }
    }

    @Test
    void azureRefusesDimensionsForAdaAndTooManyInputsForOldApiVersions() {
        try (FakeAzureOpenAi fake = new FakeAzureOpenAi(KEY, Map.of("ada", "text-embedding-ada-002"))) {
            HttpResponse<String> dimensions = azure(fake, "/openai/deployments/ada/embeddings?api-version=2024-10-21",
                    KEY, "{\"input\":[\"a\"],\"dimensions\":1536}");
            assertThat(dimensions.statusCode()).isEqualTo(400);
            assertThat(Json.read(dimensions.body()).at("/error/message").asText())
                    .isEqualTo("This model does not support specifying dimensions.");

            String seventeen = IntStream.range(0, 17).mapToObj(i -> "\"t\"").collect(Collectors.joining(","));
            HttpResponse<String> old = azure(fake, "/openai/deployments/ada/embeddings?api-version=2023-05-15", KEY,
                    "{\"input\":[" + seventeen + "]}");
            assertThat(old.statusCode()).isEqualTo(400);
            assertThat(Json.read(old.body()).at("/error/message").asText()).startsWith("Too many inputs");
            assertThat(azure(fake, "/openai/deployments/ada/embeddings?api-version=2024-02-01", KEY,
                    "{\"input\":[" + seventeen + "]}").statusCode()).isEqualTo(200);
        }
    }
}
