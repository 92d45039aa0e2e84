package io.catchment.connector.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.connector.credentials.CredentialVerifiers.Endpoints;
import io.catchment.connector.credentials.Verification.Refused;
import io.catchment.connector.credentials.Verification.Unreachable;
import io.catchment.connector.credentials.Verification.Verified;
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.sources.FakeGitbook;
import io.catchment.testing.sources.FakeGitbook.Organization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GitbookVerifierTest {
    private static final String TOKEN = "gb_api_7Hc2kQ9wLmN4pR8sT1vX";

    private final FakeGitbook gitbook = new FakeGitbook(TOKEN,
            List.of(new Organization("Kx81bQ2", "Side Project"), new Organization("zP0o7Yt", "Acme Docs")), 1);
    private final CredentialVerifiers verifiers = TestVerifiers.with(Endpoints.defaults().withGitbook(gitbook.apiBase()));

    @AfterEach
    void close() {
        gitbook.close();
    }

    @Test
    void findsTheOrganizationByTitleAcrossPages() {
        Verification result = verifiers.gitbook("acme docs", TOKEN);

        assertThat(result).isEqualTo(new Verified("zP0o7Yt", Map.of("organization_id", "zP0o7Yt",
                "organization_title", "Acme Docs", "organization_url", "https://app.gitbook.com/o/zP0o7Yt/")));
        assertThat(gitbook.requests()).hasSize(2);
        assertThat(gitbook.requests().get(0).path()).isEqualTo("/v1/orgs");
        assertThat(gitbook.requests().get(0).query()).isEmpty();
        assertThat(gitbook.requests().get(1).query()).contains("page=p1");
        assertThat(gitbook.lastRequest().header("authorization")).contains("Bearer " + TOKEN);
    }

    @Test
    void findsTheOrganizationById() {
        assertThat(verifiers.gitbook("Kx81bQ2", TOKEN)).isInstanceOfSatisfying(Verified.class,
                verified -> assertThat(verified.metadata()).containsEntry("organization_title", "Side Project"));
        assertThat(gitbook.requests()).hasSize(1);
    }

    @Test
    void refusesAnOrganizationTheTokenCannotSeeNamingTheOnesItCan() {
        assertThat(verifiers.gitbook("Globex", TOKEN)).isInstanceOfSatisfying(Refused.class, refused ->
                assertThat(refused.message()).contains("no organization named 'Globex'")
                        .contains("'Side Project', 'Acme Docs'"));
    }

    @Test
    void refusesAWrongTokenWithoutShowingIt() {
        String wrong = "gb_api_wrongwrongwrong";

        assertThat(verifiers.gitbook("Acme Docs", wrong)).isInstanceOfSatisfying(Refused.class, refused ->
                assertThat(refused.message()).contains("GitBook did not accept the access token")
                        .contains("Invalid authentication token").doesNotContain(wrong));
    }

    @Test
    void refusesMissingInputWithoutSendingAnything() {
        assertThat(verifiers.gitbook(" ", TOKEN)).isEqualTo(new Refused("organization is required"));
        assertThat(verifiers.gitbook("Acme Docs", "two words")).isInstanceOf(Refused.class);
        assertThat(gitbook.requests()).isEmpty();
    }

    @Test
    void serverErrorsAreUnreachable() {
        gitbook.failNext(Reply.json(502, Map.of("error", Map.of("code", 502, "message", "Bad gateway"))));

        assertThat(verifiers.gitbook("Acme Docs", TOKEN)).isInstanceOfSatisfying(Unreachable.class,
                unreachable -> assertThat(unreachable.message()).contains("HTTP 502: Bad gateway"));
    }
}
