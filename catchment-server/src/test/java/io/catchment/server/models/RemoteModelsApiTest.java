package io.catchment.server.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.embed.EmbeddingGenerator.Provider;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.server.ModelSettings;
import io.catchment.server.support.Client;
import io.catchment.server.support.Files;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testing.models.FakeCohere;
import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.FakeOpenAi;
import io.catchment.testing.models.FakeVertexAi;
import io.catchment.testing.schema.CarbonSchemas;
import io.catchment.testsupport.DatabaseKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Remote embedding models and rerankers through the public API, against fakes of OpenAI and
 * Cohere over real sockets: server-wide and per-organization credentials, the 400 before
 * anything is queued, provider failures on the file, retries on 429, and reranking.
 */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class RemoteModelsApiTest {
    static final String OPENAI_KEY = "sk-server-openai-0123456789";
    static final String COHERE_KEY = "co-org-key-0123456789abcdef";

    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    FakeOpenAi openai;
    FakeCohere cohere;
    TestServer server;
    TestServer.OrgHandle acme;
    Client alice;

    @BeforeEach
    void start() {
        openai = new FakeOpenAi(OPENAI_KEY);
        cohere = new FakeCohere(COHERE_KEY);
        server = startServer(OPENAI_KEY);
        acme = server.newOrganization("Acme");
        alice = acme.asCustomer("alice");
    }

    TestServer startServer(String openAiKey) {
        var credentials = Map.<Provider, ModelCredentials>of(Provider.OPENAI,
                new ModelCredentials.OpenAi(openAiKey, Optional.empty(), openai.apiBaseUrl()));
        return TestServer.start(kind, dir, c -> c.withModels(ModelSettings.localOnly().withCredentials(credentials)
                .withRetry(io.catchment.embed.remote.RetryPolicy.defaults()
                        .withDelays(Duration.ofMillis(50), Duration.ofMillis(200)))));
    }

    @AfterEach
    void stop() {
        server.close();
        openai.close();
        cohere.close();
    }

    static long uploadText(Client client, String text, String model) {
        Reply r = client.post("/upload_text", Map.of("contents", text, "name", "note.txt", "embedding_model", model));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("id").asLong();
    }

    static List<Long> fileIds(Reply r) {
        List<Long> ids = new ArrayList<>();
        r.json().get("documents").forEach(d -> ids.add(d.get("file_id").asLong()));
        return ids;
    }

    @Test
    void aFileEmbeddedWithOpenAiIsFoundWithThatModelOnly() {
        long id = uploadText(alice, "The lighthouse keeper logs every passing ship at dawn.", "OPENAI_ADA_SMALL_512");
        JsonNode file = Files.awaitReady(alice, id);
        assertThat(file.get("embedding_properties").has("OPENAI_ADA_SMALL_512")).as(file.toString()).isTrue();

        JsonNode sent = openai.lastRequest().json();
        assertThat(sent.get("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(sent.get("dimensions").asInt()).isEqualTo(512);
        assertThat(openai.lastRequest().header("authorization")).contains("Bearer " + OPENAI_KEY);

        Reply same = alice.post("/embeddings", Map.of("query", "lighthouse ships", "k", 3,
                "embedding_model", "OPENAI_ADA_SMALL_512", "include_vectors", true));
        assertThat(same.status()).as(same.toString()).isEqualTo(200);
        CarbonSchemas.assertValidResponse("/embeddings", "post", 200, same.json());
        assertThat(fileIds(same)).containsExactly(id);
        assertThat(same.json().get("documents").get(0).get("vector")).hasSize(512);
        assertThat(openai.lastRequest().json().get("input").get(0).asText()).isEqualTo("lighthouse ships");

        Reply other = alice.post("/embeddings", Map.of("query", "lighthouse ships", "k", 3));
        assertThat(other.status()).isEqualTo(200);
        assertThat(fileIds(other)).isEmpty();
        assertThat(other.header("x-catchment-notice")).contains("OPENAI_ADA_SMALL_512");
        Reply large = alice.post("/embeddings", Map.of("query", "lighthouse ships", "k", 3,
                "embedding_model", "OPENAI_ADA_LARGE_1024"));
        assertThat(fileIds(large)).isEmpty();
    }

    @Test
    void aModelWithoutCredentialsIsRefusedBeforeAnythingIsQueued() {
        Reply r = alice.post("/upload_text", Map.of("contents", "hello", "name", "a.txt",
                "embedding_model", "COHERE_MULTILINGUAL_V3"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("detail").asText()).startsWith("Embedding model 'COHERE_MULTILINGUAL_V3' is not configured: "
                + "set COHERE_API_KEY on the server or store the organization's COHERE credentials");
        Reply list = alice.post("/user_files_v2", Map.of("pagination", Map.of("limit", 10), "include_count", true));
        assertThat(list.json().get("count").asInt()).isZero();

        Reply search = alice.post("/embeddings", Map.of("query", "x", "k", 1, "embedding_model", "SOLAR_1_MINI"));
        assertThat(search.status()).isEqualTo(400);
        assertThat(search.json().get("detail").asText()).contains("UPSTAGE_API_KEY");
    }

    @Test
    void anOrganizationsOwnCredentialsAreVerifiedSealedAndOnlyItsOwn() {
        Reply refused = acme.client().post("/organization/model_credentials", Map.of("provider", "COHERE",
                "credentials", Map.of("api_key", "co-wrong-key-000000000", "base_url", cohere.baseUrl().toString())));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().get("detail").asText()).startsWith("The COHERE credentials were refused: Cohere refused "
                + "the request (HTTP 401").doesNotContain("co-wrong-key-000000000");

        Reply stored = acme.client().post("/organization/model_credentials", Map.of("provider", "COHERE",
                "credentials", Map.of("api_key", COHERE_KEY, "base_url", cohere.baseUrl().toString())));
        assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
        assertThat(stored.text()).doesNotContain(COHERE_KEY);
        assertThat(stored.json().get("credentials").get("api_key").asText()).endsWith("cdef");
        String sealed = server.catchment().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT sealed FROM model_credentials WHERE organization_id = :o").bind("o", acme.id())
                .mapTo(String.class).one());
        assertThat(sealed).startsWith("v1.k1.").doesNotContain(COHERE_KEY);

        long id = uploadText(alice, "Los faros guían a los barcos de noche.", "COHERE_MULTILINGUAL_V3");
        Files.awaitReady(alice, id);
        assertThat(cohere.lastRequest().json().get("input_type").asText()).isEqualTo("search_document");
        Reply found = alice.post("/embeddings", Map.of("query", "faros barcos", "k", 2, "embedding_model", "COHERE_MULTILINGUAL_V3"));
        assertThat(fileIds(found)).containsExactly(id);
        assertThat(cohere.lastRequest().json().get("input_type").asText()).isEqualTo("search_query");

        Client strangerAlice = server.newOrganization("Other").asCustomer("alice");
        Reply stranger = strangerAlice.post("/upload_text", Map.of("contents", "x", "name", "b.txt",
                "embedding_model", "COHERE_MULTILINGUAL_V3"));
        assertThat(stranger.status()).isEqualTo(400);

        JsonNode models = acme.client().get("/embedding_models").json();
        JsonNode coh = find(models.get("models"), "COHERE_MULTILINGUAL_V3");
        assertThat(coh.get("available").asBoolean()).isTrue();
        assertThat(coh.get("credentials").asText()).isEqualTo("organization");
        assertThat(find(models.get("models"), "OPENAI").get("credentials").asText()).isEqualTo("server");
        assertThat(find(models.get("models"), "SOLAR_1_MINI").get("available").asBoolean()).isFalse();
        assertThat(models.get("default_model").asText()).isEqualTo("ALL_MINILM_L6_V2");

        JsonNode listed = acme.client().get("/organization/model_credentials").json();
        assertThat(listed.get("credentials")).hasSize(1);
        assertThat(listed.get("server_configured").get(0).asText()).isEqualTo("OPENAI");
        assertThat(acme.client().delete("/organization/model_credentials/COHERE").status()).isEqualTo(200);
        assertThat(acme.client().delete("/organization/model_credentials/COHERE").status()).isEqualTo(404);
        assertThat(alice.post("/upload_text", Map.of("contents", "x", "name", "c.txt",
                "embedding_model", "COHERE_MULTILINGUAL_V3")).status()).isEqualTo(400);
    }

    @Test
    void badCredentialFieldsAreA422NamingTheField() {
        Reply r = acme.client().post("/organization/model_credentials", Map.of("provider", "AZURE_OPENAI",
                "credentials", Map.of("api_key", "k")));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"credentials\",\"endpoint\"]");
        assertThat(alice.post("/organization/model_credentials", Map.of()).status()).isIn(401, 403, 422);
    }

    @Test
    void providerFailuresEndOnTheFileAndRateLimitsAreWaitedOut() {
        openai.failNext(FakeHttpApi.Reply.json(429, Map.of("error", Map.of("message", "Rate limit reached",
                "type", "requests", "code", "rate_limit_exceeded"))).withHeader("Retry-After", "1"));
        long ok = uploadText(alice, "Rate limits are only a pause.", "OPENAI_ADA_SMALL_1536");
        Files.awaitReady(alice, ok);
        assertThat(openai.count(r -> r.path().endsWith("/embeddings"))).isEqualTo(2);

        server.close();
        server = startServer("sk-revoked-key-000000000");
        Client alice2 = server.newOrganization("Acme again").asCustomer("alice");
        long bad = uploadText(alice2, "This will not embed.", "OPENAI");
        JsonNode file = Files.awaitFinal(alice2, bad, Duration.ofSeconds(60));
        assertThat(file.get("sync_status").asText()).isEqualTo("SYNC_ERROR");
        assertThat(file.get("sync_error_message").asText())
                .startsWith("Failed to generate embeddings: OpenAI refused the request (HTTP 401: Incorrect API key provided")
                .doesNotContain("sk-revoked-key-000000000");
    }

    @Test
    void rerankingOrdersCandidatesByTheCrossEncoder() {
        acme.client().post("/organization/model_credentials", Map.of("provider", "COHERE", "verify", false,
                "credentials", Map.of("api_key", COHERE_KEY, "base_url", cohere.baseUrl().toString())));
        List<Long> ids = new ArrayList<>();
        for (String text : List.of("Harbour pilots guide ships past the reef.",
                "The bakery opens at six and sells rye bread.",
                "Ships need pilots in the harbour at night because of the reef and the fog.")) {
            ids.add(uploadText(alice, text, "ALL_MINILM_L6_V2"));
        }
        for (long id : ids) Files.awaitReady(alice, id);

        Reply r = alice.post("/embeddings", Map.of("query", "harbour pilots ships night fog reef", "k", 2,
                "rerank", Map.of("model", "COHERE_RERANK_MULTILINGUAL_V3")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        CarbonSchemas.assertValidResponse("/embeddings", "post", 200, r.json());
        assertThat(fileIds(r)).containsExactly(ids.get(2), ids.get(0));
        JsonNode sent = cohere.lastRequest().json();
        assertThat(cohere.lastRequest().path()).isEqualTo("/v2/rerank");
        assertThat(sent.get("documents")).hasSize(3);
        assertThat(sent.get("top_n").asInt()).isEqualTo(2);
        assertThat(r.json().get("documents").get(0).get("score").asDouble()).isBetween(0.0, 1.0);

        Reply jina = alice.post("/embeddings", Map.of("query", "q", "k", 2, "rerank", Map.of("model", "JINA_RERANKER_MULTILINGUAL_V2")));
        assertThat(jina.status()).isEqualTo(400);
        assertThat(jina.json().get("detail").asText()).contains("JINA_API_KEY");
        Reply pongo = alice.post("/embeddings", Map.of("query", "q", "k", 2, "rerank", Map.of("model", "PONGO_RERANKER")));
        assertThat(pongo.status()).isEqualTo(400);
    }

    @Test
    void customCredentialsEmbedUploadedChunksForThatRequestOnly() {
        long id = uploadText(alice, "placeholder", "ALL_MINILM_L6_V2");
        Files.awaitReady(alice, id);
        Reply r = alice.post("/upload_chunks_and_embeddings", Map.of("embedding_model", "OPENAI_ADA_LARGE_256",
                "chunks_only", true, "overwrite_existing", true,
                "custom_credentials", Map.of("OPENAI", Map.of("api_key", OPENAI_KEY, "base_url", openai.apiBaseUrl().toString())),
                "chunks_and_embeddings", List.of(Map.of("file_id", id, "chunks_and_embeddings",
                        List.of(Map.of("chunk_number", 0, "chunk", "tide tables for the harbour"))))));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(openai.lastRequest().json().get("dimensions").asInt()).isEqualTo(256);

        Reply bad = alice.post("/upload_chunks_and_embeddings", Map.of("embedding_model", "OPENAI",
                "chunks_only", true, "custom_credentials", Map.of("OPENAI", Map.of("key", "x")),
                "chunks_and_embeddings", List.of(Map.of("file_id", id, "chunks_and_embeddings",
                        List.of(Map.of("chunk_number", 0, "chunk", "x"))))));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("detail").get(0).get("loc").toString()).contains("custom_credentials");
    }

    @Test
    void imagesAreEmbeddedByTheMultimodalModelAndFoundByImageSearch() throws Exception {
        try (FakeVertexAi vertex = new FakeVertexAi("acme-project", "europe-west4")) {
            Reply stored = acme.client().post("/organization/model_credentials", Map.of("provider", "VERTEX_AI",
                    "credentials", Map.of("service_account", vertex.serviceAccountJson("acme-project"),
                            "location", "europe-west4", "base_url", vertex.baseUrl().toString())));
            assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
            assertThat(stored.text()).doesNotContain("PRIVATE KEY");

            byte[] png = png();
            Reply up = alice.upload("/uploadfile?media_type=IMAGE", "file", "harbour.png", png);
            assertThat(up.status()).as(up.toString()).isEqualTo(200);
            long id = up.json().get("id").asLong();
            JsonNode file = Files.awaitReady(alice, id);
            assertThat(file.get("embedding_properties").has("VERTEX_MULTIMODAL")).as(file.toString()).isTrue();
            assertThat(vertex.predictRequests().getLast().json().at("/instances/0/image/bytesBase64Encoded").asText())
                    .isEqualTo(java.util.Base64.getEncoder().encodeToString(png));

            Reply found = alice.post("/embeddings", Map.of("query", "a harbour at night", "k", 1, "media_type", "IMAGE",
                    "include_vectors", true));
            assertThat(found.status()).as(found.toString()).isEqualTo(200);
            assertThat(fileIds(found)).containsExactly(id);
            assertThat(found.json().get("documents").get(0).get("vector")).hasSize(1408);
            assertThat(vertex.predictRequests().getLast().json().at("/instances/0/text").asText()).isEqualTo("a harbour at night");
        }
        Reply noVertex = server.newOrganization("No Vertex").asCustomer("bob")
                .upload("/uploadfile?media_type=IMAGE", "file", "x.png", png());
        assertThat(noVertex.status()).isEqualTo(400);
        assertThat(noVertex.json().get("detail").asText()).contains("VERTEX_MULTIMODAL").contains("media_type TEXT and use_ocr=true");
    }

    static byte[] png() throws java.io.IOException {
        var image = new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 32; x++) for (int y = 0; y < 32; y++) image.setRGB(x, y, (x * 8) << 16 | (y * 8) << 8);
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    static JsonNode find(JsonNode models, String name) {
        for (JsonNode m : models) if (m.get("name").asText().equals(name)) return m;
        throw new AssertionError("no model " + name + " in " + models);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
