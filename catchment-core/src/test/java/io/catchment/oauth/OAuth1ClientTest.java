package io.catchment.oauth;

import static io.catchment.oauth.TokenTestSpecs.APP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.catchment.oauth.OAuth1Client.RequestToken;
import io.catchment.testing.oauth.FakeZoteroOAuth;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OAuth1ClientTest {
    private static final String CALLBACK = "https://catchment.example.com/integrations/zotero?state=s-1";

    private final HttpClient http = HttpClient.newHttpClient();
    private final OAuth1Client client = new OAuth1Client(http, new OAuth1Signer(), Duration.ofSeconds(5),
            List.of(Duration.ofMillis(5)));
    private FakeZoteroOAuth fake;
    private ProviderSpec spec;

    @BeforeEach
    void start() {
        fake = new FakeZoteroOAuth(APP.clientId(), APP.clientSecret()).account("475425", "ada");
        spec = TokenTestSpecs.spec(OAuthService.ZOTERO, fake.urls());
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    /** The browser at Zotero's authorize page: the verifier the callback brought. */
    private String consent(RequestToken requestToken) {
        String callback = fake.authorize(AuthorizeUrls.buildOAuth1(spec, requestToken.token(), TemplateValues.NONE).toString());
        assertThat(callback).startsWith(CALLBACK + "&");
        Map<String, String> q = TokenTestSpecs.query(callback);
        assertThat(q).containsEntry("oauth_token", requestToken.token()).containsEntry("state", "s-1");
        return q.get("oauth_verifier");
    }

    @Test
    void exchanges_a_request_token_for_a_zotero_key() throws Exception {
        RequestToken requestToken = client.requestToken(spec, APP, CALLBACK);
        String verifier = consent(requestToken);

        TokenSet key = client.accessToken(spec, APP, requestToken, verifier);

        assertThat(fake.issuedKeys()).containsExactly(key.accessToken());
        assertThat(key.response().path("userID").asText()).isEqualTo("475425");
        assertThat(key.response().path("username").asText()).isEqualTo("ada");
        assertThat(key.response().path("oauth_token").asText()).isEqualTo(key.accessToken());
        assertThat(key.refreshToken()).isEmpty();
        assertThat(key.expiresAt()).isEmpty();
        assertThat(fake.signatureFailures()).isZero();
        assertThat(fake.lastAuthorization()).containsEntry("library_access", "1").containsEntry("write_access", "0")
                .containsEntry("all_groups", "read");
        // Every signed call carried an OAuth header, and no secret travelled in the clear.
        assertThat(fake.requests()).filteredOn(r -> r.method().equals("POST")).allSatisfy(r -> {
            assertThat(r.header("authorization")).hasValueSatisfying(h -> assertThat(h).startsWith("OAuth "));
            assertThat(r.header("authorization").get()).doesNotContain(APP.clientSecret())
                    .doesNotContain(requestToken.secret());
        });
        assertThat(fake.requests().get(0).header("authorization").get()).contains("oauth_callback=");
        assertThat(fake.lastRequest().header("authorization").get()).contains("oauth_verifier=\"" + verifier + "\"");

        AccountIdentity account = new IdentityClient(http).identify(spec, TemplateValues.NONE, key, Map.of());
        assertThat(account.externalId()).isEqualTo("475425");
        assertThat(account.name()).contains("ada");
    }

    @Test
    void a_wrong_consumer_secret_fails_the_signature() {
        OAuthException e = catchThrowableOfType(OAuthException.class,
                () -> client.requestToken(spec, new ClientApp(APP.clientId(), "not-the-secret"), CALLBACK));

        assertThat(e.kind()).isEqualTo(OAuthException.Kind.INVALID_CLIENT);
        assertThat(e.providerError()).contains("signature_invalid");
        assertThat(e.status()).hasValue(401);
        assertThat(e.getMessage()).contains("Zotero request-token endpoint").doesNotContain("not-the-secret");
        assertThat(fake.signatureFailures()).isEqualTo(1);
    }

    @Test
    void an_unknown_consumer_key_is_refused() {
        OAuthException e = catchThrowableOfType(OAuthException.class,
                () -> client.requestToken(spec, new ClientApp("someone-else", APP.clientSecret()), CALLBACK));

        assertThat(e.kind()).isEqualTo(OAuthException.Kind.INVALID_CLIENT);
        assertThat(e.providerError()).contains("consumer_key_unknown");
    }

    @Test
    void the_access_token_call_is_signed_with_the_request_token_secret() throws Exception {
        RequestToken requestToken = client.requestToken(spec, APP, CALLBACK);
        String verifier = consent(requestToken);

        OAuthException e = catchThrowableOfType(OAuthException.class, () -> client.accessToken(spec, APP,
                new RequestToken(requestToken.token(), "a-different-secret"), verifier));

        assertThat(e.providerError()).contains("signature_invalid");
        assertThat(fake.issuedKeys()).isEmpty();
    }

    @Test
    void a_wrong_verifier_and_a_used_request_token_are_invalid_grants() throws Exception {
        RequestToken requestToken = client.requestToken(spec, APP, CALLBACK);
        String verifier = consent(requestToken);

        OAuthException wrong = catchThrowableOfType(OAuthException.class,
                () -> client.accessToken(spec, APP, requestToken, "not-the-verifier"));
        client.accessToken(spec, APP, requestToken, verifier);
        OAuthException reused = catchThrowableOfType(OAuthException.class,
                () -> client.accessToken(spec, APP, requestToken, verifier));

        assertThat(wrong.kind()).isEqualTo(OAuthException.Kind.INVALID_GRANT);
        assertThat(wrong.providerError()).contains("verifier_invalid");
        assertThat(reused.kind()).isEqualTo(OAuthException.Kind.INVALID_GRANT);
        assertThat(reused.providerError()).contains("token_rejected");
        assertThat(fake.issuedKeys()).hasSize(1);
    }

    @Test
    void a_replayed_nonce_is_refused() throws Exception {
        OAuth1Client sameNonce = new OAuth1Client(http, new OAuth1Signer(Clock.systemUTC(), () -> "n0nce"),
                Duration.ofSeconds(5), List.of());
        sameNonce.requestToken(spec, APP, CALLBACK);

        OAuthException e = catchThrowableOfType(OAuthException.class, () -> sameNonce.requestToken(spec, APP, CALLBACK));

        assertThat(e.providerError()).contains("nonce_used");
    }

    @Test
    void keys_are_revoked_by_deleting_them() throws Exception {
        RequestToken requestToken = client.requestToken(spec, APP, CALLBACK);
        TokenSet key = client.accessToken(spec, APP, requestToken, consent(requestToken));
        ProviderSpec revocable = TokenTestSpecs.withRevokeUrl(spec, Optional.of(fake.keyUrl()));
        TokenClient tokens = new TokenClient(http, Clock.systemUTC());

        tokens.revoke(revocable, APP, TemplateValues.NONE, key.accessToken());
        tokens.revoke(revocable, APP, TemplateValues.NONE, key.accessToken());

        assertThat(fake.revokedKeys()).containsExactly(key.accessToken());
        assertThat(fake.issuedKeys()).isEmpty();
        assertThat(fake.lastRequest().header("zotero-api-key")).contains(key.accessToken());
    }

    @Test
    void request_tokens_do_not_print_their_secret() throws Exception {
        RequestToken requestToken = client.requestToken(spec, APP, CALLBACK);

        assertThat(requestToken.toString()).contains(requestToken.token()).doesNotContain(requestToken.secret());
    }
}
