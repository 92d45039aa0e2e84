package io.catchment.connector.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.connector.credentials.CredentialVerifiers.Endpoints;
import io.catchment.connector.credentials.Verification.Refused;
import io.catchment.connector.credentials.Verification.Verified;
import io.catchment.testing.sources.FakeGuru;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GuruVerifierTest {
    private static final String TOKEN = "3f7c9a1e-5b2d-4e8f-9a6c-0d1b2e3f4a5b";

    private final FakeGuru guru = new FakeGuru("ada@acme.example", TOKEN, "team-7f3a", "Acme Support");
    private final CredentialVerifiers verifiers = TestVerifiers.with(Endpoints.defaults().withGuru(guru.apiBase()));

    @AfterEach
    void close() {
        guru.close();
    }

    @Test
    void verifiesTheUserAndNamesTheTeam() {
        Verification result = verifiers.guru("Ada@Acme.example", TOKEN);

        assertThat(result).isEqualTo(new Verified("ada@acme.example", Map.of("username", "ada@acme.example",
                "team_id", "team-7f3a", "team_name", "Acme Support")));
        assertThat(guru.lastRequest().path()).isEqualTo("/api/v1/whoami");
        assertThat(guru.lastRequest().header("authorization")).contains("Basic " + Base64.getEncoder()
                .encodeToString(("Ada@Acme.example:" + TOKEN).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesAWrongTokenWithoutShowingIt() {
        String wrong = "00000000-0000-0000-0000-000000000000";

        assertThat(verifiers.guru("ada@acme.example", wrong)).isInstanceOfSatisfying(Refused.class, refused ->
                assertThat(refused.message()).contains("Guru did not accept").doesNotContain(wrong));
    }

    @Test
    void refusesAUserNameThatWouldBreakBasicAuthentication() {
        assertThat(verifiers.guru("ada:admin", TOKEN)).isEqualTo(new Refused("username must not contain ':'"));
        assertThat(guru.requests()).isEmpty();
    }
}
