package io.catchment.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.ingest.chunk.ChunkingOptions;
import io.catchment.ingest.chunk.TokenChunker;
import io.catchment.ingest.parse.DocumentBody;
import io.catchment.ingest.parse.ParsedDocument;
import io.catchment.server.support.Client;
import io.catchment.server.support.Files;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testing.schema.CarbonSchemas;
import io.catchment.testsupport.DatabaseKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The Files API end to end: upload to READY, links, listing, tags, resync, deletion, limits. */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class FilesApiTest {
    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    TestServer server;
    TestServer.OrgHandle org;
    Client alice;

    @BeforeEach
    void start() {
        server = TestServer.start(kind, dir, c -> c.withMaxUploadBytes(200_000));
        org = server.newOrganization("Acme");
        alice = org.asCustomer("alice");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String words(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append("word").append(i % 97).append(i % 13 == 12 ? ".\n" : " ");
        return sb.toString();
    }

    long upload(String name, String text, String query) {
        Reply r = alice.upload("/uploadfile" + query, "file", name, text.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        CarbonSchemas.assertValid("UserFile", r.json());
        return r.json().get("id").asLong();
    }

    long chunksInDatabase(long fileId) {
        return server.catchment().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM file_chunks WHERE file_id = :id").bind("id", fileId).mapTo(Long.class).one());
    }

    @Test
    void anUploadIsQueuedThenReadyWithStatisticsChunksAndIndex() {
        String text = words(3000);
        Reply r = alice.upload("/uploadfile?chunk_size=300&chunk_overlap=30", "file", "notes.txt",
                text.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("sync_status").asText()).isIn("QUEUED_FOR_SYNC", "SYNCING");
        assertThat(r.json().get("source").asText()).isEqualTo("TEXT");
        assertThat(r.json().get("chunk_size").asInt()).isEqualTo(300);
        long id = r.json().get("id").asLong();

        JsonNode ready = Files.awaitReady(alice, id);
        CarbonSchemas.assertValid("UserFile", ready);
        JsonNode stats = ready.get("file_statistics");
        assertThat(stats.get("file_format").asText()).isEqualTo("TXT");
        assertThat(stats.get("file_size").asLong()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        assertThat(stats.get("num_characters").asLong()).isEqualTo(text.strip().length());

        var expected = new TokenChunker().chunk(new ParsedDocument(new DocumentBody.Plain(text.strip()), "text/plain", Map.of()),
                new ChunkingOptions(300, 30, false, Optional.empty(), OptionalInt.empty(), false));
        assertThat(chunksInDatabase(id)).isEqualTo(expected.size()).isGreaterThan(10);
        assertThat(stats.get("num_embeddings").asLong()).isEqualTo(expected.size());
        assertThat(stats.get("num_tokens").asLong()).isEqualTo(expected.stream().mapToLong(c -> c.tokens()).sum());
        assertThat(server.catchment().chunkIndex().countForFile(id)).isEqualTo(expected.size());
        assertThat(ready.get("embedding_properties").has("ALL_MINILM_L6_V2")).isTrue();

        JsonNode me = alice.get("/whoami").json();
        assertThat(me.get("num_files_synced").asLong()).isEqualTo(1);
        assertThat(me.get("num_characters_synced").asLong()).isEqualTo(text.strip().length());
        assertThat(me.get("num_tokens_synced").asLong()).isEqualTo(stats.get("num_tokens").asLong());
        assertThat(me.at("/aggregate_num_files_by_source/TEXT").asLong()).isEqualTo(1);
        assertThat(me.at("/aggregate_num_files_by_file_format/TXT").asLong()).isEqualTo(1);
        assertThat(me.at("/aggregate_num_embeddings/TEXT").asLong()).isEqualTo(expected.size());
        JsonNode organization = org.client().get("/organization").json();
        assertThat(organization.at("/aggregate_file_size/TEXT").asLong()).isEqualTo(stats.get("file_size").asLong());
    }

    @Test
    void signedLinksServeRawAndParsedContentUntilTheyExpire() throws Exception {
        long id = upload("page.md", "# Title\n\nSome *markdown* body.", "");
        Files.awaitReady(alice, id);
        JsonNode listed = alice.post("/user_files_v2", Map.of("filters", Map.of("ids", List.of(id)),
                "include_raw_file", true, "include_parsed_text_file", true)).json().get("results").get(0);
        String raw = listed.get("presigned_url").asText();
        String parsed = listed.get("parsed_text_url").asText();
        assertThat(fetch(raw)).isEqualTo("# Title\n\nSome *markdown* body.");
        assertThat(fetch(parsed)).contains("Title").contains("markdown");
        assertThat(status(raw.replaceAll("signature=[0-9a-f]{4}", "signature=0000"))).isEqualTo(403);
        assertThat(status(raw.replace("/files/" + id + "/raw", "/files/" + (id + 1) + "/raw"))).isEqualTo(403);

        Reply rawFile = alice.get("/raw_file/" + id);
        CarbonSchemas.assertValidResponse("/raw_file/{file_id}", "get", 200, rawFile.json());
        assertThat(fetch(rawFile.json().get("presigned_url").asText())).startsWith("# Title");

        server.clock().advance(Duration.ofHours(2));
        assertThat(status(raw)).as("expired").isEqualTo(403);
        Reply elsewhere = server.newOrganization("Other").asCustomer("alice").get("/raw_file/" + id);
        assertThat(elsewhere.status()).as("another organization's customer").isEqualTo(404);
    }

    @Test
    void uploadTextCreatesAndOverwrites() {
        Reply created = alice.post("/upload_text", Map.of("contents", "first version of the text", "name", "memo"));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        CarbonSchemas.assertValidResponse("/upload_text", "post", 200, created.json());
        assertThat(created.json().get("source").asText()).isEqualTo("RAW_TEXT");
        long id = created.json().get("id").asLong();
        Files.awaitReady(alice, id);

        Reply overwritten = alice.post("/upload_text", Map.of("contents", words(900), "overwrite_file_id", id,
                "chunk_size", 200, "chunk_overlap", 0));
        assertThat(overwritten.json().get("id").asLong()).isEqualTo(id);
        JsonNode ready = Files.awaitReady(alice, id);
        assertThat(ready.get("file_statistics").get("num_characters").asLong()).isGreaterThan(1000);
        assertThat(chunksInDatabase(id)).isGreaterThan(3);
        assertThat(server.catchment().chunkIndex().countForFile(id)).isEqualTo((int) chunksInDatabase(id));
        assertThat(alice.post("/upload_text", Map.of("contents", "x", "overwrite_file_id", 999_999)).status()).isEqualTo(404);
    }

    @Test
    void listsWithFiltersOrderingPagingAndTags() {
        long a = upload("alpha.txt", "alpha text", "");
        long b = upload("beta.txt", "beta text", "");
        long c = upload("gamma.txt", "gamma text", "");
        for (long id : List.of(a, b, c)) Files.awaitReady(alice, id);
        Reply tagged = alice.post("/create_user_file_tags", Map.of("organization_user_file_id", b,
                "tags", Map.of("team", "red", "topics", List.of("x", "y"), "year", 2024)));
        CarbonSchemas.assertValidResponse("/create_user_file_tags", "post", 200, tagged.json());
        assertThat(tagged.json().get("tags").get("team").asText()).isEqualTo("red");
        assertThat(tagged.json().get("tags").get("topics").toString()).isEqualTo("[\"x\",\"y\"]");
        assertThat(tagged.json().get("tags").get("year").asText()).isEqualTo("2024");
        alice.post("/create_user_file_tags", Map.of("organization_user_file_id", c, "tags", Map.of("team", "blue")));
        alice.post("/create_user_file_tags", Map.of("organization_user_file_id", b, "tags", Map.of("team", "green")));

        assertThat(names(Map.of("order_by", "name", "order_dir", "desc"))).containsExactly("gamma.txt", "beta.txt", "alpha.txt");
        Reply page = alice.post("/user_files_v2", Map.of("order_by", "name", "pagination", Map.of("limit", 1, "offset", 1)));
        CarbonSchemas.assertValidResponse("/user_files_v2", "post", 200, page.json());
        assertThat(page.json().get("count").asInt()).isEqualTo(3);
        assertThat(page.json().get("results").get(0).get("name").asText()).isEqualTo("beta.txt");
        assertThat(names(Map.of("filters", Map.of("name", "AMM")))).containsExactly("gamma.txt");
        assertThat(names(Map.of("filters", Map.of("tags_v2", Map.of("OR", List.of(
                Map.of("key", "team", "value", "green"), Map.of("key", "team", "value", "blue")))), "order_by", "name")))
                .containsExactly("beta.txt", "gamma.txt");
        assertThat(names(Map.of("filters", Map.of("tags_v2", Map.of("AND", List.of(
                Map.of("key", "topics", "value", List.of("y", "z")), Map.of("key", "team", "value", "blue", "negate", true)))))))
                .containsExactly("beta.txt");
        assertThat(names(Map.of("filters", Map.of("tags", Map.of("team", "blue"))))).containsExactly("gamma.txt");

        Reply removed = alice.post("/delete_user_file_tags", Map.of("organization_user_file_id", b, "tags", List.of("team")));
        assertThat(removed.json().get("tags").has("team")).isFalse();
        assertThat(removed.json().get("tags").has("topics")).isTrue();
        Reply reserved = alice.post("/create_user_file_tags", Map.of("organization_user_file_id", b,
                "tags", Map.of("organization_id", "x")));
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(reserved.json().get("detail").asText()).contains("organization_id");

        Reply bad = alice.post("/user_files_v2", Map.of("filters", Map.of("tags_v2", Map.of("AND", List.of(
                Map.of("OR", List.of(Map.of("key", "team"))))))));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("detail").get(0).get("loc").toString())
                .isEqualTo("[\"body\",\"filters\",\"tags_v2\",\"AND\",0,\"OR\",0,\"value\"]");

        Reply v1 = alice.post("/user_files", Map.of("order_by", "id"));
        assertThat(v1.json().isArray()).isTrue();
        assertThat(v1.json()).hasSize(3);
        assertThat(server.newOrganization("O").asCustomer("alice").post("/user_files_v2", Map.of()).json().get("count").asInt())
                .as("the same customer id elsewhere sees nothing").isZero();
    }

    @Test
    void resyncRechunksAndDeletionRemovesEverything() {
        long id = upload("long.txt", words(2000), "?chunk_size=400&chunk_overlap=0");
        Files.awaitReady(alice, id);
        long before = chunksInDatabase(id);
        Reply resync = alice.post("/resync_file", Map.of("file_id", id, "chunk_size", 100, "chunk_overlap", 10));
        assertThat(resync.status()).as(resync.toString()).isEqualTo(200);
        CarbonSchemas.assertValidResponse("/resync_file", "post", 200, resync.json());
        Files.awaitReady(alice, id);
        long after = chunksInDatabase(id);
        assertThat(after).isGreaterThan(before * 3);
        assertThat(server.catchment().chunkIndex().countForFile(id)).isEqualTo((int) after);

        long keep = upload("keep.txt", "keep me", "");
        Files.awaitReady(alice, keep);
        Reply deleted = alice.post("/delete_files_v2", Map.of("filters", Map.of("ids", List.of(id))));
        CarbonSchemas.assertValidResponse("/delete_files_v2", "post", 200, deleted.json());
        assertThat(chunksInDatabase(id)).isZero();
        assertThat(server.catchment().chunkIndex().countForFile(id)).isZero();
        assertThat(names(Map.of())).containsExactly("keep.txt");

        alice.post("/delete_files_v2", Map.of("filters", Map.of("ids", List.of(keep)), "preserve_file_record", true));
        JsonNode preserved = alice.post("/user_files_v2", Map.of()).json().get("results").get(0);
        assertThat(preserved.get("sync_status").asText()).isEqualTo("READY_TO_SYNC");
        assertThat(preserved.get("file_contents_deleted").asBoolean()).isTrue();
        assertThat(chunksInDatabase(keep)).isZero();
        assertThat(alice.post("/resync_file", Map.of("file_id", keep)).status()).isEqualTo(400);
    }

    @Test
    void optionsThatSkipWorkBehaveAsCarbonDocuments() {
        long skipEmbed = upload("a.txt", words(50), "?skip_embedding_generation=true");
        JsonNode a = Files.awaitReady(alice, skipEmbed);
        assertThat(a.get("file_statistics").get("num_embeddings").asLong()).isZero();
        assertThat(chunksInDatabase(skipEmbed)).isPositive();
        assertThat(a.get("skip_embedding_generation").asBoolean()).isTrue();

        long chunksOnly = upload("b.txt", words(50), "?generate_chunks_only=true");
        JsonNode b = Files.awaitReady(alice, chunksOnly);
        assertThat(b.get("file_statistics").get("num_embeddings").asLong()).isZero();
        assertThat(chunksInDatabase(chunksOnly)).isPositive();

        long storeOnly = upload("c.txt", words(50), "?store_file_only=true");
        Files.awaitReady(alice, storeOnly);
        assertThat(chunksInDatabase(storeOnly)).isZero();

        Reply ssrf = alice.post("/upload_file_from_url", Map.of("url", "http://169.254.169.254/latest/meta-data/"));
        assertThat(ssrf.status()).as("SSRF to the metadata address").isEqualTo(400);
        assertThat(ssrf.json().get("detail").asText()).contains("169.254.169.254");
    }

    @Test
    void badUploadsAreRefusedClearly() {
        Reply unsupported = alice.upload("/uploadfile", "file", "tool.exe", new byte[] {1, 2, 3});
        assertThat(unsupported.status()).isEqualTo(400);
        assertThat(unsupported.json().get("detail").asText()).contains("Unsupported file type").contains(".pdf");

        Reply noFile = alice.upload("/uploadfile", "document", "a.txt", new byte[] {65});
        assertThat(noFile.status()).isEqualTo(422);
        assertThat(noFile.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"file\"]");

        Reply badQuery = alice.upload("/uploadfile?chunk_size=abc&use_ocr=maybe", "file", "a.txt", new byte[] {65});
        assertThat(badQuery.status()).isEqualTo(422);
        assertThat(badQuery.json().get("detail")).hasSize(2);
        assertThat(badQuery.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"query\",\"chunk_size\"]");

        Reply remote = alice.upload("/uploadfile?embedding_model=OPENAI", "file", "a.txt", new byte[] {65});
        assertThat(remote.status()).isEqualTo(400);
        assertThat(remote.json().get("detail").asText()).contains("OPENAI").contains("not configured");

        Reply unknownModel = alice.upload("/uploadfile?embedding_model=GPT9", "file", "a.txt", new byte[] {65});
        assertThat(unknownModel.status()).isEqualTo(422);

        Reply tooBig = alice.upload("/uploadfile", "file", "big.txt", new byte[300_000]);
        assertThat(tooBig.status()).isEqualTo(413);

        long image = upload("scan.png", "not really a png", "");
        JsonNode failed = Files.awaitFinal(alice, image, Duration.ofSeconds(60));
        assertThat(failed.get("sync_status").asText()).isEqualTo("SYNC_ERROR");
        assertThat(failed.get("sync_error_message").asText()).containsIgnoringCase("ocr");
        assertThat(names(Map.of())).as("nothing else was created").containsExactly("scan.png");
    }

    @Test
    void userLimitsAreEnforced() {
        var org = server.newOrganization("Limited");
        Client bob = org.asCustomer("bob");
        bob.get("/whoami");
        org.client().post("/update_users", Map.of("customer_ids", List.of("bob"), "max_files", 1,
                "max_characters_per_file", 20));
        Reply first = bob.upload("/uploadfile", "file", "short.txt", "twelve chars".getBytes(StandardCharsets.UTF_8));
        Files.awaitReady(bob, first.json().get("id").asLong());
        Reply second = bob.upload("/uploadfile", "file", "more.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(second.status()).isEqualTo(400);
        assertThat(second.json().get("detail").asText()).contains("max_files");

        org.client().post("/update_users", Map.of("customer_ids", List.of("bob"), "max_files", -1));
        Reply long1 = bob.upload("/uploadfile", "file", "long.txt", words(30).getBytes(StandardCharsets.UTF_8));
        JsonNode failed = Files.awaitFinal(bob, long1.json().get("id").asLong(), Duration.ofSeconds(60));
        assertThat(failed.get("sync_status").asText()).isEqualTo("SYNC_ERROR");
        assertThat(failed.get("sync_error_message").asText()).contains("max_characters_per_file");
    }

    private List<String> names(Map<String, Object> body) {
        List<String> out = new ArrayList<>();
        alice.post("/user_files_v2", body).json().get("results").forEach(f -> out.add(f.get("name").asText()));
        return out;
    }

    private static String fetch(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + " → " + r.body()).isEqualTo(200);
        return r.body();
    }

    private static int status(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
