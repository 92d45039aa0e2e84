package io.catchment.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testsupport.DatabaseKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Carbon's per-key tiers: a full minute's allowance, then 429 with Retry-After, refilling evenly. */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class RateLimitTest {
    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(kind, dir, c -> c.withRateLimits(new RateLimits(Map.of(
                RateTier.TIER_1, 3, RateTier.TIER_2, 5, RateTier.TIER_3, 180, RateTier.UNTIERED, 600))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void tierOneAllowsItsMinuteThenRefusesWithRetryAfter() {
        var org = server.newOrganization("Acme");
        for (int i = 0; i < 3; i++) assertThat(org.client().get("/organization").status()).isEqualTo(200);
        Reply limited = org.client().get("/organization");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("detail").asText()).contains("30 requests per minute".replace("30", "3"));
        assertThat(limited.header("Retry-After")).isEqualTo("20");

        assertThat(org.client().post("/list_users", Map.of()).status()).as("another tier is separate").isEqualTo(200);
        var other = server.newOrganization("Other");
        assertThat(other.client().get("/organization").status()).as("another key is separate").isEqualTo(200);

        server.clock().advance(Duration.ofSeconds(20));
        assertThat(org.client().get("/organization").status()).as("one request refilled").isEqualTo(200);
        assertThat(org.client().get("/organization").status()).isEqualTo(429);
    }

    @Test
    void accessTokensCountAgainstTheKeyThatMintedThem() {
        var org = server.newOrganization("Acme");
        String token = org.asCustomer("alice").get("/auth/v1/access_token").json().get("access_token").asText();
        var asAlice = server.anonymous().with("authorization", "Token " + token);
        for (int i = 0; i < 3; i++) {
            asAlice.post("/modify_user_configuration", Map.of("configuration_key_name", "sparse_vectors", "value", Map.of()));
        }
        for (int i = 0; i < 2; i++) org.client().post("/update_users", Map.of("customer_ids", java.util.List.of("alice")));
        assertThat(asAlice.post("/modify_user_configuration", Map.of("configuration_key_name", "sparse_vectors",
                "value", Map.of())).status()).isEqualTo(429);
    }

    @Test
    void limitsAreConfigurableAsText() {
        RateLimits parsed = RateLimits.parse("tier_1=60, UNTIERED=0");
        assertThat(parsed.limit(RateTier.TIER_1)).isEqualTo(60);
        assertThat(parsed.limit(RateTier.TIER_2)).as("Carbon's default kept").isEqualTo(90);
        assertThat(parsed.limit(RateTier.UNTIERED)).isZero();
        assertThat(RateLimits.parse("").perMinute()).isEqualTo(RateLimits.carbonDefaults().perMinute());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RateLimits.parse("TIER_9=5"))
                .hasMessageContaining("Unknown rate-limit tier 'TIER_9'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RateLimits.parse("TIER_1=lots"))
                .hasMessageContaining("Not a number");
    }

    @Test
    void unauthenticatedAndHealthRequestsAreNotCharged() {
        for (int i = 0; i < 10; i++) assertThat(server.anonymous().get("/health").status()).isEqualTo(200);
    }
}
