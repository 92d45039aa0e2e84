package io.catchment.server.whitelabel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.json.Json;
import io.catchment.server.support.Client;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testing.schema.CarbonSchemas;
import io.catchment.testsupport.DatabaseKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code /white_label/*} and {@code /auth/v1/white_labeling} end to end, on both databases. */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class WhiteLabelApiTest {
    static final String SLACK_SECRET = "slack-secret-0123456789abcd";
    static final String DRIVE_SECRET = "GOCSPX-drive-secret-9876";
    static final String PICKER_KEY = "AIzaSyPickerKey-1234wxyz";
    static final List<String> SECRETS = List.of(SLACK_SECRET, DRIVE_SECRET, PICKER_KEY);

    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    TestServer server;
    TestServer.OrgHandle acme;
    Client org;
    Client other;
    List<Reply> replies = new ArrayList<>();

    @BeforeEach
    void start() {
        server = TestServer.start(kind, dir);
        acme = server.newOrganization("Acme");
        org = acme.client();
        other = server.newOrganization("Other").client();
    }

    @AfterEach
    void stop() {
        assertThat(replies).as("no reply may show a stored or sent secret")
                .allSatisfy(r -> assertThat(SECRETS).noneMatch(s -> r.text().contains(s)));
        server.close();
    }

    Reply post(Client client, String path, Object body) {
        Reply r = client.post(path, body);
        replies.add(r);
        return r;
    }

    static Map<String, Object> input(String type, Map<String, Object> credentials) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data_source_type", type);
        m.put("credentials", credentials);
        return m;
    }

    static Map<String, Object> creds(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], pairs[i + 1]);
        return m;
    }

    static Map<String, Object> slack(String clientId, Object secret) {
        return input("SLACK", creds("client_id", clientId, "redirect_uri", "https://acme.example/integrations/slack",
                "client_secret", secret));
    }

    static Map<String, Object> drive() {
        return input("GOOGLE_DRIVE", creds("client_id", "drive.apps.example", "redirect_uri",
                "https://acme.example/integrations/google", "client_secret", DRIVE_SECRET, "api_key", PICKER_KEY));
    }

    static Map<String, Object> onedrive() {
        return input("ONEDRIVE", creds("client_id", "onedrive-app", "redirect_uri", "https://acme.example/integrations/onedrive",
                "file_picker_client_id", "spa-app", "file_picker_redirect_uri", "https://acme.example/picker"));
    }

    JsonNode created(Client client, List<Map<String, Object>> inputs) {
        Reply r = post(client, "/white_label/create", inputs);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    JsonNode list(Client client, Map<String, Object> request) {
        CarbonSchemas.assertValid("ListWhiteLabelRequest", Json.tree(request));
        Reply r = post(client, "/white_label/list", request);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    static List<String> types(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.get("results").forEach(w -> out.add(w.get("data_source_type").asText()));
        return out;
    }

    @Test
    void createListUpdateAndDeleteShowSecretsOnlyMasked() {
        var inputs = List.of(drive(), slack("slack-app", SLACK_SECRET), onedrive());
        CarbonSchemas.assertValid("GoogleDriveWhiteLabelInput", Json.tree(inputs.get(0)));
        CarbonSchemas.assertValid("WhiteLabelInput", Json.tree(inputs.get(1)));
        CarbonSchemas.assertValid("OneDriveSharepointWhiteLabelInput", Json.tree(inputs.get(2)));

        JsonNode made = created(org, inputs);
        assertThat(made).hasSize(3);
        JsonNode driveApp = made.get(0);
        assertThat(driveApp.get("organization_id").asLong()).isEqualTo(acme.id());
        assertThat(driveApp.get("data_source_type").asText()).isEqualTo("GOOGLE_DRIVE");
        assertThat(driveApp.get("created_at").asText()).isNotBlank();
        assertThat(driveApp.get("credentials")).isEqualTo(Json.tree(creds("client_id", "drive.apps.example",
                "redirect_uri", "https://acme.example/integrations/google", "client_secret", "••••9876", "api_key", "••••wxyz")));
        assertThat(made.get(1).get("credentials")).isEqualTo(Json.tree(creds("client_id", "slack-app",
                "redirect_uri", "https://acme.example/integrations/slack", "client_secret", "••••abcd")));
        assertThat(made.get(2).get("credentials")).isEqualTo(Json.tree(creds("client_id", "onedrive-app",
                "redirect_uri", "https://acme.example/integrations/onedrive", "client_secret", null,
                "file_picker_client_id", "spa-app", "file_picker_redirect_uri", "https://acme.example/picker")));

        JsonNode listed = list(org, Map.of());
        assertThat(listed.get("count").asLong()).isEqualTo(3);
        assertThat(listed.get("results")).isEqualTo(made);

        // The SDK README's update: only client_id and redirect_uri; the stored secret and key stay.
        Map<String, Object> update = input("GOOGLE_DRIVE", creds("client_id", "client_id_example",
                "redirect_uri", "https://acme.example/v2/integrations/google"));
        CarbonSchemas.assertValid("GoogleDriveWhiteLabelInput", Json.tree(update));
        Reply updated = post(org, "/white_label/update", update);
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().get("id")).isEqualTo(driveApp.get("id"));
        assertThat(updated.json().get("credentials")).isEqualTo(Json.tree(creds("client_id", "client_id_example",
                "redirect_uri", "https://acme.example/v2/integrations/google", "client_secret", "••••9876", "api_key", "••••wxyz")));

        Reply deleted = post(org, "/white_label/delete", Map.of("ids", List.of(driveApp.get("id").asLong(),
                made.get(1).get("id").asLong())));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.json().get("success").asBoolean()).isTrue();
        assertThat(types(list(org, Map.of()))).containsExactly("ONEDRIVE");
    }

    @Test
    void aSecondAppForATypeIsA400NamingItAndNothingIsCreated() {
        created(org, List.of(slack("slack-app", SLACK_SECRET)));

        Reply again = post(org, "/white_label/create", List.of(onedrive(), slack("another", "other-secret-123456")));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("detail").asText()).contains("already has a white label for SLACK")
                .contains("/white_label/update");

        Reply twice = post(org, "/white_label/create", List.of(drive(), drive()));
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.json().get("detail").asText()).contains("GOOGLE_DRIVE appears more than once");

        assertThat(types(list(org, Map.of()))).containsExactly("SLACK");
        assertThat(created(other, List.of(slack("their-app", SLACK_SECRET)))).as("another organization's own").hasSize(1);
        assertThat(created(org, List.of())).as("an empty list creates nothing").isEmpty();
    }

    @Test
    void updateKeepsOmittedOrMaskedSecretsAndClearsOnEmpty() {
        created(org, List.of(slack("slack-app", SLACK_SECRET)));

        Reply masked = post(org, "/white_label/update", slack("slack-app-2", "••••abcd"));
        assertThat(masked.json().get("credentials").get("client_secret").asText()).isEqualTo("••••abcd");
        assertThat(masked.json().get("credentials").get("client_id").asText()).isEqualTo("slack-app-2");

        Reply nulled = post(org, "/white_label/update", slack("slack-app-2", null));
        assertThat(nulled.json().get("credentials").get("client_secret").asText()).isEqualTo("••••abcd");

        Reply rotated = post(org, "/white_label/update", slack("slack-app-2", "rotated-secret-00001111"));
        assertThat(rotated.json().get("credentials").get("client_secret").asText()).isEqualTo("••••1111");

        Reply cleared = post(org, "/white_label/update", slack("slack-app-2", ""));
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().get("credentials").get("client_secret").isNull()).isTrue();

        Reply missing = post(org, "/white_label/update", drive());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("detail").asText()).contains("no white label for GOOGLE_DRIVE");
        assertThat(post(other, "/white_label/update", slack("x", null)).status()).as("acme's app").isEqualTo(404);
    }

    @Test
    void deleteIsAllOrNothingWithinTheOrganization() {
        long mine = created(org, List.of(slack("slack-app", null))).get(0).get("id").asLong();
        long theirs = created(other, List.of(slack("their-app", null))).get(0).get("id").asLong();

        Reply r = post(org, "/white_label/delete", Map.of("ids", List.of(mine, theirs)));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("detail").asText())
                .isEqualTo("White labels not found in this organization: " + theirs + ". Nothing was deleted.");
        assertThat(types(list(org, Map.of()))).containsExactly("SLACK");
        assertThat(types(list(other, Map.of()))).containsExactly("SLACK");

        assertThat(post(org, "/white_label/delete", Map.of("ids", List.of())).status()).isEqualTo(200);
        assertThat(post(org, "/white_label/delete", Map.of("ids", List.of(mine))).status()).isEqualTo(200);
        assertThat(list(org, Map.of()).get("count").asLong()).isZero();
    }

    @Test
    void listFiltersOrdersAndPages() {
        List<String> order = List.of("ZENDESK", "BOX", "NOTION", "GMAIL", "GONG");
        List<Long> ids = new ArrayList<>();
        for (String type : order) {
            ids.add(created(org, List.of(input(type, creds("client_id", type.toLowerCase(), "redirect_uri",
                    "https://acme.example/integrations/" + type.toLowerCase())))).get(0).get("id").asLong());
            server.clock().advance(java.time.Duration.ofSeconds(1));
        }
        created(other, List.of(slack("theirs", null)));

        assertThat(types(list(org, Map.of()))).containsExactlyElementsOf(order);
        JsonNode desc = list(org, Map.of("order_by", "created_at", "order_dir", "desc"));
        assertThat(types(desc)).containsExactlyElementsOf(order.reversed());

        JsonNode byType = list(org, Map.of("order_by", "data_source_type", "order_dir", "asc",
                "pagination", Map.of("limit", 2, "offset", 1)));
        assertThat(types(byType)).containsExactly("GMAIL", "GONG");
        assertThat(byType.get("count").asLong()).as("every match, ignoring paging").isEqualTo(5);

        JsonNode filtered = list(org, Map.of("filters", Map.of("ids", ids.subList(0, 3),
                "data_source_type", List.of("BOX", "ZENDESK", "SLACK", "GONG"))));
        assertThat(types(filtered)).containsExactly("ZENDESK", "BOX");
        assertThat(filtered.get("count").asLong()).isEqualTo(2);

        JsonNode afterCursor = list(org, Map.of("pagination", Map.of("starting_id", ids.get(2))));
        assertThat(types(afterCursor)).containsExactly("GMAIL", "GONG");

        Map<String, Object> nullFilters = new LinkedHashMap<>();
        nullFilters.put("ids", null);
        nullFilters.put("data_source_type", null);
        assertThat(list(org, Map.of("filters", nullFilters)).get("count").asLong()).isEqualTo(5);
    }

    @Test
    void invalidRequestsGetPydanticShaped422sThatNeverEchoASecret() {
        assertProblem(post(org, "/white_label/create", Map.of("data_source_type", "SLACK")),
                List.of("body"), "list_type");
        assertProblem(post(org, "/white_label/create", List.of("SLACK")), List.of("body", 0), "model_attributes_type");
        assertProblem(post(org, "/white_label/create", List.of(input("GITHUB", creds("client_id", "c",
                "redirect_uri", "https://a.example/cb")))), List.of("body", 0, "data_source_type"), "enum");
        assertProblem(post(org, "/white_label/create", List.of(Map.of("data_source_type", "SLACK"))),
                List.of("body", 0, "credentials"), "missing");
        assertProblem(post(org, "/white_label/update", input("SLACK", null)), List.of("body", "credentials"),
                "model_attributes_type");

        Reply noClientId = post(org, "/white_label/create", List.of(slack("x", SLACK_SECRET),
                input("NOTION", creds("redirect_uri", "https://a.example/cb", "client_secret", SLACK_SECRET))));
        JsonNode problem = assertProblem(noClientId, List.of("body", 1, "credentials", "client_id"), "missing");
        assertThat(problem.get("input").get("client_secret").asText()).isEqualTo("••••abcd");

        Reply noType = post(org, "/white_label/create", List.of(Map.of("credentials",
                creds("client_id", "c", "redirect_uri", "https://a.example/cb", "client_secret", SLACK_SECRET))));
        assertThat(assertProblem(noType, List.of("body", 0, "data_source_type"), "missing").get("input")
                .get("credentials").get("client_secret").asText()).isEqualTo("••••abcd");

        assertProblem(post(org, "/white_label/create", List.of(input("BOX", creds("client_id", "c",
                "redirect_uri", "/integrations/box")))), List.of("body", 0, "credentials", "redirect_uri"), "value_error");
        assertProblem(post(org, "/white_label/create", List.of(input("BOX", creds("client_id", " ",
                "redirect_uri", "https://a.example/cb")))), List.of("body", 0, "credentials", "client_id"), "string_too_short");
        assertProblem(post(org, "/white_label/create", List.of(slack("c", "••••abcd"))),
                List.of("body", 0, "credentials", "client_secret"), "value_error");
        assertProblem(post(org, "/white_label/create", List.of(slack("c", 42))),
                List.of("body", 0, "credentials", "client_secret"), "string_type");
        assertProblem(post(org, "/white_label/update", onedriveWithPicker("ftp://a.example/picker")),
                List.of("body", "credentials", "file_picker_redirect_uri"), "value_error");

        assertProblem(post(org, "/white_label/list", Map.of("filters", Map.of("data_source_type", List.of("BOX", "S3")))),
                List.of("body", "filters", "data_source_type", 1), "enum");
        assertProblem(post(org, "/white_label/list", Map.of("order_by", "updated_at")), List.of("body", "order_by"), "enum");
        assertProblem(post(org, "/white_label/delete", Map.of()), List.of("body", "ids"), "missing");
        assertProblem(post(org, "/white_label/delete", Map.of("ids", List.of("x"))), List.of("body", "ids", 0), "int_parsing");

        Reply tooMany = post(org, "/white_label/create", java.util.Collections.nCopies(WhiteLabelApi.MAX_INPUTS + 1, drive()));
        assertProblem(tooMany, List.of("body"), "too_long");
        assertThat(types(list(org, Map.of()))).as("nothing was stored by any of these").isEmpty();
    }

    static Map<String, Object> onedriveWithPicker(String pickerRedirect) {
        return input("ONEDRIVE", creds("client_id", "c", "redirect_uri", "https://a.example/cb",
                "file_picker_redirect_uri", pickerRedirect));
    }

    /** Asserts a 422 whose problems include {@code loc} with {@code type}; returns that problem. */
    static JsonNode assertProblem(Reply r, List<Object> loc, String type) {
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        CarbonSchemas.assertValid("HTTPValidationError", r.json());
        for (JsonNode p : r.json().get("detail")) {
            if (p.get("loc").equals(Json.tree(loc))) {
                assertThat(p.get("type").asText()).as(r.toString()).isEqualTo(type);
                return p;
            }
        }
        throw new AssertionError("no problem at " + loc + " in " + r);
    }

    @Test
    void whiteLabelEndpointsTakeAnApiKeyOnly() {
        String token = acme.asCustomer("alice").get("/auth/v1/access_token").json().get("access_token").asText();
        Client asAlice = server.anonymous().with("authorization", "Token " + token);
        assertThat(post(asAlice, "/white_label/list", Map.of()).status()).isEqualTo(403);
        assertThat(post(asAlice, "/white_label/create", List.of(slack("x", null))).status()).isEqualTo(403);
        assertThat(post(server.anonymous(), "/white_label/list", Map.of()).status()).isEqualTo(401);
        assertThat(types(list(org, Map.of()))).isEmpty();
    }

    @Test
    void whiteLabelingShowsBrandingOwnAppsLimitsAndConnectorSettings() {
        created(org, List.of(drive(), slack("slack-app", SLACK_SECRET)));
        server.catchment().database().jdbi().useHandle(h ->
                h.execute("UPDATE organizations SET remove_branding = TRUE, custom_limits = ? WHERE id = ?",
                        "{\"max_file_size\": 20000000}", acme.id()));
        assertThat(post(org, "/organization/update", Map.of(
                "global_user_config", Map.of("max_files", 100),
                "data_source_configs", Map.of("GOOGLE_DRIVE", Map.of("allowed_file_formats", List.of("PDF")))))
                .status()).isEqualTo(200);
        assertThat(post(org, "/update_users", Map.of("customer_ids", List.of("alice"), "max_files", 5)).status())
                .as("alice must exist first").isEqualTo(404);
        acme.asCustomer("alice").get("/whoami");
        assertThat(post(org, "/update_users", Map.of("customer_ids", List.of("alice"), "max_files", 5)).status())
                .isEqualTo(200);

        String token = acme.asCustomer("alice").get("/auth/v1/access_token").json().get("access_token").asText();
        for (Client client : List.of(acme.asCustomer("alice"), server.anonymous().with("authorization", "Token " + token))) {
            Reply r = client.get("/auth/v1/white_labeling");
            replies.add(r);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            CarbonSchemas.assertValidResponse("/auth/v1/white_labeling", "get", 200, r.json());
            assertThat(r.json().get("remove_branding").asBoolean()).isTrue();
            JsonNode integrations = r.json().get("integrations");
            assertThat(integrations.size()).isEqualTo(17);
            assertThat(integrations.get("GOOGLE_DRIVE").asBoolean()).isTrue();
            assertThat(integrations.get("SLACK").asBoolean()).isTrue();
            assertThat(integrations.get("NOTION").asBoolean()).isFalse();
            assertThat(r.json().get("custom_limits")).isEqualTo(Json.tree(Map.of("max_file_size", 20000000, "max_files", 5)));
            assertThat(r.json().get("connector_settings").get("GOOGLE_DRIVE").get("allowed_file_formats"))
                    .isEqualTo(Json.tree(List.of("PDF")));
        }

        Reply bob = acme.asCustomer("bob").get("/auth/v1/white_labeling");
        assertThat(bob.json().get("custom_limits").get("max_files").asInt()).as("the organization's default").isEqualTo(100);
        Reply elsewhere = other.with("customer-id", "alice").get("/auth/v1/white_labeling");
        assertThat(elsewhere.json().get("remove_branding").asBoolean()).isFalse();
        assertThat(elsewhere.json().get("integrations").get("SLACK").asBoolean()).isFalse();
        assertThat(elsewhere.json().get("custom_limits")).isEqualTo(Json.object());
        assertThat(org.get("/auth/v1/white_labeling").status()).as("an API key needs a customer-id").isEqualTo(422);
    }
}
