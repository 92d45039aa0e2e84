package io.catchment.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.server.support.Client;
import io.catchment.server.support.Files;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testing.schema.CarbonSchemas;
import io.catchment.testsupport.DatabaseKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code /embeddings} and the chunk endpoints end to end, on both databases. */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class SearchApiTest {
    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    TestServer server;
    Client alice;
    Client bob;
    Client otherOrgAlice;
    long garden;
    long router;
    long bread;

    static final String GARDEN = "Tomatoes need full sun, deep watering twice a week and a stake to climb. "
            + "Pinch off suckers so the plant puts its energy into fruit.";
    static final String ROUTER = "If the XR-9 router shows error code E-4412, unplug it for thirty seconds, then hold "
            + "the reset button until the light blinks amber.";
    static final String BREAD = "Sourdough bread rises slowly: feed the starter the night before, knead the dough, "
            + "and bake it in a hot covered pot for a crisp crust.";

    @BeforeEach
    void start() {
        server = TestServer.start(kind, dir);
        var org = server.newOrganization("Acme");
        alice = org.asCustomer("alice");
        bob = org.asCustomer("bob");
        otherOrgAlice = server.newOrganization("Other").asCustomer("alice");
        garden = upload(alice, "garden.txt", GARDEN);
        router = upload(alice, "router.txt", ROUTER);
        bread = upload(alice, "bread.txt", BREAD);
        long bobs = upload(bob, "bob-router.txt", ROUTER.replace("XR-9", "XR-9 (Bob's)"));
        long others = upload(otherOrgAlice, "other-router.txt", ROUTER);
        for (long id : List.of(garden, router, bread)) Files.awaitReady(alice, id);
        Files.awaitReady(bob, bobs);
        Files.awaitReady(otherOrgAlice, others);
        alice.post("/create_user_file_tags", Map.of("organization_user_file_id", router, "tags", Map.of("kind", "manual")));
        alice.post("/create_user_file_tags", Map.of("organization_user_file_id", bread, "tags", Map.of("kind", "recipe")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static long upload(Client client, String name, String text) {
        Reply r = client.upload("/uploadfile", "file", name, text.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("id").asLong();
    }

    Reply search(Client client, Map<String, Object> body) {
        Reply r = client.post("/embeddings", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        CarbonSchemas.assertValidResponse("/embeddings", "post", 200, r.json());
        return r;
    }

    static List<Long> fileIds(Reply r) {
        List<Long> ids = new ArrayList<>();
        r.json().get("documents").forEach(d -> ids.add(d.get("file_id").asLong()));
        return ids;
    }

    @Test
    void semanticSearchFindsTheMeaningAndShowsCarbonsFields() {
        Reply r = search(alice, Map.of("query", "how do I grow vegetables in my garden?", "k", 3));
        assertThat(fileIds(r).getFirst()).isEqualTo(garden);
        JsonNode top = r.json().get("documents").get(0);
        assertThat(top.get("content").asText()).startsWith("Tomatoes need full sun");
        assertThat(top.get("vector").isNull()).isTrue();
        assertThat(top.get("tags").isNull()).isTrue();
        assertThat(top.get("rank").asInt()).isEqualTo(1);
        assertThat(top.get("chunk_index").asInt()).isZero();
        assertThat(top.get("source_type").asText()).isEqualTo("TEXT");
        assertThat(top.get("score").asDouble()).isBetween(0.2, 1.0);

        Reply withExtras = search(alice, Map.of("query", "bread baking", "k", 1, "include_vectors", true,
                "include_tags", true, "include_raw_file", true));
        JsonNode doc = withExtras.json().get("documents").get(0);
        assertThat(doc.get("file_id").asLong()).isEqualTo(bread);
        assertThat(doc.get("vector")).hasSize(384);
        assertThat(doc.get("tags").get("kind").asText()).isEqualTo("recipe");
        assertThat(doc.get("presigned_url").asText()).contains("/files/" + bread + "/raw?expires=");
    }

    @Test
    void hybridSearchFindsExactIdentifiersWithoutExtraSwitches() {
        Reply hybrid = search(alice, Map.of("query", "E-4412", "k", 3, "hybrid_search", true));
        assertThat(fileIds(hybrid).getFirst()).isEqualTo(router);
        Reply keywordOnly = search(alice, Map.of("query", "sourdough starter", "k", 3, "hybrid_search", true,
                "hybrid_search_tuning_parameters", Map.of("weight_a", 0.0, "weight_b", 1.0)));
        assertThat(fileIds(keywordOnly)).containsExactly(bread);

        Reply badWeights = alice.post("/embeddings", Map.of("query", "x", "k", 1, "hybrid_search", true,
                "hybrid_search_tuning_parameters", Map.of("weight_a", 0.7, "weight_b", 0.5)));
        assertThat(badWeights.status()).isEqualTo(422);
        assertThat(badWeights.json().get("detail").get(0).get("msg").asText()).contains("sum to 1");
    }

    @Test
    void eachCustomerSeesOnlyTheirOwnChunks() {
        for (String query : List.of("router error code E-4412", "reset the XR-9 router")) {
            for (Map<String, Object> mode : List.of(Map.<String, Object>of(), Map.<String, Object>of("hybrid_search", true),
                    Map.<String, Object>of("high_accuracy", true))) {
                Map<String, Object> body = new HashMap<>(mode);
                body.put("query", query);
                body.put("k", 10);
                assertThat(fileIds(search(alice, body))).as("alice " + body).isSubsetOf(garden, router, bread);
                assertThat(fileIds(search(bob, body))).as("bob " + body).hasSize(1).doesNotContain(garden, router, bread);
                assertThat(fileIds(search(otherOrgAlice, body))).as("other org " + body).hasSize(1)
                        .doesNotContain(garden, router, bread);
            }
        }
        Reply askingForOthers = search(bob, Map.of("query", "router", "k", 5, "file_ids", List.of(router, garden)));
        assertThat(fileIds(askingForOthers)).as("another customer's file ids select nothing").isEmpty();
    }

    @Test
    void deletingAUserPurgesTheirChunks() {
        long chunksBefore = server.catchment().chunkIndex().countForFile(router);
        assertThat(chunksBefore).isPositive();
        var orgClient = alice.without("customer-id");
        assertThat(orgClient.post("/delete_users", Map.of("customer_ids", List.of("alice"))).status()).isEqualTo(200);
        assertThat(server.catchment().chunkIndex().countForFile(router)).isZero();
        assertThat(fileIds(search(alice, Map.of("query", "router error code E-4412", "k", 10))))
                .as("the same customer id starts afresh").isEmpty();
        assertThat(fileIds(search(bob, Map.of("query", "router error code E-4412", "k", 10)))).hasSize(1);
    }

    @Test
    void filtersRestrictAndDeletionIsImmediate() {
        assertThat(fileIds(search(alice, Map.of("query", "anything about cooking or routers", "k", 10,
                "tags_v2", Map.of("AND", List.of(Map.of("key", "kind", "value", "recipe"))))))).containsExactly(bread);
        assertThat(fileIds(search(alice, Map.of("query", "cooking", "k", 10,
                "tags_v2", Map.of("OR", List.of(Map.of("key", "kind", "value", List.of("recipe", "manual"))))))))
                .containsExactlyInAnyOrder(bread, router);
        assertThat(fileIds(search(alice, Map.of("query", "cooking", "k", 10, "file_ids", List.of(garden)))))
                .containsExactly(garden);
        Reply badFilter = alice.post("/embeddings", Map.of("query", "x", "k", 1, "tags_v2", Map.of("NOT", List.of())));
        assertThat(badFilter.status()).isEqualTo(422);
        assertThat(badFilter.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"tags_v2\"]");

        alice.post("/delete_files_v2", Map.of("filters", Map.of("ids", List.of(garden))));
        assertThat(fileIds(search(alice, Map.of("query", "grow tomatoes in the garden", "k", 10)))).doesNotContain(garden);
    }

    @Test
    void modelsThatCannotServeAreExplained() {
        Reply remote = alice.post("/embeddings", Map.of("query", "x", "k", 1, "embedding_model", "OPENAI"));
        assertThat(remote.status()).isEqualTo(400);
        assertThat(remote.json().get("detail").asText()).contains("OPENAI").contains("query_vector");

        List<Double> vector = new ArrayList<>(Collections.nCopies(1536, 0.0));
        vector.set(0, 1.0);
        Reply noFiles = search(alice, Map.of("query", "x", "k", 3, "embedding_model", "OPENAI", "query_vector", vector));
        assertThat(noFiles.json().get("documents")).isEmpty();
        assertThat(noFiles.header(SearchApi.NOTICE_HEADER)).contains("OPENAI").contains("ALL_MINILM_L6_V2");
        assertThat(noFiles.json().get("notice").asText()).contains("ALL_MINILM_L6_V2");

        Reply wrongDims = alice.post("/embeddings", Map.of("query", "x", "k", 1, "query_vector", List.of(1.0, 0.0)));
        assertThat(wrongDims.status()).isEqualTo(400);
        assertThat(wrongDims.json().get("detail").asText()).contains("384");
        Reply rerank = alice.post("/embeddings", Map.of("query", "x", "k", 1, "rerank", Map.of("model", "PONGO_RERANKER")));
        assertThat(rerank.status()).isEqualTo(400);
        assertThat(rerank.json().get("detail").asText()).contains("no longer exists");
        Reply cohere = alice.post("/embeddings", Map.of("query", "x", "k", 1, "rerank", Map.of("model", "COHERE_RERANK_MULTILINGUAL_V3")));
        assertThat(cohere.status()).isEqualTo(400);
        assertThat(cohere.json().get("detail").asText()).contains("COHERE_API_KEY");
        assertThat(alice.post("/embeddings", Map.of("query", "x", "k", 1, "rerank", Map.of("model", "MAGIC"))).status())
                .isEqualTo(422);
        assertThat(alice.post("/embeddings", Map.of("query", "x")).status()).isEqualTo(422);
    }

    @Test
    void chunksCanBeListedAndBroughtByTheCaller() {
        Reply chunks = alice.post("/text_chunks", Map.of("filters", Map.of("user_file_id", router), "include_vectors", true));
        assertThat(chunks.status()).as(chunks.toString()).isEqualTo(200);
        CarbonSchemas.assertValidResponse("/text_chunks", "post", 200, chunks.json());
        assertThat(chunks.json().get("count").asInt()).isEqualTo(1);
        assertThat(chunks.json().get("results").get(0).get("source_content").asText()).contains("E-4412");
        assertThat(chunks.json().get("results").get(0).get("embedding")).hasSize(384);
        assertThat(bob.post("/text_chunks", Map.of("filters", Map.of("user_file_id", router))).status()).isEqualTo(404);

        Reply all = alice.post("/list_chunks_and_embeddings", Map.of("filters", Map.of(), "order_by", "id"));
        CarbonSchemas.assertValidResponse("/list_chunks_and_embeddings", "post", 200, all.json());
        assertThat(all.json().get("count").asInt()).isEqualTo(3);
        assertThat(all.json().get("results").get(0).get("embedding").isNull()).isTrue();

        long own = upload(alice, "own.txt", "placeholder");
        Files.awaitReady(alice, own);
        List<Double> v = new ArrayList<>(Collections.nCopies(384, 0.0));
        v.set(7, 1.0);
        Reply uploaded = alice.post("/upload_chunks_and_embeddings", Map.of("embedding_model", "ALL_MINILM_L6_V2",
                "overwrite_existing", true, "chunks_and_embeddings", List.of(Map.of("file_id", own,
                        "chunks_and_embeddings", List.of(Map.of("chunk_number", 0, "chunk", "hand made chunk", "embedding", v))))));
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(200);
        Reply found = search(alice, Map.of("query", "ignored", "k", 1, "query_vector", v));
        assertThat(fileIds(found)).containsExactly(own);
        assertThat(found.json().get("documents").get(0).get("content").asText()).isEqualTo("hand made chunk");

        Reply byServer = alice.post("/upload_chunks_and_embeddings", Map.of("embedding_model", "ALL_MINILM_L6_V2",
                "chunks_only", true, "chunks_and_embeddings", List.of(Map.of("file_id", own,
                        "chunks_and_embeddings", List.of(Map.of("chunk_number", 1, "chunk", "volcanoes erupt lava"))))));
        assertThat(byServer.status()).isEqualTo(200);
        assertThat(fileIds(search(alice, Map.of("query", "lava from a volcano", "k", 1)))).containsExactly(own);
        assertThat(alice.post("/text_chunks", Map.of("filters", Map.of("user_file_id", own))).json().get("count").asInt())
                .as("appended to the chunk made by hand").isEqualTo(2);

        Reply wrongDims = alice.post("/upload_chunks_and_embeddings", Map.of("embedding_model", "ALL_MINILM_L6_V2",
                "chunks_and_embeddings", List.of(Map.of("file_id", own, "chunks_and_embeddings",
                        List.of(Map.of("chunk", "x", "embedding", List.of(1.0, 2.0)))))));
        assertThat(wrongDims.status()).isEqualTo(422);
        assertThat(wrongDims.json().get("detail").get(0).get("loc").toString())
                .isEqualTo("[\"body\",\"chunks_and_embeddings\",0,\"chunks_and_embeddings\",0,\"embedding\"]");
    }
}
