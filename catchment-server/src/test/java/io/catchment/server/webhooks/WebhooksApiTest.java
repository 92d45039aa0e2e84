package io.catchment.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import io.catchment.server.support.Client;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testing.schema.CarbonSchemas;
import io.catchment.testsupport.DatabaseKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code /add_webhook}, {@code /webhooks} and {@code /delete_webhook/{id}} end to end, on both databases. */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class WebhooksApiTest {
    static final String RECEIVER = "https://93.184.215.14/carbon/webhooks";

    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    TestServer server;
    TestServer.OrgHandle acme;
    Client org;
    Client other;
    /** Every reply but the answers to /add_webhook, none of which may show a signing key. */
    List<Reply> replies = new ArrayList<>();
    List<String> keys = new ArrayList<>();

    @BeforeEach
    void start() {
        // 127.0.0.1 is allowlisted as the compat suite's server allowlists it; localhost is not.
        server = TestServer.start(kind, dir, config -> config.withUrlAllowlist(Set.of("127.0.0.1")));
        acme = server.newOrganization("Acme");
        org = acme.client();
        other = server.newOrganization("Other").client();
    }

    @AfterEach
    void stop() {
        assertThat(replies).as("only /add_webhook shows a signing key")
                .allSatisfy(r -> assertThat(keys).noneMatch(k -> r.text().contains(k)));
        server.close();
    }

    Reply post(Client client, String path, Object body) {
        Reply r = client.post(path, body);
        replies.add(r);
        return r;
    }

    Reply delete(Client client, long id) {
        Reply r = client.delete("/delete_webhook/" + id);
        replies.add(r);
        return r;
    }

    static Map<String, Object> body(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], pairs[i + 1]);
        return m;
    }

    JsonNode added(Client client, Map<String, Object> request) {
        Reply r = client.post("/add_webhook", request);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        CarbonSchemas.assertValidResponse("/add_webhook", "post", 200, r.json());
        keys.add(r.json().get("signing_key").asText());
        return r.json();
    }

    JsonNode added(String url) {
        CarbonSchemas.assertValid("AddWebhookProps", Json.tree(Map.of("url", url)));
        return added(org, body("url", url));
    }

    JsonNode list(Client client, Map<String, Object> request) {
        CarbonSchemas.assertValid("WebhookQueryInput", Json.tree(request));
        Reply r = post(client, "/webhooks", request);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        CarbonSchemas.assertValidResponse("/webhooks", "post", 200, r.json());
        return r.json();
    }

    static List<Long> ids(JsonNode list) {
        List<Long> out = new ArrayList<>();
        list.get("results").forEach(w -> out.add(w.get("id").asLong()));
        return out;
    }

    JsonNode problems(Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        CarbonSchemas.assertValid("HTTPValidationError", r.json());
        return r.json().get("detail");
    }

    @Test
    void addShowsTheKeyOnceListShowsWebhooksWithoutItAndDeleteRemovesThem() {
        JsonNode made = added(RECEIVER);
        assertThat(made.get("signing_key").asText()).matches("[0-9a-f]{32}");
        assertThat(made.get("organization_id").asLong()).isEqualTo(acme.id());
        assertThat(made.get("url").asText()).isEqualTo(RECEIVER);
        assertThat(made.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(made.get("status_reason").isNull()).isTrue();
        assertThat(made.get("event_types").isNull()).as("every event, as Carbon sends").isTrue();
        assertThat(made.get("created_at").asText()).isEqualTo(made.get("updated_at").asText());

        JsonNode listed = list(org, Map.of());
        assertThat(listed.get("count").asLong()).isEqualTo(1);
        JsonNode shown = listed.get("results").get(0);
        CarbonSchemas.assertValid("WebhookNoKey", shown);
        assertThat(shown.has("signing_key")).isFalse();
        ObjectNode expected = made.deepCopy();
        expected.remove("signing_key");
        assertThat(shown).isEqualTo(expected);

        JsonNode second = added(RECEIVER);
        assertThat(second.get("signing_key").asText()).isNotEqualTo(made.get("signing_key").asText());

        Reply deleted = delete(org, made.get("id").asLong());
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        CarbonSchemas.assertValidResponse("/delete_webhook/{webhook_id}", "delete", 200, deleted.json());
        assertThat(deleted.json().get("success").asBoolean()).isTrue();
        assertThat(ids(list(org, Map.of()))).containsExactly(second.get("id").asLong());

        Reply again = delete(org, made.get("id").asLong());
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get("detail").asText()).contains("Webhook " + made.get("id").asLong() + " not found");
    }

    @Test
    void eventTypesAreCatchmentsOptionalExtraField() {
        JsonNode some = added(org, body("url", RECEIVER, "event_types", List.of("FILE_READY", "ADD", "FILE_READY")));
        assertThat(some.get("event_types")).isEqualTo(Json.tree(List.of("ADD", "FILE_READY")));
        JsonNode nulled = added(org, body("url", RECEIVER, "event_types", null));
        assertThat(nulled.get("event_types").isNull()).isTrue();
        assertThat(list(org, Map.of("filters", Map.of("ids", List.of(some.get("id").asLong())))).get("results").get(0)
                .get("event_types")).isEqualTo(Json.tree(List.of("ADD", "FILE_READY")));

        JsonNode bad = problems(post(org, "/add_webhook", body("url", RECEIVER, "event_types", List.of("FILE_READY", "NOPE", 3))));
        assertThat(bad).hasSize(2);
        assertThat(bad.get(0).get("loc")).isEqualTo(Json.tree(List.of("body", "event_types", 1)));
        assertThat(bad.get(0).get("type").asText()).isEqualTo("enum");
        assertThat(bad.get(0).get("msg").asText()).startsWith("Input should be 'ADD', 'ALL_FILES_PROCESSED'")
                .endsWith(" or 'WEBSCRAPE_URLS_READY'");
        assertThat(bad.get(1).get("loc")).isEqualTo(Json.tree(List.of("body", "event_types", 2)));

        JsonNode empty = problems(post(org, "/add_webhook", body("url", RECEIVER, "event_types", List.of())));
        assertThat(empty.get(0).get("type").asText()).isEqualTo("too_short");
        JsonNode notAList = problems(post(org, "/add_webhook", body("url", RECEIVER, "event_types", "ADD")));
        assertThat(notAList.get(0).get("type").asText()).isEqualTo("list_type");
        assertThat(list(org, Map.of()).get("count").asLong()).as("nothing invalid was stored").isEqualTo(2);
    }

    @Test
    void badBodiesAre422AndRefusedUrlsAre400() {
        JsonNode missing = problems(post(org, "/add_webhook", Map.of()));
        assertThat(missing.get(0).get("loc")).isEqualTo(Json.tree(List.of("body", "url")));
        assertThat(missing.get(0).get("type").asText()).isEqualTo("missing");
        assertThat(problems(post(org, "/add_webhook", Map.of("url", 5))).get(0).get("type").asText())
                .isEqualTo("string_type");
        assertThat(problems(post(org, "/add_webhook", Map.of("url", "https://a.example/" + "x".repeat(2048))))
                .get(0).get("type").asText()).isEqualTo("string_too_long");

        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("http://localhost:9/hook", "localhost resolves to");
        refused.put("http://10.0.0.1/hook", "the address 10.0.0.1 is private");
        refused.put("http://169.254.169.254/latest/meta-data/", "link-local");
        refused.put("http://[::1]/hook", "loopback");
        refused.put("http://2130706433/hook", "loopback");
        refused.put("ftp://93.184.215.14/hook", "only absolute http and https");
        refused.put("/relative/hook", "only absolute http and https");
        refused.put("https://user:secret@93.184.215.14/", "credentials");
        refused.put("", "empty");
        refused.forEach((url, why) -> {
            Reply r = post(org, "/add_webhook", Map.of("url", url));
            assertThat(r.status()).as(url + ": " + r).isEqualTo(400);
            assertThat(r.json().get("detail").asText()).as(url).contains(why);
        });
        assertThat(list(org, Map.of()).get("count").asLong()).as("nothing refused was stored").isZero();

        JsonNode local = added("http://127.0.0.1:8099/hook");
        assertThat(local.get("url").asText()).as("an allowlisted host").isEqualTo("http://127.0.0.1:8099/hook");

        JsonNode query = problems(post(org, "/webhooks", Map.of("order_by", "name", "order_dir", "up",
                "filters", Map.of("ids", "1"), "pagination", Map.of("limit", -1))));
        assertThat(query).extracting(p -> p.get("loc").toString()).containsExactlyInAnyOrder(
                "[\"body\",\"pagination\",\"limit\"]", "[\"body\",\"order_by\"]", "[\"body\",\"order_dir\"]",
                "[\"body\",\"filters\",\"ids\"]");

        Reply path = org.delete("/delete_webhook/abc");
        JsonNode pathProblems = problems(path);
        assertThat(pathProblems.get(0).get("loc")).isEqualTo(Json.tree(List.of("path", "webhook_id")));
    }

    @Test
    void listOrdersFiltersAndPagesWithCarbonsDefaults() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(added(RECEIVER + "/" + i).get("id").asLong());
            server.clock().advance(Duration.ofSeconds(10));
        }
        added(other, body("url", RECEIVER));

        JsonNode all = list(org, Map.of());
        assertThat(ids(all)).as("updated_at ascending by default").containsExactlyElementsOf(ids);
        assertThat(all.get("count").asLong()).isEqualTo(4);
        assertThat(ids(list(org, Map.of("order_by", "created_at", "order_dir", "desc"))))
                .containsExactly(ids.get(3), ids.get(2), ids.get(1), ids.get(0));

        JsonNode page = list(org, Map.of("pagination", Map.of("limit", 2, "offset", 1)));
        assertThat(ids(page)).containsExactly(ids.get(1), ids.get(2));
        assertThat(page.get("count").asLong()).as("the total, not the page").isEqualTo(4);
        assertThat(ids(list(org, Map.of("pagination", Map.of("limit", 10, "starting_id", ids.get(1))))))
                .containsExactly(ids.get(2), ids.get(3));

        JsonNode filtered = list(org, Map.of("filters", Map.of("ids", List.of(ids.get(3), ids.get(0)))));
        assertThat(ids(filtered)).containsExactly(ids.get(0), ids.get(3));
        assertThat(filtered.get("count").asLong()).isEqualTo(2);
        Map<String, Object> nullIds = body("filters", body("ids", null));
        assertThat(list(org, nullIds).get("count").asLong()).as("null ids filter nothing").isEqualTo(4);
        assertThat(list(org, Map.of("filters", Map.of("ids", List.of()))).get("count").asLong()).isEqualTo(4);
    }

    @Test
    void anotherOrganizationsWebhooksAreInvisibleAndCustomerTokensAreRefused() {
        long mine = added(RECEIVER).get("id").asLong();

        assertThat(list(other, Map.of()).get("count").asLong()).isZero();
        assertThat(list(other, Map.of("filters", Map.of("ids", List.of(mine)))).get("results")).isEmpty();
        Reply theirs = delete(other, mine);
        assertThat(theirs.status()).isEqualTo(404);
        assertThat(theirs.json().get("detail").isTextual()).isTrue();
        assertThat(ids(list(org, Map.of()))).as("still there").containsExactly(mine);

        String token = acme.asCustomer("alice").get("/auth/v1/access_token").json().get("access_token").asText();
        Client asAlice = server.anonymous().with("authorization", "Token " + token);
        assertThat(post(asAlice, "/webhooks", Map.of()).status()).isEqualTo(403);
        assertThat(post(asAlice, "/add_webhook", Map.of("url", RECEIVER)).status()).isEqualTo(403);
        assertThat(delete(asAlice, mine).status()).isEqualTo(403);
        assertThat(post(server.anonymous(), "/webhooks", Map.of()).status()).isEqualTo(401);
        assertThat(ids(list(org, Map.of()))).containsExactly(mine);
    }
}
