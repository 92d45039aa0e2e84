package io.catchment.connector.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.connector.credentials.CredentialVerifiers.Endpoints;
import io.catchment.connector.credentials.Verification.Refused;
import io.catchment.connector.credentials.Verification.Unreachable;
import io.catchment.connector.credentials.Verification.Verified;
import io.catchment.testing.models.RecordedRequest;
import io.catchment.testing.sources.FakeGithub;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GithubVerifierTest {
    private static final String TOKEN = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";

    private final FakeGithub github = new FakeGithub(TOKEN, "octocat");
    private final CredentialVerifiers verifiers = TestVerifiers.with(Endpoints.defaults().withGithub(github.baseUrl()));

    @AfterEach
    void close() {
        github.close();
    }

    @Test
    void verifiesTheTokensOwnerWithGithubsHeaders() {
        Verification result = verifiers.github("OctoCat", TOKEN);

        assertThat(result).isEqualTo(new Verified("octocat", Map.of("login", "octocat", "user_id", 583231L,
                "name", "The Octocat", "scopes", List.of("repo", "read:org"))));
        RecordedRequest request = github.lastRequest();
        assertThat(request.path()).isEqualTo("/user");
        assertThat(request.header("authorization")).contains("Bearer " + TOKEN);
        assertThat(request.header("accept")).contains("application/vnd.github+json");
        assertThat(request.header("x-github-api-version")).contains("2022-11-28");
        assertThat(request.header("user-agent")).contains("Catchment");
    }

    @Test
    void aFineGrainedTokenHasNoScopes() {
        try (FakeGithub fineGrained = new FakeGithub(TOKEN, "octocat", 583231L, "The Octocat", Optional.empty())) {
            Verification result = TestVerifiers.with(Endpoints.defaults().withGithub(fineGrained.baseUrl()))
                    .github("octocat", TOKEN);

            assertThat(result).isInstanceOfSatisfying(Verified.class,
                    verified -> assertThat(verified.metadata()).doesNotContainKey("scopes"));
        }
    }

    @Test
    void refusesATokenOfAnotherUser() {
        assertThat(verifiers.github("hubot", TOKEN)).isEqualTo(
                new Refused("The GitHub access token belongs to 'octocat', not to 'hubot'."));
    }

    @Test
    void refusesABadTokenWithGithubsReason() {
        String wrong = "ghp_revokedrevokedrevokedrevoked0000";

        assertThat(verifiers.github("octocat", wrong)).isInstanceOfSatisfying(Refused.class, refused ->
                assertThat(refused.message()).contains("Bad credentials").doesNotContain(wrong));
    }

    @Test
    void anExhaustedRateLimitIsUnreachable() {
        github.failNext(FakeGithub.rateLimitExceeded());

        assertThat(verifiers.github("octocat", TOKEN)).isInstanceOfSatisfying(Unreachable.class,
                unreachable -> assertThat(unreachable.message()).contains("rate limit"));
    }

    @Test
    void refusesMissingInputWithoutSendingAnything() {
        assertThat(verifiers.github(null, TOKEN)).isEqualTo(new Refused("username is required"));
        assertThat(verifiers.github("octocat", "")).isEqualTo(new Refused("access_token is required"));
        assertThat(github.requests()).isEmpty();
    }
}
