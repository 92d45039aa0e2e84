package io.catchment.connector.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.connector.credentials.CredentialVerifiers.Endpoints;
import io.catchment.connector.credentials.Verification.Refused;
import io.catchment.connector.credentials.Verification.Unreachable;
import io.catchment.connector.credentials.Verification.Verified;
import io.catchment.testing.sources.FakeDocument360;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Document360VerifierTest {
    private static final String TOKEN = "TvrDSpEEHxJVgfim9Gbqpw9ZZ5Vz2XwCFnPFqQ2DMFBl/A+ZI4PAfRO9q==";

    private final FakeDocument360 europe = new FakeDocument360("a-token-of-another-project");
    private final FakeDocument360 us = new FakeDocument360(TOKEN, List.of("v1", "v2-beta"));
    private final CredentialVerifiers verifiers =
            TestVerifiers.with(Endpoints.defaults().withDocument360(List.of(europe.apiBase(), us.apiBase())));

    @AfterEach
    void close() {
        europe.close();
        us.close();
    }

    @Test
    void triesEachDataCenterUntilOneAcceptsTheToken() {
        Verification result = verifiers.document360("Docs@Acme.example", TOKEN);

        assertThat(result).isEqualTo(new Verified("docs@acme.example", Map.of("account_email", "docs@acme.example",
                "api_hub", "127.0.0.1", "project_versions", List.of("v1", "v2-beta"))));
        assertThat(europe.requests()).hasSize(1);
        assertThat(us.requests()).hasSize(1);
        assertThat(us.lastRequest().path()).isEqualTo("/v2/ProjectVersions");
        assertThat(us.lastRequest().header("api_token")).contains(TOKEN);
    }

    @Test
    void stopsAtTheFirstDataCenterThatAccepts() {
        try (FakeDocument360 only = new FakeDocument360(TOKEN)) {
            CredentialVerifiers first = TestVerifiers.with(Endpoints.defaults()
                    .withDocument360(List.of(only.apiBase(), us.apiBase())));

            assertThat(first.document360("docs@acme.example", TOKEN)).isInstanceOf(Verified.class);
            assertThat(us.requests()).isEmpty();
        }
    }

    @Test
    void refusesATokenNoDataCenterAcceptsWithDocument360sReason() {
        String wrong = "wrong-token-wrong-token";

        assertThat(verifiers.document360("docs@acme.example", wrong)).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.message()).contains("Document360 did not accept the access token")
                        .contains("Invalid or expired API token").doesNotContain(wrong));
    }

    @Test
    void aDataCenterThatCannotBeAskedMakesARefusalElsewhereInconclusive() {
        europe.close();
        String wrong = "wrong-token-wrong-token";

        assertThat(verifiers.document360("docs@acme.example", wrong)).isInstanceOf(Unreachable.class);
    }

    @Test
    void refusesAnAccountEmailThatIsNotOneWithoutSendingAnything() {
        assertThat(verifiers.document360("docs-at-acme", TOKEN))
                .isEqualTo(new Refused("account_email must be an e-mail address"));
        assertThat(europe.requests()).isEmpty();
        assertThat(us.requests()).isEmpty();
    }
}
