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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A table of bad requests, each with the status and body shape a Carbon client expects, on
 * both databases. None may produce a 500, and nothing stored may change because of them.
 */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class BadRequestsTest {
    @Parameter
    DatabaseKind kind;

    @TempDir
    static Path dir;

    static TestServer server;
    static Fixture fx;

    /** The credentials the cases use. */
    record Fixture(Client orgA, String apiKeyA, Client orgB, Client revokedKey, Client token, Client expiredToken,
                   Client anonymous) {}

    /** One row: what to send, what must come back. {@code loc} and {@code type} only for 422. */
    record Case(String name, Function<Fixture, Reply> send, int status, List<Object> loc, String type) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeParameterizedClassInvocation
    static void start(DatabaseKind kind) {
        server = TestServer.start(kind, dir.resolve(kind.name()));
        var a = server.newOrganization("A");
        var b = server.newOrganization("B");
        var revoked = server.newOrganization("R");
        server.catchment().apiKeys().revoke(revoked.id(), server.catchment().apiKeys().list(revoked.id()).getFirst().id());
        Client alice = a.asCustomer("alice");
        String expired = alice.get("/auth/v1/access_token").json().get("access_token").asText();
        server.clock().advance(Duration.ofHours(11));
        String token = alice.get("/auth/v1/access_token").json().get("access_token").asText();
        fx = new Fixture(a.client(), a.apiKey(), b.client(), revoked.client(),
                server.anonymous().with("authorization", "Token " + token),
                server.anonymous().with("authorization", "Token " + expired), server.anonymous());
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // authentication
        c.add(detail("no authorization header", f -> f.anonymous().get("/whoami"), 401));
        c.add(detail("unknown scheme", f -> f.anonymous().with("authorization", "Basic dXNlcjpwYXNz").get("/whoami"), 401));
        c.add(detail("scheme without credentials", f -> f.anonymous().with("authorization", "Bearer").get("/organization"), 401));
        c.add(detail("unknown API key", f -> f.anonymous().with("authorization", "Bearer ck_nope").get("/organization"), 401));
        c.add(detail("revoked API key", f -> f.revokedKey().get("/organization"), 401));
        c.add(detail("unknown access token", f -> f.anonymous().with("authorization", "Token cat_nope").get("/whoami"), 401));
        c.add(detail("expired access token", f -> f.expiredToken().get("/whoami"), 401));
        c.add(detail("API key sent with the Token scheme", f -> f.anonymous()
                .with("authorization", "Token " + f.apiKeyA()).get("/whoami"), 401));
        c.add(detail("access token on an org-only GET", f -> f.token().get("/organization"), 403));
        c.add(detail("access token on an org-only POST", f -> f.token().post("/list_users", Map.of()), 403));
        c.add(detail("access token minting tokens", f -> f.token().get("/auth/v1/access_token"), 403));
        c.add(invalid("API key without customer-id", f -> f.orgA().get("/whoami"), List.of("header", "customer-id"), "missing"));
        c.add(invalid("token mint without customer-id", f -> f.orgA().get("/auth/v1/access_token"),
                List.of("header", "customer-id"), "missing"));
        c.add(invalid("customer-id too long", f -> f.orgA().with("customer-id", "x".repeat(300)).get("/whoami"),
                List.of("header", "customer-id"), "string_too_long"));
        c.add(detail("customer of another organization", f -> f.orgB().post("/user", Map.of("customer_id", "alice")), 404));
        c.add(detail("deleting another organization's customer", f -> f.orgB().post("/delete_users",
                Map.of("customer_ids", List.of("alice"))), 404));
        c.add(detail("bad refresh token", f -> f.anonymous().post("/auth/v1/refresh_access_token",
                Map.of("refresh_token", "crt_nope")), 401));
        // body shape
        c.add(invalid("malformed JSON", f -> f.orgA().postRaw("/user", "{\"customer_id\": "), List.of("body", 16L), "json_invalid"));
        c.add(invalid("empty body", f -> f.orgA().postRaw("/user", ""), List.of("body"), "missing"));
        c.add(invalid("array instead of object", f -> f.orgA().postRaw("/user", "[1,2]"), List.of("body"), "model_attributes_type"));
        c.add(invalid("missing field", f -> f.orgA().post("/user", Map.of()), List.of("body", "customer_id"), "missing"));
        c.add(invalid("number for a string", f -> f.orgA().post("/user", Map.of("customer_id", 7)),
                List.of("body", "customer_id"), "string_type"));
        c.add(invalid("unknown order_by", f -> f.orgA().post("/list_users", Map.of("order_by", "name")),
                List.of("body", "order_by"), "enum"));
        c.add(invalid("unknown order_dir", f -> f.orgA().post("/list_users", Map.of("order_dir", "up")),
                List.of("body", "order_dir"), "enum"));
        c.add(invalid("limit not a number", f -> f.orgA().post("/list_users", Map.of("pagination", Map.of("limit", "ten"))),
                List.of("body", "pagination", "limit"), "int_parsing"));
        c.add(invalid("negative limit", f -> f.orgA().post("/list_users", Map.of("pagination", Map.of("limit", -1))),
                List.of("body", "pagination", "limit"), "greater_than_equal"));
        c.add(invalid("limit too large", f -> f.orgA().post("/list_users", Map.of("pagination", Map.of("limit", 5000))),
                List.of("body", "pagination", "limit"), "less_than_equal"));
        c.add(invalid("boolean as a word", f -> f.orgA().post("/list_users", Map.of("include_count", "maybe")),
                List.of("body", "include_count"), "bool_type"));
        c.add(invalid("string in an integer list", f -> f.orgA().post("/list_users",
                Map.of("filters", Map.of("carbon_user_ids", List.of("x")))), List.of("body", "filters", "carbon_user_ids", 0L), "int_parsing"));
        c.add(invalid("filters not an object", f -> f.orgA().post("/list_users", Map.of("filters", List.of())),
                List.of("body", "filters"), "model_attributes_type"));
        c.add(invalid("update without customer_ids", f -> f.orgA().post("/update_users", Map.of("max_files", 3)),
                List.of("body", "customer_ids"), "missing"));
        c.add(invalid("limit below -1", f -> f.orgA().post("/update_users", Map.of("customer_ids", List.of("alice"),
                "max_files", -5)), List.of("body", "max_files"), "greater_than_equal"));
        c.add(invalid("auto-sync interval not allowed", f -> f.orgA().post("/update_users", Map.of("customer_ids",
                List.of("alice"), "auto_sync_interval", 5)), List.of("body", "auto_sync_interval"), "literal_error"));
        c.add(invalid("unknown data source type", f -> f.orgA().post("/update_users", Map.of("customer_ids",
                List.of("alice"), "auto_sync_enabled_sources", List.of("NOPE"))), List.of("body", "auto_sync_enabled_sources"), "enum"));
        c.add(invalid("too many customer ids", f -> f.orgA().post("/update_users", Map.of("customer_ids",
                Collections.nCopies(101, "alice"))), List.of("body", "customer_ids"), "too_long"));
        c.add(invalid("fractional integer", f -> f.orgA().post("/organization/update",
                Map.of("global_user_config", Map.of("max_files", 1.5))), List.of("body", "global_user_config", "max_files"), "int_from_float"));
        c.add(invalid("unknown data source config key", f -> f.orgA().post("/organization/update",
                Map.of("data_source_configs", Map.of("NOPE", Map.of()))), List.of("body", "data_source_configs"), "enum"));
        c.add(invalid("unknown configuration key", f -> f.token().post("/modify_user_configuration",
                Map.of("configuration_key_name", "dark_mode", "value", Map.of())), List.of("body", "configuration_key_name"), "enum"));
        c.add(invalid("configuration value not an object", f -> f.token().post("/modify_user_configuration",
                Map.of("configuration_key_name", "sparse_vectors", "value", "on")), List.of("body", "value"), "dict_type"));
        // size, routing
        c.add(detail("oversized body", f -> f.orgA().postRaw("/list_users", "{\"x\":\"" + "a".repeat(2 << 20) + "\"}"), 413));
        c.add(detail("unknown path", f -> f.orgA().get("/no_such_endpoint"), 404));
        c.add(detail("wrong method", f -> f.orgA().get("/list_users"), 405));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersWithCarbonsStatusAndShape(Case c) {
        Reply reply = c.send().apply(fx);
        assertThat(reply.status()).as("%s → %s", c.name(), reply).isEqualTo(c.status());
        assertThat(reply.header("x-request-id")).isNotBlank();
        JsonNode detail = reply.json().get("detail");
        assertThat(detail).as("body %s", reply.text()).isNotNull();
        if (c.status() == 422) {
            CarbonSchemas.assertValid("HTTPValidationError", reply.json());
            assertThat(detail.isArray()).isTrue();
            List<String> locs = new ArrayList<>();
            detail.forEach(d -> locs.add(d.get("loc").toString() + " " + d.get("type").asText()));
            String expected = io.catchment.json.Json.write(c.loc()) + " " + c.type();
            assertThat(locs).as(reply.text()).contains(expected);
            detail.forEach(d -> assertThat(d.get("msg").asText()).isNotBlank());
        } else {
            assertThat(detail.isTextual()).as(reply.text()).isTrue();
            assertThat(detail.asText()).isNotBlank().doesNotContain("Exception").doesNotContain("at io.");
        }
        if (c.status() == 429) assertThat(reply.header("Retry-After")).isNotBlank();
    }

    @org.junit.jupiter.api.Test
    void rejectedRequestsChangedNothing() {
        cases().forEach(c -> c.send().apply(fx));
        Reply alice = fx.orgA().post("/user", Map.of("customer_id", "alice"));
        assertThat(alice.status()).isEqualTo(200);
        assertThat(alice.json().get("custom_limits").size()).isZero();
        assertThat(alice.json().get("auto_sync_enabled_sources").size()).isZero();
        Reply org = fx.orgA().get("/organization");
        assertThat(org.json().get("global_user_config").size()).isZero();
        assertThat(org.json().get("connector_settings").size()).isZero();
    }

    private static Case detail(String name, Function<Fixture, Reply> send, int status) {
        return new Case(name, send, status, List.of(), "");
    }

    private static Case invalid(String name, Function<Fixture, Reply> send, List<Object> loc, String type) {
        return new Case(name, send, 422, loc, type);
    }
}
