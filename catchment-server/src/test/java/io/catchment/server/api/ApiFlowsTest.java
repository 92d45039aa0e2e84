package io.catchment.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.server.support.Client;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testing.schema.CarbonSchemas;
import io.catchment.testsupport.DatabaseKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The endpoints of the foundation, end to end over HTTP, responses checked against Carbon's schemas. */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class ApiFlowsTest {
    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    TestServer server;
    TestServer.OrgHandle org;

    @BeforeEach
    void start() {
        server = TestServer.start(kind, dir);
        org = server.newOrganization("Acme");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void accessTokenActsAsItsCustomerWithAnySchemeCase() {
        Reply minted = org.asCustomer("alice@example.com").get("/auth/v1/access_token");
        assertThat(minted.status()).isEqualTo(200);
        CarbonSchemas.assertValidResponse("/auth/v1/access_token", "get", 200, minted.json());
        String token = minted.json().get("access_token").asText();

        for (String scheme : List.of("Token", "token", "TOKEN")) {
            Reply me = server.anonymous().with("authorization", scheme + " " + token).get("/whoami");
            assertThat(me.status()).as(scheme).isEqualTo(200);
            CarbonSchemas.assertValidResponse("/whoami", "get", 200, me.json());
            assertThat(me.json().get("organization_supplied_user_id").asText()).isEqualTo("alice@example.com");
            assertThat(me.json().get("organization_id").asLong()).isEqualTo(org.id());
        }
        Reply viaKey = org.asCustomer("alice@example.com").get("/whoami");
        assertThat(viaKey.json().get("id")).isEqualTo(
                server.anonymous().with("authorization", "Token " + token).get("/whoami").json().get("id"));
        Reply lowerBearer = server.anonymous().with("authorization", "bearer " + org.apiKey()).get("/organization");
        assertThat(lowerBearer.status()).isEqualTo(200);
    }

    @Test
    void tokensExpireAfterTenHoursAndRefreshTokensRenewThem() {
        JsonNode pair = org.asCustomer("bob").get("/auth/v1/access_token").json();
        Client asBob = server.anonymous().with("authorization", "Token " + pair.get("access_token").asText());
        server.clock().advance(Duration.ofHours(10).plusSeconds(1));
        assertThat(asBob.get("/whoami").status()).isEqualTo(401);

        Reply refreshed = server.anonymous().post("/auth/v1/refresh_access_token",
                Map.of("refresh_token", pair.get("refresh_token").asText()));
        assertThat(refreshed.status()).isEqualTo(200);
        CarbonSchemas.assertValid("TokenResponse", refreshed.json());
        Client renewed = server.anonymous().with("authorization", "Token " + refreshed.json().get("access_token").asText());
        assertThat(renewed.get("/whoami").json().get("organization_supplied_user_id").asText()).isEqualTo("bob");
    }

    @Test
    void looksUpListsOrdersAndPagesCustomers() {
        List<Long> ids = new ArrayList<>();
        for (String c : List.of("c1", "c2", "c3", "c4")) {
            ids.add(org.asCustomer(c).get("/whoami").json().get("id").asLong());
            server.clock().advance(Duration.ofSeconds(1));
        }
        Reply one = org.client().post("/user", Map.of("customer_id", "c2"));
        CarbonSchemas.assertValidResponse("/user", "post", 200, one.json());
        assertThat(one.json().get("id").asLong()).isEqualTo(ids.get(1));

        Reply newest = org.client().post("/list_users", Map.of("pagination", Map.of("limit", 2), "include_count", true));
        CarbonSchemas.assertValidResponse("/list_users", "post", 200, newest.json());
        assertThat(suppliedIds(newest)).containsExactly("c4", "c3");
        assertThat(newest.json().get("count").asInt()).isEqualTo(4);

        Reply oldestPage2 = org.client().post("/list_users", Map.of("order_dir", "asc",
                "pagination", Map.of("limit", 2, "offset", 2)));
        assertThat(suppliedIds(oldestPage2)).containsExactly("c3", "c4");
        assertThat(oldestPage2.json().get("count").isNull()).isTrue();

        Reply filtered = org.client().post("/list_users", Map.of("filters",
                Map.of("customer_ids", List.of("c1", "c9"), "carbon_user_ids", List.of(ids.get(0), ids.get(3)))));
        assertThat(suppliedIds(filtered)).containsExactly("c1");

        server.newOrganization("Other").asCustomer("c1").get("/whoami");
        assertThat(suppliedIds(org.client().post("/list_users", Map.of("pagination", Map.of("limit", 100)))))
                .as("another organization's customers stay out").hasSize(4);
    }

    @Test
    void userConfigurationLayersOverOrganizationDefaults() {
        org.asCustomer("a").get("/whoami");
        org.asCustomer("b").get("/whoami");
        Reply updated = org.client().post("/update_users", Map.of("customer_ids", List.of("a"), "max_files", 10,
                "max_characters_per_file", -1, "auto_sync_enabled_sources", List.of("GOOGLE_DRIVE", "NOTION"),
                "auto_sync_interval", 6));
        assertThat(updated.json()).isEqualTo(io.catchment.json.Json.read("{\"success\":true}"));
        CarbonSchemas.assertValidResponse("/update_users", "post", 200, updated.json());

        Reply orgUpdate = org.client().post("/organization/update", Map.of(
                "global_user_config", Map.of("max_files", 500, "auto_sync_enabled_sources", "ALL"),
                "data_source_configs", Map.of("GOOGLE_DRIVE", Map.of("allowed_file_formats", List.of("PDF", "DOCX"),
                        "google_workspace_docs_save_as", "PDF"))));
        assertThat(orgUpdate.status()).isEqualTo(200);

        JsonNode a = org.asCustomer("a").get("/whoami").json();
        assertThat(a.get("custom_limits").get("max_files").asInt()).isEqualTo(10);
        assertThat(a.get("custom_limits").get("max_characters_per_file").asInt()).isEqualTo(-1);
        assertThat(a.get("auto_sync_enabled_sources").toString()).isEqualTo("[\"GOOGLE_DRIVE\",\"NOTION\"]");
        assertThat(a.get("connector_settings").get("auto_sync_interval").asInt()).isEqualTo(6);

        JsonNode b = org.client().post("/user", Map.of("customer_id", "b")).json();
        assertThat(b.get("custom_limits").get("max_files").asInt()).as("organization default").isEqualTo(500);
        assertThat(b.get("auto_sync_enabled_sources").toString()).isEqualTo("[\"ALL\"]");

        Reply organization = org.client().get("/organization");
        CarbonSchemas.assertValidResponse("/organization", "get", 200, organization.json());
        assertThat(organization.json().get("name").asText()).isEqualTo("Acme");
        assertThat(organization.json().at("/global_user_config/max_files").asInt()).isEqualTo(500);
        assertThat(organization.json().at("/connector_settings/GOOGLE_DRIVE/allowed_file_formats").toString())
                .isEqualTo("[\"PDF\",\"DOCX\"]");
    }

    @Test
    void deletingCustomersIsAllOrNothingAndEndsTheirTokens() {
        String token = org.asCustomer("gone").get("/auth/v1/access_token").json().get("access_token").asText();
        org.asCustomer("stays").get("/whoami");

        Reply partial = org.client().post("/delete_users", Map.of("customer_ids", List.of("gone", "never-existed")));
        assertThat(partial.status()).isEqualTo(404);
        assertThat(partial.json().get("detail").asText()).contains("never-existed");
        assertThat(org.client().post("/user", Map.of("customer_id", "gone")).status()).isEqualTo(200);

        Reply deleted = org.client().post("/delete_users", Map.of("customer_ids", List.of("gone")));
        CarbonSchemas.assertValidResponse("/delete_users", "post", 200, deleted.json());
        assertThat(org.client().post("/user", Map.of("customer_id", "gone")).status()).isEqualTo(404);
        assertThat(server.anonymous().with("authorization", "Token " + token).get("/whoami").status()).isEqualTo(401);
        assertThat(org.client().post("/user", Map.of("customer_id", "stays")).status()).isEqualTo(200);
    }

    @Test
    void modifyUserConfigurationSetsAnEnabledFeature() {
        String token = org.asCustomer("f").get("/auth/v1/access_token").json().get("access_token").asText();
        Client asF = server.anonymous().with("authorization", "Token " + token);
        Reply r = asF.post("/modify_user_configuration", Map.of("configuration_key_name", "sparse_vectors",
                "value", Map.of("enabled", true)));
        CarbonSchemas.assertValidResponse("/modify_user_configuration", "post", 200, r.json());
        assertThat(asF.get("/whoami").json().at("/enabled_features/sparse_vectors/enabled").asBoolean()).isTrue();
    }

    private static List<String> suppliedIds(Reply reply) {
        List<String> out = new ArrayList<>();
        reply.json().get("users").forEach(u -> out.add(u.get("organization_supplied_user_id").asText()));
        return out;
    }
}
