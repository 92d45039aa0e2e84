package io.catchment.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testsupport.DatabaseKind;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The pages' plumbing over HTTP: branding settings, security headers, bundled assets. */
class HostedPagesApiTest {
    static final String PIXEL = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
            + "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void brandingIsSetValidatedAndKeptWhenARequestFails(DatabaseKind kind) {
        try (TestServer server = TestServer.start(kind, dir)) {
            var org = server.newOrganization("Acme");
            Reply ok = org.client().post("/organization/update", Map.of("remove_branding", true,
                    "custom_branding", Map.of("name", "Acme Files", "primary_color", "#FFCC00", "logo", PIXEL)));
            assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
            JsonNode stored = org.client().get("/organization").json();
            assertThat(stored.get("remove_branding").asBoolean()).isTrue();
            assertThat(stored.get("custom_branding").get("primary_color").asText()).isEqualTo("#ffcc00");
            assertThat(stored.get("custom_branding").get("logo").asText()).isEqualTo(PIXEL);

            Reply bad = org.client().post("/organization/update", Map.of("remove_branding", false,
                    "custom_branding", Map.of("primary_color", "yellow", "logo", "https://example.com/logo.png",
                            "name", "x".repeat(81))));
            assertThat(bad.status()).isEqualTo(422);
            List<String> locs = bad.json().get("detail").findValues("loc").stream().map(JsonNode::toString).toList();
            assertThat(locs).containsExactlyInAnyOrder("[\"body\",\"custom_branding\",\"primary_color\"]",
                    "[\"body\",\"custom_branding\",\"logo\"]", "[\"body\",\"custom_branding\",\"name\"]");
            String huge = "data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[300 * 1024]);
            Reply tooBig = org.client().post("/organization/update", Map.of("custom_branding", Map.of("logo", huge)));
            assertThat(tooBig.status()).isEqualTo(422);
            assertThat(tooBig.json().get("detail").get(0).get("msg").asText()).contains("256 KiB");

            JsonNode after = org.client().get("/organization").json();
            assertThat(after.get("remove_branding").asBoolean()).as("a refused request changes nothing").isTrue();
            assertThat(after.get("custom_branding")).isEqualTo(stored.get("custom_branding"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = "H2")
    void pagesCarryAStrictPolicyAndLoadOnlyTheirOwnVersionedAssets(DatabaseKind kind) {
        try (TestServer server = TestServer.start(kind, dir)) {
            Reply page = server.anonymous().get("/console");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("content-type")).startsWith("text/html");
            String csp = page.header("content-security-policy");
            assertThat(csp).contains("default-src 'none'").contains("script-src 'self'").contains("connect-src 'self'")
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
            assertThat(page.header("cache-control")).isEqualTo("no-store");
            Matcher nonce = Pattern.compile("'nonce-([^']+)'").matcher(csp);
            assertThat(nonce.find()).isTrue();
            assertThat(page.text()).contains("<style nonce=\"" + nonce.group(1) + "\">");
            assertThat(server.anonymous().get("/console").header("content-security-policy"))
                    .as("a fresh nonce per response").doesNotContain(nonce.group(1));
            assertThat(page.text()).as("nothing from other hosts").doesNotContainPattern("(src|href)=\"(https?:)?//");

            Matcher assets = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"").matcher(page.text());
            int found = 0;
            while (assets.find()) {
                found++;
                Reply asset = server.anonymous().get(assets.group(1).replace("&amp;", "&"));
                assertThat(asset.status()).as(assets.group(1)).isEqualTo(200);
                assertThat(asset.header("cache-control")).contains("immutable");
                assertThat(asset.header("x-content-type-options")).isEqualTo("nosniff");
            }
            assertThat(found).as("a stylesheet and a script").isEqualTo(2);
            assertThat(server.anonymous().get("/assets/api.js").header("cache-control"))
                    .as("an unversioned link is revalidated").isEqualTo("no-cache");
            Reply missing = server.anonymous().get("/assets/secrets.properties");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.json().get("detail").asText()).isEqualTo("Not found");
            assertThat(server.anonymous().get("/assets/..%2fapplication.properties").status()).isEqualTo(404);
        }
    }
}
