package io.catchment.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.json.Json;
import io.catchment.server.support.Client;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testing.webhooks.FakeWebhookReceiver;
import io.catchment.testing.webhooks.FakeWebhookReceiver.Received;
import io.catchment.testsupport.DatabaseKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Events reach a real receiver through the running server's job, and the delivery log lists them. */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class WebhookDeliveriesApiTest {
    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    TestServer server;
    Client org;
    Client other;
    FakeWebhookReceiver receiver = new FakeWebhookReceiver();

    @BeforeEach
    void start() {
        server = TestServer.start(kind, dir, config -> config.withUrlAllowlist(Set.of("127.0.0.1")));
        org = server.newOrganization("Acme").client();
        other = server.newOrganization("Other").client();
    }

    @AfterEach
    void stop() {
        server.close();
        receiver.close();
    }

    @Test
    void anUploadIsDeliveredSignedAndListedInTheLog() throws Exception {
        Reply added = org.post("/add_webhook", Map.of("url", receiver.url("a"), "event_types", List.of("FILES_CREATED")));
        assertThat(added.status()).isEqualTo(200);
        long webhookId = added.json().get("id").asLong();
        String key = added.json().get("signing_key").asText();

        Reply upload = org.with("customer-id", "satvik").upload("/uploadfile", "file", "notes.txt",
                "hello webhooks".getBytes(StandardCharsets.UTF_8));
        assertThat(upload.status()).isEqualTo(200);

        // The webhook also gets a CHECKUP ping when added; this test is about the upload's event.
        Received r = receiver.await(x -> type(x).equals("FILES_CREATED"), Duration.ofSeconds(60));
        Matcher v1 = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})").matcher(r.header("carbon-signature").orElseThrow());
        assertThat(v1.matches()).isTrue();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HexFormat.of().parseHex(key), "HmacSHA256"));
        mac.update((v1.group(1) + ".").getBytes(StandardCharsets.UTF_8));
        assertThat(HexFormat.of().formatHex(mac.doFinal(r.body()))).isEqualTo(v1.group(2));
        JsonNode inner = payload(r);
        assertThat(inner.get("customer_id").asText()).isEqualTo("satvik");
        assertThat(inner.get("object").get("object_id").get(0).asLong())
                .isEqualTo(upload.json().get("id").asLong());

        JsonNode entry = awaitDelivered(webhookId, r.header("carbon-webhook-id").orElseThrow());
        assertThat(entry.get("webhook_id").asLong()).isEqualTo(webhookId);
        assertThat(entry.get("status").asText()).isEqualTo("DELIVERED");
        assertThat(entry.get("attempts").asInt()).isEqualTo(1);
        assertThat(entry.get("last_status").asInt()).isEqualTo(200);
        assertThat(entry.get("last_error").isNull()).isTrue();
        assertThat(entry.get("delivered_at").isTextual()).isTrue();

        Reply all = org.post("/webhooks/deliveries", Map.of("webhook_id", webhookId));
        assertThat(all.text()).doesNotContain(key);
        Reply viaGet = org.get("/webhooks/deliveries?webhook_id=" + webhookId + "&limit=1&order_dir=asc");
        assertThat(viaGet.status()).isEqualTo(200);
        assertThat(viaGet.json().get("results")).hasSize(1);
        assertThat(viaGet.json().get("count").asLong()).isEqualTo(all.json().get("count").asLong());

        assertThat(other.post("/webhooks/deliveries", Map.of("webhook_id", webhookId)).status()).isEqualTo(404);
        Reply othersLog = other.post("/webhooks/deliveries", Map.of());
        assertThat(othersLog.json().get("count").asLong()).isZero();
        assertThat(org.post("/webhooks/deliveries", Map.of("status", "SENT")).status()).isEqualTo(422);
        assertThat(server.anonymous().post("/webhooks/deliveries", Map.of()).status()).isEqualTo(401);
    }

    /** The log entry for the event the receiver saw; it is recorded just after the receiver answers. */
    JsonNode awaitDelivered(long webhookId, String eventId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Reply r = org.post("/webhooks/deliveries", Map.of("webhook_id", webhookId, "status", "DELIVERED"));
            assertThat(r.status()).isEqualTo(200);
            for (JsonNode d : r.json().get("results")) {
                if (d.get("event_id").asText().equals(eventId)) return d;
            }
            if (System.nanoTime() > deadline) throw new AssertionError("delivery not logged: " + r.text());
            Thread.sleep(50);
        }
    }

    static JsonNode payload(Received r) {
        return Json.read(Json.read(r.bodyText()).get("payload").asText());
    }

    static String type(Received r) {
        return payload(r).get("webhook_type").asText();
    }
}
