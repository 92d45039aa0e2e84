package io.catchment.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testsupport.DatabaseKind;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Health, metrics, request ids, and what a client sees when the server itself fails. */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class OperationsTest {
    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(kind, dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void healthReportsTheDatabase() {
        for (String path : new String[] {"/health", "/health/ready"}) {
            Reply r = server.anonymous().get(path);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("database").asText()).isEqualTo("ok");
        }
        assertThat(server.anonymous().get("/health").json().get("ocr").asText())
                .as("tesseract must be installed (.ci/install-deps)").isEqualTo("ok");
        assertThat(server.anonymous().get("/health/live").json().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void metricsCountRequestsByRouteAndStatus() {
        var org = server.newOrganization("Acme");
        org.client().get("/organization");
        org.client().get("/organization");
        server.anonymous().get("/organization");
        Reply metrics = server.anonymous().get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("content-type")).startsWith("text/plain");
        assertThat(metrics.text())
                .containsPattern("http_server_requests_seconds_count\\{[^}]*route=\"/organization\"[^}]*status=\"200\"[^}]*} 2")
                .containsPattern("http_server_requests_seconds_count\\{[^}]*route=\"/organization\"[^}]*status=\"401\"[^}]*} 1")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void requestIdsAreEchoedOrMade() {
        Reply given = server.anonymous().with("x-request-id", "trace-123").get("/health");
        assertThat(given.header("x-request-id")).isEqualTo("trace-123");
        Reply unsafe = server.anonymous().with("x-request-id", "bad id; drop table").get("/health");
        assertThat(unsafe.header("x-request-id")).isNotEqualTo("bad id; drop table").matches("[0-9a-f-]{36}");
    }

    @Test
    void anUnexpectedFailureIsA500WithoutInternals() {
        var org = server.newOrganization("Acme");
        org.asCustomer("alice").get("/whoami");
        server.catchment().database().close(); // the database goes away under a running server

        Reply failed = org.client().post("/list_users", Map.of());
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.json().get("detail").asText()).isEqualTo("Internal server error");
        assertThat(failed.header("x-request-id")).isNotBlank();
        assertThat(failed.text()).doesNotContain("Exception").doesNotContain("jdbc");

        Reply health = server.anonymous().get("/health");
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().get("database").asText()).isEqualTo("unreachable");
    }
}
