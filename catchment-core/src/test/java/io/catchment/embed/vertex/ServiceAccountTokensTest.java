package io.catchment.embed.vertex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.embed.EmbeddingException;
import io.catchment.embed.credentials.CredentialsJson;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.remote.JsonApiClient;
import io.catchment.embed.remote.RetryPolicy;
import io.catchment.json.Json;
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.models.FakeVertexAi;
import io.catchment.testing.models.RecordedRequest;
import io.catchment.testing.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceAccountTokensTest {
    private static final String PROJECT = "catchment-test-project";

    private FakeVertexAi fake;
    private MutableClock clock;
    private JsonApiClient client;

    @BeforeEach
    void start() {
        fake = new FakeVertexAi(PROJECT, "us-central1");
        clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
        fake.clock(clock);
        client = new JsonApiClient(RetryPolicy.defaults().withMaxAttempts(3), duration -> { });
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private static ModelCredentials.ServiceAccount account(String keyFile) throws Exception {
        return CredentialsJson.serviceAccount(Json.read(keyFile));
    }

    private ServiceAccountTokens tokens(String keyFile) throws Exception {
        return new ServiceAccountTokens(account(keyFile), "VERTEX_AI:test:token", client, clock);
    }

    private ServiceAccountTokens tokens() throws Exception {
        return tokens(fake.serviceAccountJson(PROJECT));
    }

    private static JsonNode part(String jwt, int index) {
        return Json.read(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]), StandardCharsets.UTF_8));
    }

    @Test
    void exchangesAnRs256JwtSignedWithTheKeyFilesKeyForAnAccessToken() throws Exception {
        String token = tokens().accessToken();

        assertThat(token).isEqualTo(fake.lastIssuedToken()).startsWith("ya29.");
        RecordedRequest request = fake.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/token");
        assertThat(request.header("content-type")).contains("application/x-www-form-urlencoded");
        assertThat(request.header("authorization")).isEmpty();
        Map<String, String> form = request.form();
        assertThat(form.keySet()).containsExactly("grant_type", "assertion");
        assertThat(form.get("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");

        String jwt = form.get("assertion");
        assertThat(jwt.split("\\.", -1)).hasSize(3);
        assertThat(jwt).doesNotContain("=", "+", "/");
        JsonNode header = part(jwt, 0);
        assertThat(header).isEqualTo(Json.read("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\""
                + fake.privateKeyId() + "\"}"));
        long now = clock.instant().getEpochSecond();
        JsonNode claims = part(jwt, 1);
        assertThat(claims).isEqualTo(Json.read("{\"iss\":\"" + fake.clientEmail() + "\","
                + "\"scope\":\"https://www.googleapis.com/auth/cloud-platform\",\"aud\":\"" + fake.tokenUrl() + "\","
                + "\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}"));

        // Checked here as well as by the fake: the signature is RS256 over "header.claims".
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(fake.publicKey());
        verifier.update(jwt.substring(0, jwt.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(Base64.getUrlDecoder().decode(jwt.split("\\.")[2]))).isTrue();
    }

    @Test
    void leavesOutKidWhenTheKeyFileHasNoPrivateKeyId() throws Exception {
        ModelCredentials.ServiceAccount full = account(fake.serviceAccountJson(PROJECT));
        ModelCredentials.ServiceAccount withoutId = new ModelCredentials.ServiceAccount(full.clientEmail(),
                full.privateKeyPem(), Optional.empty(), full.tokenUri());

        new ServiceAccountTokens(withoutId, "k", client, clock).accessToken();

        assertThat(part(fake.lastRequest().form().get("assertion"), 0))
                .isEqualTo(Json.read("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"));
    }

    @Test
    void reusesTheTokenUntilFiveMinutesBeforeItExpires() throws Exception {
        ServiceAccountTokens tokens = tokens();
        String first = tokens.accessToken();
        assertThat(tokens.accessToken()).isEqualTo(first);
        clock.advance(Duration.ofMinutes(54));
        assertThat(tokens.accessToken()).isEqualTo(first);
        assertThat(fake.tokenRequests()).isEqualTo(1);

        // expires_in is 3599 s: from 54:59 on it is too close to expiry.
        clock.advance(Duration.ofSeconds(60));
        String second = tokens.accessToken();

        assertThat(second).isNotEqualTo(first).isEqualTo(fake.lastIssuedToken());
        assertThat(fake.tokenRequests()).isEqualTo(2);
        assertThat(part(fake.lastRequest().form().get("assertion"), 1).get("iat").asLong())
                .isEqualTo(clock.instant().getEpochSecond());
        assertThat(tokens.accessToken()).isEqualTo(second);
        assertThat(fake.tokenRequests()).isEqualTo(2);
    }

    @Test
    void shortLivedTokensAreKeptForHalfTheirLifetime() throws Exception {
        fake.tokenLifetimeSeconds(60);
        ServiceAccountTokens tokens = tokens();
        String first = tokens.accessToken();

        clock.advance(Duration.ofSeconds(29));
        assertThat(tokens.accessToken()).isEqualTo(first);
        clock.advance(Duration.ofSeconds(2));
        assertThat(tokens.accessToken()).isNotEqualTo(first);
        assertThat(fake.tokenRequests()).isEqualTo(2);
    }

    @Test
    void parallelCallersCauseOneTokenRequest() throws Exception {
        ServiceAccountTokens tokens = tokens();
        // Slow answers keep the first request open while the others arrive.
        fake.delayEachAnswer(200);
        int callers = 16;
        CountDownLatch start = new CountDownLatch(1);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                done.add(pool.submit(() -> {
                    start.await();
                    seen.add(tokens.accessToken());
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get();
        }

        assertThat(fake.tokenRequests()).isEqualTo(1);
        assertThat(seen).containsExactly(fake.lastIssuedToken());
    }

    @Test
    void parallelCallersShareAFailureInsteadOfEachAskingAgain() throws Exception {
        ServiceAccountTokens tokens = tokens(fake.untrustedServiceAccountJson(PROJECT));
        fake.delayEachAnswer(200);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                done.add(pool.submit(() -> {
                    start.await();
                    return tokens.accessToken();
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                Throwable failure = catchThrowableOfType(ExecutionException.class, f::get).getCause();
                assertThat(failure).isInstanceOf(EmbeddingException.class);
                assertThat(((EmbeddingException) failure).retryable()).isFalse();
            }
        }
        assertThat(fake.tokenRequests()).isEqualTo(1);
    }

    @Test
    void invalidGrantFailsAtOnceWithGooglesDescriptionAndNoKeyMaterial() throws Exception {
        String keyFile = fake.untrustedServiceAccountJson(PROJECT);
        ModelCredentials.ServiceAccount account = account(keyFile);

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> new ServiceAccountTokens(account, "k", client, clock).accessToken());

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("HTTP 400", "Invalid JWT Signature.", fake.clientEmail());
        String keyBody = account.privateKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s+", "");
        for (int i = 0; i + 16 <= keyBody.length(); i += 16) {
            assertThat(e.getMessage()).doesNotContain(keyBody.substring(i, i + 16));
        }
        String assertion = fake.lastRequest().form().get("assertion");
        assertThat(e.getMessage()).doesNotContain(assertion.substring(assertion.lastIndexOf('.') + 1, assertion.lastIndexOf('.') + 20));
        assertThat(fake.tokenRequests()).isEqualTo(1);
    }

    @Test
    void assertionTimesAreJudgedByTheTokenEndpoint() throws Exception {
        // A host clock two hours behind: the assertion has already expired by Google's time.
        ServiceAccountTokens tokens = new ServiceAccountTokens(account(fake.serviceAccountJson(PROJECT)), "k", client,
                new MutableClock(clock.instant().minus(Duration.ofHours(2))));

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class, tokens::accessToken);

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("invalid_grant");
    }

    @Test
    void aKeyThatIsNotPkcs8FailsBeforeAnyRequestWithoutQuotingIt() throws Exception {
        String garbage = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbCBzZWNyZXRfc2VjcmV0\n-----END PRIVATE KEY-----\n";
        ModelCredentials.ServiceAccount bad = new ModelCredentials.ServiceAccount("x@p.iam.gserviceaccount.com",
                garbage, Optional.of("abc"), fake.tokenUrl());

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class,
                () -> new ServiceAccountTokens(bad, "k", client, clock).accessToken());

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("x@p.iam.gserviceaccount.com", "PKCS#8").doesNotContain("bm90IGEga2V5");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void invalidateDropsOnlyTheTokenItNames() throws Exception {
        ServiceAccountTokens tokens = tokens();
        String first = tokens.accessToken();

        tokens.invalidate(first);
        String second = tokens.accessToken();
        assertThat(second).isNotEqualTo(first);

        // A late report about the old token must not throw away its replacement.
        tokens.invalidate(first);
        assertThat(tokens.accessToken()).isEqualTo(second);
        assertThat(fake.tokenRequests()).isEqualTo(2);
    }

    @Test
    void anAnswerWithoutATokenIsAnError() throws Exception {
        fake.failNext(Reply.json(200, Map.of("token_type", "Bearer")));

        EmbeddingException e = catchThrowableOfType(EmbeddingException.class, tokens()::accessToken);

        assertThat(e.getMessage()).contains("without a usable bearer token");
    }
}
