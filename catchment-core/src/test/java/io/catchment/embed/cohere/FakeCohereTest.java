package io.catchment.embed.cohere;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catchment.testing.models.FakeCohere;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake refuses what Cohere refuses, in Cohere's words and shape, so adapter tests mean something. */
class FakeCohereTest {
    private static final String KEY = "co-fake-check-5566778899";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeCohere cohere = new FakeCohere(KEY);
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        cohere.close();
        http.close();
    }

    record Answer(int status, JsonNode body) {
        String message() {
            return body.path("message").asText();
        }
    }

    @Test
    void refusesAMissingOrWrongKeyAsCohereDoes() throws Exception {
        Answer noKey = post("/v2/embed", null, embedBody("search_document"));
        Answer wrongKey = post("/v2/embed", "Bearer co-other", embedBody("search_document"));

        assertThat(noKey.status()).isEqualTo(401);
        assertThat(noKey.message()).isEqualTo("invalid api token");
        assertThat(wrongKey.status()).isEqualTo(401);
    }

    @Test
    void v3ModelsNeedAnInputType() throws Exception {
        Answer missing = post("/v2/embed", """
                {"model":"embed-multilingual-v3.0","texts":["a"],"embedding_types":["float"]}""");
        Answer unknown = post("/v2/embed", embedBody("search_everything"));
        Answer olderModel = post("/v2/embed", """
                {"model":"embed-multilingual-v2.0","texts":["a"],"embedding_types":["float"]}""");

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.message()).contains("valid input_type must be provided");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(olderModel.status()).isEqualTo(200);
        assertThat(olderModel.body().at("/embeddings/float/0")).hasSize(768);
    }

    @Test
    void refusesUnknownModelsTextCountsAndEmbeddingTypes() throws Exception {
        Answer model = post("/v2/embed", """
                {"model":"embed-klingon-v3.0","texts":["a"],"input_type":"search_query",
                 "embedding_types":["float"]}""");
        String ninetySeven = IntStream.range(0, 97).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(","));
        Answer tooMany = post("/v2/embed", """
                {"model":"embed-multilingual-v3.0","texts":[%s],"input_type":"search_query",
                 "embedding_types":["float"]}""".formatted(ninetySeven));
        Answer none = post("/v2/embed", """
                {"model":"embed-multilingual-v3.0","texts":[],"input_type":"search_query",
                 "embedding_types":["float"]}""");
        Answer badType = post("/v2/embed", """
                {"model":"embed-multilingual-v3.0","texts":["a"],"input_type":"search_query",
                 "embedding_types":["float32"]}""");
        Answer noTypes = post("/v2/embed", """
                {"model":"embed-multilingual-v3.0","texts":["a"],"input_type":"search_query"}""");
        Answer badTruncate = post("/v2/embed", """
                {"model":"embed-multilingual-v3.0","texts":["a"],"input_type":"search_query",
                 "embedding_types":["float"],"truncate":"MIDDLE"}""");

        assertThat(model.status()).isEqualTo(404);
        assertThat(model.message()).contains("embed-klingon-v3.0").contains("not found");
        assertThat(List.of(tooMany, none, badType, noTypes, badTruncate)).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.message()).startsWith("invalid request");
        });
    }

    @Test
    void answersInCohereShapeWithVectorsSaltedByInputType() throws Exception {
        Answer answer = post("/v2/embed", """
                {"model":"embed-multilingual-v3.0","texts":["tidal flats"],"input_type":"search_query",
                 "embedding_types":["float","int8"],"truncate":"END"}""");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = answer.body();
        assertThat(body.path("id").isTextual()).isTrue();
        assertThat(body.path("response_type").asText()).isEqualTo("embeddings_by_type");
        assertThat(body.at("/texts/0").asText()).isEqualTo("tidal flats");
        assertThat(body.at("/meta/billed_units/input_tokens").asInt()).isEqualTo(2);
        JsonNode vector = body.at("/embeddings/float/0");
        float[] expected = FakeCohere.expectedVector("tidal flats", "search_query");
        assertThat(vector).hasSize(1024);
        for (int i = 0; i < expected.length; i++) assertThat((float) vector.get(i).asDouble()).isEqualTo(expected[i]);
        assertThat(body.at("/embeddings/int8/0")).hasSize(1024).allSatisfy(x -> assertThat(x.isInt()).isTrue());
    }

    @Test
    void overlongTextIsCutOrRefusedAsTruncateSays() throws Exception {
        String words = IntStream.range(0, 600).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
        String firstPart = IntStream.range(0, 512).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));

        Answer refused = post("/v2/embed", """
                {"model":"embed-multilingual-v3.0","texts":["%s"],"input_type":"search_document",
                 "embedding_types":["float"],"truncate":"NONE"}""".formatted(words));
        Answer cut = post("/v2/embed", """
                {"model":"embed-multilingual-v3.0","texts":["%s"],"input_type":"search_document",
                 "embedding_types":["float"],"truncate":"END"}""".formatted(words));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(cut.status()).isEqualTo(200);
        assertThat((float) cut.body().at("/embeddings/float/0/0").asDouble())
                .isEqualTo(FakeCohere.expectedVector(firstPart, "search_document")[0]);
    }

    @Test
    void rerankValidatesAndRanksByQueryWords() throws Exception {
        Answer unknown = post("/v2/rerank", """
                {"model":"rerank-klingon-v3.0","query":"q","documents":["a"]}""");
        Answer zeroTop = post("/v2/rerank", """
                {"model":"rerank-multilingual-v3.0","query":"q","documents":["a"],"top_n":0}""");
        Answer objects = post("/v2/rerank", """
                {"model":"rerank-multilingual-v3.0","query":"q","documents":[{"text":"a"}]}""");
        Answer emptyQuery = post("/v2/rerank", """
                {"model":"rerank-multilingual-v3.0","query":"","documents":["a"]}""");
        Answer ranked = post("/v2/rerank", """
                {"model":"rerank-multilingual-v3.0","query":"blue whale song",
                 "documents":["grey seal","blue whale","whale song of the blue whale","song thrush"],"top_n":3}""");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(List.of(zeroTop, objects, emptyQuery)).allSatisfy(a -> assertThat(a.status()).isEqualTo(400));
        assertThat(ranked.status()).isEqualTo(200);
        JsonNode results = ranked.body().path("results");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).path("index").asInt()).isEqualTo(2);
        assertThat(results.get(0).path("relevance_score").asDouble()).isEqualTo(1.0);
        assertThat(results.get(1).path("index").asInt()).isEqualTo(1);
        assertThat(results.get(2).path("index").asInt()).isEqualTo(3);
        assertThat(ranked.body().at("/meta/billed_units/search_units").asInt()).isEqualTo(1);
    }

    private Answer post(String path, String json) throws Exception {
        return post(path, "Bearer " + KEY, json);
    }

    private Answer post(String path, String authorization, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cohere.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) request.header("Authorization", authorization);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private static String embedBody(String inputType) {
        return """
                {"model":"embed-multilingual-v3.0","texts":["a"],"input_type":"%s","embedding_types":["float"]}"""
                .formatted(inputType);
    }
}
