package io.catchment.connector.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.connector.credentials.CredentialVerifiers.Endpoints;
import io.catchment.connector.credentials.Verification.Refused;
import io.catchment.connector.credentials.Verification.Unreachable;
import io.catchment.connector.credentials.Verification.Verified;
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.models.RecordedRequest;
import io.catchment.testing.sources.FakeFreshdesk;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class FreshdeskVerifierTest {
    private static final String KEY = "Xq3vT9mZk2LpR7sWnB4c";

    private final FakeFreshdesk freshdesk = new FakeFreshdesk(KEY, 47000123456L, "ada@acme.example", "Ada Agent");
    private final CredentialVerifiers verifiers =
            TestVerifiers.with(Endpoints.defaults().withFreshdesk(freshdesk.baseUrl().toString()));

    @AfterEach
    void close() {
        freshdesk.close();
    }

    @Test
    void verifiesTheKeyAsTheAgentItBelongsTo() {
        Verification result = verifiers.freshdesk("acme", KEY);

        assertThat(result).isEqualTo(new Verified("acme.freshdesk.com", Map.of("domain", "acme.freshdesk.com",
                "agent_id", 47000123456L, "agent_email", "ada@acme.example", "agent_name", "Ada Agent")));
        RecordedRequest request = freshdesk.lastRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/api/v2/agents/me");
        assertThat(request.header("authorization")).contains("Basic "
                + Base64.getEncoder().encodeToString((KEY + ":X").getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"acme.freshdesk.com", "https://acme.freshdesk.com/", "ACME", " http://Acme.Freshdesk.com// "})
    void acceptsTheDomainAsLabelHostOrUrl(String domain) {
        assertThat(verifiers.freshdesk(domain, KEY)).isInstanceOfSatisfying(Verified.class,
                verified -> assertThat(verified.externalId()).isEqualTo("acme.freshdesk.com"));
    }

    @Test
    void refusesAWrongKeyWithFreshdesksReasonAndWithoutTheKey() {
        String wrong = "WrongKey1234567890ab";

        Verification result = verifiers.freshdesk("acme", wrong);

        assertThat(result).isInstanceOfSatisfying(Refused.class, refused -> assertThat(refused.message())
                .contains("did not accept the API key for acme.freshdesk.com")
                .contains("You have to be logged in to perform this action")
                .doesNotContain(wrong).doesNotContain(KEY));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"evil.example/x", "acme.freshdesk.com.evil.example", "acme@evil.example", "a b", "-acme",
            "acme:8080", "127.0.0.1", "acme.other.freshdesk.com", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void refusesADomainThatIsNotOneLabelWithoutSendingAnything(String domain) {
        assertThat(verifiers.freshdesk(domain, KEY)).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.message()).startsWith("domain "));
        assertThat(freshdesk.requests()).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"key with space", "key\r\nX-Injected: 1", "ключ"})
    void refusesAKeyThatCannotBeAKeyWithoutSendingAnything(String key) {
        assertThat(verifiers.freshdesk("acme", key)).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.message()).startsWith("api_key "));
        assertThat(freshdesk.requests()).isEmpty();
    }

    @Test
    void aHelpdeskThatDoesNotExistIsRefused() {
        freshdesk.failNext(Reply.json(404, Map.of("code", "not_found", "message", "Account not found")));

        assertThat(verifiers.freshdesk("acme", KEY)).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.message()).contains("no Freshdesk helpdesk at acme.freshdesk.com"));
    }

    @Test
    void aDomainWhoseNameDoesNotResolveIsRefused() {
        CredentialVerifiers nowhere = TestVerifiers.with(Endpoints.defaults().withFreshdesk("http://{domain}.invalid"));

        assertThat(nowhere.freshdesk("acme", KEY)).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.message()).contains("no Freshdesk helpdesk at acme.freshdesk.com")
                        .contains("does not resolve"));
    }

    @Test
    void serverErrorsAndRateLimitsAreUnreachable() {
        freshdesk.failNext(Reply.json(503, Map.of("message", "Service Unavailable")),
                Reply.json(429, Map.of("message", "You have exceeded the limit of requests per minute"))
                        .withHeader("Retry-After", "17"));

        assertThat(verifiers.freshdesk("acme", KEY)).isInstanceOfSatisfying(Unreachable.class,
                unreachable -> assertThat(unreachable.message()).contains("HTTP 503"));
        assertThat(verifiers.freshdesk("acme", KEY)).isInstanceOfSatisfying(Unreachable.class,
                unreachable -> assertThat(unreachable.message()).contains("HTTP 429").contains("retry after 17 s"));
    }

    @Test
    void aRedirectIsNotFollowedAndRefused() {
        freshdesk.failNext(new Reply(302, Map.of("Location", "https://freshdesk.example/signup"), ""));

        assertThat(verifiers.freshdesk("acme", KEY)).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.message()).contains("redirect"));
        assertThat(freshdesk.requests()).hasSize(1);
    }

    @Test
    void anAnswerThatIsNotTheApiIsUnreachable() {
        freshdesk.failNext(new Reply(200, Map.of("Content-Type", "text/html"), "<html>Maintenance</html>"));

        assertThat(verifiers.freshdesk("acme", KEY)).isInstanceOf(Unreachable.class);
    }

    @Test
    void noAnswerInTimeIsUnreachable() {
        freshdesk.delayEachAnswer(2_000);

        assertThat(verifiers.withTimeout(Duration.ofMillis(200)).freshdesk("acme", KEY))
                .isInstanceOfSatisfying(Unreachable.class,
                        unreachable -> assertThat(unreachable.message()).contains("no answer within 200 ms"));
    }

    @Test
    void aClosedPortIsUnreachable() {
        FakeFreshdesk gone = new FakeFreshdesk(KEY);
        String url = gone.baseUrl().toString();
        gone.close();

        assertThat(TestVerifiers.with(Endpoints.defaults().withFreshdesk(url)).freshdesk("acme", KEY))
                .isInstanceOfSatisfying(Unreachable.class,
                        unreachable -> assertThat(unreachable.message()).contains("could not connect"));
    }
}
