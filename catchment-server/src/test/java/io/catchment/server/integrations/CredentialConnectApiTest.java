package io.catchment.server.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.server.OAuthSettings;
import io.catchment.server.support.Client;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testing.schema.CarbonSchemas;
import io.catchment.testing.sources.FakeFreshdesk;
import io.catchment.testing.sources.FakeRssFeed;
import io.catchment.testing.sources.FakeS3;
import io.catchment.testsupport.DatabaseKind;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
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

/**
 * Credential connectors and the data source endpoints through the API, against fakes of
 * Freshdesk, S3 and an RSS feed: credentials are checked before anything is stored, stored sealed,
 * never shown, and the same account connected twice is one data source.
 */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class CredentialConnectApiTest {
    static final String FRESHDESK_KEY = "fd-key-0123456789abcdef";
    static final String S3_SECRET = "s3-secret-0123456789abcdefghij";

    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    FakeFreshdesk freshdesk;
    FakeS3 s3;
    FakeRssFeed rss;
    TestServer server;
    TestServer.OrgHandle acme;
    Client alice;

    @BeforeEach
    void start() {
        freshdesk = new FakeFreshdesk(FRESHDESK_KEY);
        s3 = new FakeS3("AKIAIOSFODNN7EXAMPLE", S3_SECRET, "us-east-1", Clock.systemUTC()).withBuckets("docs", "reports");
        rss = new FakeRssFeed();
        server = TestServer.start(kind, dir, c -> c.withUrlAllowlist(Set.of("127.0.0.1"))
                .withOAuth(new OAuthSettings(Map.of(), Map.of(), Map.of("freshdesk", freshdesk.baseUrl().toString(),
                        "s3", s3.baseUrl().toString()))));
        acme = server.newOrganization("Acme");
        alice = acme.asCustomer("alice");
    }

    @AfterEach
    void stop() {
        server.close();
        freshdesk.close();
        s3.close();
        rss.close();
    }

    JsonNode dataSources(Client client, Map<String, Object> body) {
        Reply r = client.post("/user_data_sources", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        CarbonSchemas.assertValidResponse("/user_data_sources", "post", 200, r.json());
        return r.json();
    }

    @Test
    void freshdeskIsVerifiedThenStoredOnceAndNeverShown() {
        Reply refused = alice.post("/integrations/freshdesk", Map.of("domain", "acme", "api_key", "fd-wrong-key-000000"));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().get("detail").asText()).startsWith("The FRESHDESK credentials were refused")
                .doesNotContain("fd-wrong-key-000000");
        assertThat(dataSources(alice, Map.of()).get("count").asInt()).isZero();

        Reply ok = alice.post("/integrations/freshdesk", Map.of("domain", "acme", "api_key", FRESHDESK_KEY,
                "chunk_size", 800, "data_source_tags", Map.of("team", "support")));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().get("success").asBoolean()).isTrue();
        assertThat(freshdesk.lastRequest().header("authorization")).isPresent();

        JsonNode listed = dataSources(alice, Map.of());
        assertThat(listed.get("count").asInt()).isEqualTo(1);
        JsonNode ds = listed.get("results").get(0);
        assertThat(ds.get("data_source_type").asText()).isEqualTo("FRESHDESK");
        assertThat(ds.get("last_sync_action").asText()).isEqualTo("ADD");
        assertThat(ds.get("tags").get("team").asText()).isEqualTo("support");
        assertThat(ds.get("token").isNull()).isTrue();
        assertThat(listed.toString()).doesNotContain(FRESHDESK_KEY);
        String sealed = server.catchment().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT sealed_credentials FROM data_sources WHERE id = :id").bind("id", ds.get("id").asLong())
                .mapTo(String.class).one());
        assertThat(sealed).startsWith("v1.").doesNotContain(FRESHDESK_KEY);

        assertThat(alice.post("/integrations/freshdesk", Map.of("domain", "acme", "api_key", FRESHDESK_KEY)).status())
                .isEqualTo(200);
        JsonNode again = dataSources(alice, Map.of());
        assertThat(again.get("count").asInt()).as("the same account again is an update").isEqualTo(1);
        assertThat(again.get("results").get(0).get("last_sync_action").asText()).isEqualTo("UPDATE");
        assertThat(again.get("results").get(0).get("id").asLong()).isEqualTo(ds.get("id").asLong());

        Reply missing = alice.post("/integrations/freshdesk", Map.of("api_key", FRESHDESK_KEY));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"domain\"]");
    }

    @Test
    void s3ReturnsTheDataSourceAndFiltersTagsAndRevokeWork() {
        Reply r = alice.post("/integrations/s3", Map.of("access_key", "AKIAIOSFODNN7EXAMPLE", "access_key_secret", S3_SECRET));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        CarbonSchemas.assertValidResponse("/integrations/s3", "post", 200, r.json());
        long s3Id = r.json().get("id").asLong();
        assertThat(r.json().get("data_source_type").asText()).isEqualTo("S3");
        assertThat(r.text()).doesNotContain(S3_SECRET);
        assertThat(s3.lastRequest().header("authorization").orElseThrow()).startsWith("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/");

        URI feed = rss.servesRss("/feed.xml", "Harbour news", List.of("Tides", "Ferries"));
        assertThat(alice.post("/integrations/rss_feed", Map.of("url", feed.toString())).status()).isEqualTo(200);
        Reply notFeed = alice.post("/integrations/rss_feed", Map.of("url", rss.serves("/page", "text/html", "<html></html>").toString()));
        assertThat(notFeed.status()).isEqualTo(400);

        assertThat(dataSources(alice, Map.of("filters", Map.of("source", "S3"))).get("count").asInt()).isEqualTo(1);
        assertThat(dataSources(alice, Map.of("filters", Map.of("ids", List.of(s3Id)))).get("results").get(0)
                .get("id").asLong()).isEqualTo(s3Id);
        assertThat(dataSources(alice, Map.of("pagination", Map.of("limit", 1))).get("results")).hasSize(1);
        assertThat(dataSources(acme.asCustomer("bob"), Map.of()).get("count").asInt()).as("another customer's").isZero();

        Reply tagged = alice.post("/data_sources/tags/add", Map.of("data_source_id", s3Id, "tags", Map.of("env", "prod", "owner", "ops")));
        assertThat(tagged.status()).as(tagged.toString()).isEqualTo(200);
        CarbonSchemas.assertValidResponse("/data_sources/tags/add", "post", 200, tagged.json());
        assertThat(dataSources(alice, Map.of("filters", Map.of("tags", Map.of("env", "prod")))).get("count").asInt()).isEqualTo(1);
        assertThat(dataSources(alice, Map.of("filters", Map.of("tags", Map.of("AND", List.of(
                Map.of("key", "env", "value", "prod"), Map.of("key", "owner", "value", List.of("ops", "dev")))))))
                .get("count").asInt()).as("Carbon's tags_v2 blocks").isEqualTo(1);
        assertThat(dataSources(alice, Map.of("filters", Map.of("tags", Map.of("OR", List.of(Map.of("key", "env", "value", "prod", "negate", true))))))
                .get("count").asInt()).isEqualTo(1).as("the RSS feed has no env tag");
        Reply untagged = alice.post("/data_sources/tags/remove", Map.of("data_source_id", s3Id, "tags_to_remove", List.of("env")));
        assertThat(untagged.json().get("tags").has("env")).isFalse();
        assertThat(untagged.json().get("tags").get("owner").asText()).isEqualTo("ops");

        assertThat(acme.asCustomer("bob").post("/revoke_access_token", Map.of("data_source_id", s3Id)).status()).isEqualTo(404);
        Reply revoked = alice.post("/revoke_access_token", Map.of("data_source_id", s3Id));
        assertThat(revoked.status()).isEqualTo(200);
        JsonNode after = dataSources(alice, Map.of("filters", Map.of("revoked_access", true)));
        assertThat(after.get("count").asInt()).isEqualTo(1);
        assertThat(after.get("results").get(0).get("last_sync_action").asText()).isEqualTo("REVOKE");

        Reply orgWide = acme.client().post("/data_sources", Map.of());
        assertThat(orgWide.status()).isEqualTo(200);
        assertThat(orgWide.json().get("count").asInt()).isEqualTo(2);
        assertThat(orgWide.json().get("results").get(0).get("organization_supplied_user_id").asText()).isEqualTo("alice");
    }
}
