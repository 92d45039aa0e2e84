package io.catchment.connector.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catchment.connector.DataSourceType;
import io.catchment.connector.credentials.CredentialVerifiers.Endpoints;
import io.catchment.connector.credentials.Verification.Verified;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialVerifiersTest {

    @Test
    void holdsOneVerifierPerCredentialSource() {
        CredentialVerifiers verifiers = TestVerifiers.with(Endpoints.defaults());

        assertThat(verifiers.all()).extracting(CredentialVerifier::source).containsExactly(DataSourceType.FRESHDESK,
                DataSourceType.GITBOOK, DataSourceType.S3, DataSourceType.AZURE_BLOB_STORAGE, DataSourceType.GITHUB,
                DataSourceType.GURU, DataSourceType.DOCUMENT360, DataSourceType.RSS_FEED);
        assertThat(verifiers.timeout()).isEqualTo(CredentialVerifiers.DEFAULT_TIMEOUT);
        assertThat(verifiers.withTimeout(Duration.ofSeconds(3)).timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> verifiers.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultsAreTheRealServices() {
        Endpoints endpoints = Endpoints.defaults();

        assertThat(endpoints.freshdesk()).isEqualTo("https://{domain}.freshdesk.com");
        assertThat(endpoints.gitbook()).isEqualTo(URI.create("https://api.gitbook.com/v1"));
        assertThat(endpoints.awsS3()).isEqualTo(URI.create("https://s3.amazonaws.com"));
        assertThat(endpoints.digitalOceanSpaces()).isEqualTo("https://{region}.digitaloceanspaces.com");
        assertThat(endpoints.azureBlob()).isEqualTo("https://{account}.blob.core.windows.net");
        assertThat(endpoints.github()).isEqualTo(URI.create("https://api.github.com"));
        assertThat(endpoints.guru()).isEqualTo(URI.create("https://api.getguru.com/api/v1"));
        assertThat(endpoints.document360()).containsExactly(URI.create("https://apihub.document360.io/v2"),
                URI.create("https://apihub.us.document360.io/v2"));
    }

    @Test
    void overridesLoseTheirTrailingSlash() {
        Endpoints endpoints = Endpoints.defaults().withGithub(URI.create("http://127.0.0.1:9/"))
                .withFreshdesk("http://127.0.0.1:9/");

        assertThat(endpoints.github()).isEqualTo(URI.create("http://127.0.0.1:9"));
        assertThat(endpoints.freshdesk()).isEqualTo("http://127.0.0.1:9");
        assertThatThrownBy(() -> endpoints.withDocument360(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configurationReplacesEndpointsByName() {
        Endpoints endpoints = Endpoints.defaults().overriddenBy(Map.of("freshdesk", "http://127.0.0.1:1",
                "s3", "http://127.0.0.1:2/", "digitalocean_spaces", "http://127.0.0.1:3", "azure_blob", "http://127.0.0.1:4",
                "github", "http://127.0.0.1:5", "gitbook", "http://127.0.0.1:6/v1", "guru", "http://127.0.0.1:7/api/v1",
                "document360", "http://127.0.0.1:8/v2, http://127.0.0.1:9/v2"));

        assertThat(endpoints).isEqualTo(new Endpoints("http://127.0.0.1:1", URI.create("http://127.0.0.1:6/v1"),
                URI.create("http://127.0.0.1:2"), "http://127.0.0.1:3", "http://127.0.0.1:4", URI.create("http://127.0.0.1:5"),
                URI.create("http://127.0.0.1:7/api/v1"),
                List.of(URI.create("http://127.0.0.1:8/v2"), URI.create("http://127.0.0.1:9/v2"))));
        assertThat(Endpoints.defaults().overriddenBy(Map.of())).isEqualTo(Endpoints.defaults());
        assertThatThrownBy(() -> Endpoints.defaults().overriddenBy(Map.of("dropbox", "http://x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("known: freshdesk, gitbook");
    }

    @Test
    void verifiedKeepsMetadataOrderAndCannotBeChanged() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("z", 1);
        metadata.put("a", "two");

        Verified verified = new Verified("id", metadata);
        metadata.put("later", true);

        assertThat(verified.metadata().keySet()).containsExactly("z", "a");
        assertThatThrownBy(() -> verified.metadata().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void verifiedNeedsAnIdAndNoNullMetadata() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("name", null);

        assertThatThrownBy(() -> new Verified(" ", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Verified("id", withNull)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void providerTextIsScrubbedOfSecretsAndControlCharacters() {
        String secret = "sk-live-0123456789";

        assertThat(Redact.scrub("bad key sk-live-0123456789\r\nX-Evil: 1", secret))
                .isEqualTo("bad key [redacted] X-Evil: 1");
        assertThat(Redact.scrub("x".repeat(500))).hasSize(Redact.MAX + 1).endsWith("…");
        assertThat(ErrorText.of("{\"message\":\"token sk-live-0123456789 is revoked.\"}", secret))
                .isEqualTo("token [redacted] is revoked");
        assertThat(ErrorText.of("<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message>"
                + "</Error>")).isEqualTo("AccessDenied: Access Denied");
        assertThat(ErrorText.of("<html><body>502 Bad Gateway</body></html>")).isEmpty();
    }
}
