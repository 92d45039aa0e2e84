package io.catchment.oauth;

import static io.catchment.oauth.TokenTestSpecs.APP;
import static io.catchment.oauth.TokenTestSpecs.REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.catchment.oauth.ProviderSpec.BodyFormat;
import io.catchment.oauth.ProviderSpec.ClientAuth;
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.models.RecordedRequest;
import io.catchment.testing.oauth.FakeOAuthProvider;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenClientTest {
    private static final Instant NOW = Instant.parse("2030-03-04T05:06:07Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final HttpClient http = HttpClient.newHttpClient();
    private final TokenClient client = new TokenClient(http, CLOCK, Duration.ofSeconds(5),
            List.of(Duration.ofMillis(5), Duration.ofMillis(10)));
    private final List<FakeOAuthProvider> fakes = new ArrayList<>();

    @AfterEach
    void stop() {
        fakes.forEach(FakeOAuthProvider::close);
    }

    private FakeOAuthProvider fake(String service) {
        FakeOAuthProvider fake = new FakeOAuthProvider(service, APP.clientId(), APP.clientSecret());
        fakes.add(fake);
        return fake;
    }

    private static ProviderSpec spec(FakeOAuthProvider fake) {
        return TokenTestSpecs.spec(OAuthService.valueOf(fake.service()), fake.urls());
    }

    /** The browser's consent: the code the callback brought. */
    private static String consent(FakeOAuthProvider fake, ProviderSpec spec, TemplateValues values, Optional<Pkce> pkce) {
        assertThat(pkce.isPresent() && !spec.pkce()).as("the catalogue sends no PKCE for " + spec.service()).isFalse();
        String callback = fake.authorize(TokenTestSpecs.authorizeUrl(spec, values, "state-1", pkce));
        Map<String, String> q = TokenTestSpecs.query(callback);
        assertThat(q).containsEntry("state", "state-1").containsKey("code");
        return q.get("code");
    }

    private static RecordedRequest lastTokenRequest(FakeOAuthProvider fake, String pathEnd) {
        return fake.requests().stream().filter(r -> r.method().equals("POST") && r.path().endsWith(pathEnd))
                .reduce((a, b) -> b).orElseThrow();
    }

    private static String basicOf(ClientApp app) {
        return "Basic " + Base64.getEncoder().encodeToString((app.clientId() + ":" + app.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- per family

    @Test
    void google_exchange_sends_a_form_with_body_credentials_and_the_pkce_verifier() throws Exception {
        FakeOAuthProvider fake = fake("GOOGLE_DRIVE");
        ProviderSpec spec = spec(fake);
        Pkce pkce = Pkce.generate();
        String code = consent(fake, spec, TemplateValues.NONE, Optional.of(pkce));

        TokenSet tokens = client.exchangeCode(spec, APP, TemplateValues.NONE, code, REDIRECT, Optional.of(pkce.verifier()));

        assertThat(tokens.accessToken()).startsWith("ya29.");
        assertThat(fake.isValidAccessToken(tokens.accessToken())).isTrue();
        assertThat(tokens.refreshToken()).isPresent();
        assertThat(tokens.expiresAt()).contains(NOW.plusSeconds(3599));
        assertThat(tokens.scope()).contains("https://www.googleapis.com/auth/drive.readonly openid email");
        RecordedRequest sent = lastTokenRequest(fake, "/token");
        assertThat(sent.header("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/x-www-form-urlencoded"));
        assertThat(sent.header("authorization")).isEmpty();
        assertThat(sent.form()).containsEntry("grant_type", "authorization_code").containsEntry("code", code)
                .containsEntry("redirect_uri", REDIRECT).containsEntry("client_id", APP.clientId())
                .containsEntry("client_secret", APP.clientSecret()).containsEntry("code_verifier", pkce.verifier());
    }

    @Test
    void google_refresh_is_stable_so_the_caller_keeps_its_refresh_token() throws Exception {
        FakeOAuthProvider fake = fake("GMAIL");
        ProviderSpec spec = spec(fake);
        TokenSet first = client.exchangeCode(spec, APP, TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE,
                Optional.empty()), REDIRECT, Optional.empty());

        TokenSet refreshed = client.refresh(spec, APP, TemplateValues.NONE, first.refreshToken().orElseThrow());
        TokenSet again = client.refresh(spec, APP, TemplateValues.NONE, first.refreshToken().orElseThrow());

        assertThat(refreshed.refreshToken()).isEmpty();
        assertThat(refreshed.keepingRefreshToken(first.refreshToken()).refreshToken()).isEqualTo(first.refreshToken());
        assertThat(refreshed.accessToken()).isNotEqualTo(first.accessToken());
        assertThat(again.accessToken()).isNotEqualTo(refreshed.accessToken());
        assertThat(fake.refreshRequests()).isEqualTo(2);
        assertThat(lastTokenRequest(fake, "/token").form()).containsEntry("grant_type", "refresh_token")
                .containsEntry("refresh_token", first.refreshToken().get());
    }

    @Test
    void microsoft_puts_the_tenant_in_the_token_url_and_common_by_default() throws Exception {
        FakeOAuthProvider fake = fake("SHAREPOINT");
        ProviderSpec spec = spec(fake);
        TemplateValues contoso = TemplateValues.NONE.with("tenant", "contoso.onmicrosoft.com");

        TokenSet tokens = client.exchangeCode(spec, APP, contoso, consent(fake, spec, contoso, Optional.empty()), REDIRECT,
                Optional.empty());
        assertThat(lastTokenRequest(fake, "/token").path()).isEqualTo("/contoso.onmicrosoft.com/oauth2/v2.0/token");

        client.exchangeCode(spec, APP, TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE, Optional.empty()),
                REDIRECT, Optional.empty());
        assertThat(lastTokenRequest(fake, "/token").path()).isEqualTo("/common/oauth2/v2.0/token");

        // Microsoft rotates: the new refresh token replaces the old, which stops working.
        TokenSet refreshed = client.refresh(spec, APP, contoso, tokens.refreshToken().orElseThrow());
        assertThat(refreshed.refreshToken()).isPresent().isNotEqualTo(tokens.refreshToken());
        OAuthException reused = catchThrowableOfType(OAuthException.class,
                () -> client.refresh(spec, APP, contoso, tokens.refreshToken().get()));
        assertThat(reused.kind()).isEqualTo(OAuthException.Kind.INVALID_GRANT);
    }

    @Test
    void notion_sends_json_with_basic_credentials_and_keeps_the_workspace_fields() throws Exception {
        FakeOAuthProvider fake = fake("NOTION").organization("ws-77", "Research").account("u-5", "grace@example.com", "Grace");
        ProviderSpec spec = spec(fake);

        TokenSet tokens = client.exchangeCode(spec, APP, TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE,
                Optional.empty()), REDIRECT, Optional.empty());

        RecordedRequest sent = lastTokenRequest(fake, "/v1/oauth/token");
        assertThat(sent.header("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(sent.header("authorization")).contains(basicOf(APP));
        assertThat(sent.json().path("grant_type").asText()).isEqualTo("authorization_code");
        assertThat(sent.json().path("redirect_uri").asText()).isEqualTo(REDIRECT);
        assertThat(sent.json().has("client_secret")).isFalse();
        assertThat(tokens.expiresAt()).isEmpty();
        assertThat(tokens.response().path("workspace_id").asText()).isEqualTo("ws-77");
        assertThat(tokens.response().path("workspace_name").asText()).isEqualTo("Research");
        assertThat(tokens.response().at("/owner/user/person/email").asText()).isEqualTo("grace@example.com");
    }

    @Test
    void notion_refuses_credentials_in_the_body_and_a_form() throws Exception {
        FakeOAuthProvider fake = fake("NOTION");
        ProviderSpec spec = spec(fake);
        ProviderSpec wrongAuth = TokenTestSpecs.withWire(spec, ClientAuth.BODY, BodyFormat.JSON);
        ProviderSpec wrongBody = TokenTestSpecs.withWire(spec, ClientAuth.BASIC, BodyFormat.FORM);

        OAuthException auth = catchThrowableOfType(OAuthException.class, () -> client.exchangeCode(wrongAuth, APP,
                TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE, Optional.empty()), REDIRECT, Optional.empty()));
        OAuthException body = catchThrowableOfType(OAuthException.class, () -> client.exchangeCode(wrongBody, APP,
                TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE, Optional.empty()), REDIRECT, Optional.empty()));

        assertThat(auth.kind()).isEqualTo(OAuthException.Kind.INVALID_CLIENT);
        assertThat(auth.status()).hasValue(401);
        assertThat(auth.getMessage()).contains("Notion token endpoint").doesNotContain(APP.clientSecret());
        assertThat(body.kind()).isEqualTo(OAuthException.Kind.PROVIDER_ERROR);
        assertThat(body.providerError()).contains("invalid_request");
    }

    @Test
    void slack_user_scope_install_takes_the_token_from_authed_user() throws Exception {
        FakeOAuthProvider fake = fake("SLACK").organization("T042", "Acme").account("U0USER", "ada@example.com", "Ada");
        ProviderSpec spec = spec(fake); // scopes go in user_scope only

        TokenSet tokens = client.exchangeCode(spec, APP, TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE,
                Optional.empty()), REDIRECT, Optional.empty());

        assertThat(tokens.response().has("access_token")).isFalse();
        assertThat(tokens.accessToken()).startsWith("xoxp-")
                .isEqualTo(tokens.response().at("/authed_user/access_token").asText());
        assertThat(tokens.scope()).contains(String.join(",", spec.defaultScopes()));
        assertThat(tokens.refreshToken()).isEmpty();
        assertThat(tokens.expiresAt()).isEmpty();
        assertThat(tokens.response().at("/team/id").asText()).isEqualTo("T042");
        assertThat(lastTokenRequest(fake, "/api/oauth.v2.access").header("authorization")).contains(basicOf(APP));
        assertThat(tokens.responseWithoutSecrets().toString()).doesNotContain(tokens.accessToken());
    }

    @Test
    void slack_bot_install_takes_the_top_level_bot_token() throws Exception {
        FakeOAuthProvider fake = fake("SLACK");
        ProviderSpec spec = TokenTestSpecs.withScopes(spec(fake), "scope", List.of("channels:read", "users:read"));

        TokenSet tokens = client.exchangeCode(spec, APP, TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE,
                Optional.empty()), REDIRECT, Optional.empty());

        assertThat(tokens.accessToken()).startsWith("xoxb-");
        assertThat(tokens.response().path("bot_user_id").asText()).isNotEmpty();
    }

    @Test
    void slack_errors_come_as_http_200_with_ok_false() throws Exception {
        FakeOAuthProvider fake = fake("SLACK");
        ProviderSpec spec = spec(fake);
        String code = consent(fake, spec, TemplateValues.NONE, Optional.empty());
        client.exchangeCode(spec, APP, TemplateValues.NONE, code, REDIRECT, Optional.empty());

        OAuthException reused = catchThrowableOfType(OAuthException.class,
                () -> client.exchangeCode(spec, APP, TemplateValues.NONE, code, REDIRECT, Optional.empty()));
        OAuthException badSecret = catchThrowableOfType(OAuthException.class, () -> client.exchangeCode(spec,
                new ClientApp(APP.clientId(), "not-the-secret"), TemplateValues.NONE,
                consent(fake, spec, TemplateValues.NONE, Optional.empty()), REDIRECT, Optional.empty()));

        assertThat(reused.kind()).isEqualTo(OAuthException.Kind.INVALID_GRANT);
        assertThat(reused.providerError()).contains("invalid_code");
        assertThat(reused.status()).hasValue(200);
        assertThat(reused.getMessage()).doesNotContain(code);
        assertThat(badSecret.kind()).isEqualTo(OAuthException.Kind.INVALID_CLIENT);
        assertThat(badSecret.providerError()).contains("bad_client_secret");
    }

    @Test
    void slack_with_token_rotation_refreshes_the_user_token() throws Exception {
        FakeOAuthProvider fake = fake("SLACK").tokenLifetimeSeconds(43200);
        ProviderSpec spec = spec(fake);

        TokenSet tokens = client.exchangeCode(spec, APP, TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE,
                Optional.empty()), REDIRECT, Optional.empty());
        assertThat(tokens.refreshToken()).hasValueSatisfying(r -> assertThat(r).startsWith("xoxe-1-"));
        assertThat(tokens.expiresAt()).contains(NOW.plusSeconds(43200));

        TokenSet refreshed = client.refresh(spec, APP, TemplateValues.NONE, tokens.refreshToken().get());
        assertThat(refreshed.accessToken()).startsWith("xoxe.xoxp-1-");
        assertThat(refreshed.refreshToken()).isPresent().isNotEqualTo(tokens.refreshToken());
        assertThat(fake.isValidAccessToken(refreshed.accessToken())).isTrue();
    }

    @Test
    void salesforce_has_no_expiry_and_names_its_instance() throws Exception {
        FakeOAuthProvider fake = fake("SALESFORCE").organization("00D5e000000XyZ", "Acme");
        ProviderSpec spec = spec(fake);
        TemplateValues sandbox = TemplateValues.NONE.with("domain", "test");
        Pkce pkce = Pkce.generate();

        TokenSet tokens = client.exchangeCode(spec, APP, sandbox, consent(fake, spec, sandbox, Optional.of(pkce)), REDIRECT,
                Optional.of(pkce.verifier()));

        assertThat(lastTokenRequest(fake, "/token").path()).isEqualTo("/test/services/oauth2/token");
        assertThat(tokens.expiresAt()).isEmpty();
        assertThat(tokens.response().path("instance_url").asText()).isEqualTo(fake.baseUrl().toString());
        assertThat(tokens.response().path("id").asText()).endsWith("/id/00D5e000000XyZ/10001");
        assertThat(tokens.refreshToken()).isPresent();

        TokenSet refreshed = client.refresh(spec, APP, sandbox, tokens.refreshToken().get());
        assertThat(refreshed.refreshToken()).isEmpty();
        assertThat(refreshed.expiresAt()).isEmpty();
    }

    @Test
    void gong_uses_basic_credentials_and_returns_the_customer_api_base() throws Exception {
        FakeOAuthProvider fake = fake("GONG");
        ProviderSpec spec = spec(fake);

        TokenSet tokens = client.exchangeCode(spec, APP, TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE,
                Optional.empty()), REDIRECT, Optional.empty());

        RecordedRequest sent = lastTokenRequest(fake, "/oauth2/generate-customer-token");
        assertThat(sent.header("authorization")).contains(basicOf(APP));
        assertThat(sent.form()).containsEntry("client_id", APP.clientId()).doesNotContainKey("client_secret");
        assertThat(tokens.response().path("api_base_url_for_customer").asText()).isEqualTo(fake.baseUrl().toString());
        assertThat(tokens.expiresAt()).contains(NOW.plusSeconds(86400));
    }

    @Test
    void intercom_token_field_stands_in_for_access_token() throws Exception {
        FakeOAuthProvider fake = fake("INTERCOM").tokenFieldOnly();
        ProviderSpec spec = spec(fake);

        TokenSet tokens = client.exchangeCode(spec, APP, TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE,
                Optional.empty()), REDIRECT, Optional.empty());

        assertThat(tokens.response().has("access_token")).isFalse();
        assertThat(tokens.accessToken()).isEqualTo(tokens.response().path("token").asText());
        assertThat(fake.isValidAccessToken(tokens.accessToken())).isTrue();
        assertThat(tokens.refreshToken()).isEmpty();
        assertThat(tokens.expiresAt()).isEmpty();
        // Intercom tokens cannot be refreshed.
        OAuthException refresh = catchThrowableOfType(OAuthException.class,
                () -> client.refresh(spec, APP, TemplateValues.NONE, "anything"));
        assertThat(refresh.kind()).isEqualTo(OAuthException.Kind.PROVIDER_ERROR);
        assertThat(refresh.providerError()).contains("unsupported_grant_type");
    }

    @Test
    void dropbox_offline_access_gives_a_long_lived_refresh_token_that_does_not_rotate() throws Exception {
        FakeOAuthProvider fake = fake("DROPBOX");
        ProviderSpec spec = spec(fake);
        Pkce pkce = Pkce.generate();

        TokenSet tokens = client.exchangeCode(spec, APP, TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE,
                Optional.of(pkce)), REDIRECT, Optional.of(pkce.verifier()));
        assertThat(tokens.accessToken()).startsWith("sl.");
        assertThat(tokens.expiresAt()).contains(NOW.plusSeconds(14400));

        TokenSet first = client.refresh(spec, APP, TemplateValues.NONE, tokens.refreshToken().orElseThrow());
        TokenSet second = client.refresh(spec, APP, TemplateValues.NONE, tokens.refreshToken().get());
        assertThat(first.refreshToken()).isEmpty();
        assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
    }

    @Test
    void box_refresh_tokens_work_once() throws Exception {
        FakeOAuthProvider fake = fake("BOX");
        ProviderSpec spec = spec(fake);
        TokenSet tokens = client.exchangeCode(spec, APP, TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE,
                Optional.empty()), REDIRECT, Optional.empty());

        TokenSet refreshed = client.refresh(spec, APP, TemplateValues.NONE, tokens.refreshToken().orElseThrow());
        OAuthException reused = catchThrowableOfType(OAuthException.class,
                () -> client.refresh(spec, APP, TemplateValues.NONE, tokens.refreshToken().get()));
        TokenSet next = client.refresh(spec, APP, TemplateValues.NONE, refreshed.refreshToken().orElseThrow());

        assertThat(reused.kind()).isEqualTo(OAuthException.Kind.INVALID_GRANT);
        assertThat(reused.getMessage()).doesNotContain(tokens.refreshToken().get());
        assertThat(next.refreshToken()).isPresent().isNotEqualTo(refreshed.refreshToken());
        assertThat(lastTokenRequest(fake, "/oauth2/token").form()).containsEntry("client_secret", APP.clientSecret());
    }

    @Test
    void zendesk_fills_the_subdomain_and_names_the_scope_in_a_form_or_json() throws Exception {
        FakeOAuthProvider fake = fake("ZENDESK");
        ProviderSpec spec = spec(fake);
        TemplateValues acme = TemplateValues.NONE.with("subdomain", "acme");
        Pkce pkce = Pkce.generate();

        TokenSet tokens = client.exchangeCode(spec, APP, acme, consent(fake, spec, acme, Optional.of(pkce)), REDIRECT,
                Optional.of(pkce.verifier()));

        RecordedRequest sent = lastTokenRequest(fake, "/oauth/tokens");
        assertThat(sent.path()).isEqualTo("/acme/oauth/tokens");
        assertThat(sent.form()).containsEntry("scope", "read").containsEntry("client_id", APP.clientId())
                .containsEntry("code_verifier", pkce.verifier());
        assertThat(tokens.refreshToken()).isPresent();
        assertThat(tokens.expiresAt()).contains(NOW.plusSeconds(1800));

        ProviderSpec json = TokenTestSpecs.withWire(spec, ClientAuth.BODY, BodyFormat.JSON);
        Pkce second = Pkce.generate();
        client.exchangeCode(json, APP, acme, consent(fake, json, acme, Optional.of(second)), REDIRECT,
                Optional.of(second.verifier()));
        assertThat(lastTokenRequest(fake, "/oauth/tokens").json().path("scope").asText()).isEqualTo("read");
    }

    @Test
    void servicenow_fills_the_instance_and_echoes_its_refresh_token() throws Exception {
        FakeOAuthProvider fake = fake("SERVICENOW");
        ProviderSpec spec = spec(fake);
        TemplateValues instance = TemplateValues.NONE.with("instance", "dev12345");

        TokenSet tokens = client.exchangeCode(spec, APP, instance, consent(fake, spec, instance, Optional.empty()),
                REDIRECT, Optional.empty());
        assertThat(lastTokenRequest(fake, "/oauth_token.do").path()).isEqualTo("/dev12345/oauth_token.do");

        TokenSet refreshed = client.refresh(spec, APP, instance, tokens.refreshToken().orElseThrow());
        assertThat(refreshed.refreshToken()).isEqualTo(tokens.refreshToken());
    }

    @Test
    void confluence_takes_json_or_form_and_rotates() throws Exception {
        FakeOAuthProvider fake = fake("CONFLUENCE");
        ProviderSpec json = spec(fake);
        ProviderSpec form = TokenTestSpecs.withWire(json, ClientAuth.BODY, BodyFormat.FORM);

        TokenSet viaJson = client.exchangeCode(json, APP, TemplateValues.NONE, consent(fake, json, TemplateValues.NONE,
                Optional.empty()), REDIRECT, Optional.empty());
        assertThat(lastTokenRequest(fake, "/oauth/token").json().path("client_secret").asText()).isEqualTo(APP.clientSecret());
        TokenSet viaForm = client.exchangeCode(form, APP, TemplateValues.NONE, consent(fake, form, TemplateValues.NONE,
                Optional.empty()), REDIRECT, Optional.empty());
        assertThat(lastTokenRequest(fake, "/oauth/token").form()).containsEntry("client_secret", APP.clientSecret());

        assertThat(viaJson.refreshToken()).isPresent();
        assertThat(viaForm.refreshToken()).isPresent();
        TokenSet refreshed = client.refresh(json, APP, TemplateValues.NONE, viaJson.refreshToken().get());
        assertThat(refreshed.refreshToken()).isPresent().isNotEqualTo(viaJson.refreshToken());
    }

    // ---------------------------------------------------------------- failures

    @Test
    void a_code_works_once() throws Exception {
        FakeOAuthProvider fake = fake("BOX");
        ProviderSpec spec = spec(fake);
        String code = consent(fake, spec, TemplateValues.NONE, Optional.empty());
        client.exchangeCode(spec, APP, TemplateValues.NONE, code, REDIRECT, Optional.empty());

        OAuthException again = catchThrowableOfType(OAuthException.class,
                () -> client.exchangeCode(spec, APP, TemplateValues.NONE, code, REDIRECT, Optional.empty()));

        assertThat(again.kind()).isEqualTo(OAuthException.Kind.INVALID_GRANT);
        assertThat(again.providerError()).contains("invalid_grant");
        assertThat(again.status()).hasValue(400);
        assertThat(again.getMessage()).contains("Box token endpoint (code exchange)").doesNotContain(code);
    }

    @Test
    void a_wrong_pkce_verifier_or_redirect_uri_is_refused() throws Exception {
        FakeOAuthProvider fake = fake("GOOGLE_DRIVE");
        ProviderSpec spec = spec(fake);

        OAuthException verifier = catchThrowableOfType(OAuthException.class, () -> client.exchangeCode(spec, APP,
                TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE, Optional.of(Pkce.generate())), REDIRECT,
                Optional.of(Pkce.generate().verifier())));
        OAuthException redirect = catchThrowableOfType(OAuthException.class, () -> client.exchangeCode(spec, APP,
                TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE, Optional.empty()),
                "https://elsewhere.example.com/cb", Optional.empty()));

        assertThat(verifier.kind()).isEqualTo(OAuthException.Kind.INVALID_GRANT);
        assertThat(redirect.providerError()).contains("redirect_uri_mismatch");
        assertThat(redirect.kind()).isEqualTo(OAuthException.Kind.PROVIDER_ERROR);
    }

    @Test
    void revoked_refresh_tokens_are_invalid_grant() throws Exception {
        FakeOAuthProvider fake = fake("ZENDESK");
        ProviderSpec spec = spec(fake);
        TemplateValues acme = TemplateValues.NONE.with("subdomain", "acme");
        TokenSet tokens = client.exchangeCode(spec, APP, acme, consent(fake, spec, acme, Optional.empty()), REDIRECT,
                Optional.empty());
        fake.revokeRefreshTokens();

        OAuthException e = catchThrowableOfType(OAuthException.class,
                () -> client.refresh(spec, APP, acme, tokens.refreshToken().orElseThrow()));

        assertThat(e.kind()).isEqualTo(OAuthException.Kind.INVALID_GRANT);
    }

    @Test
    void rate_limits_are_reported_with_retry_after_and_not_retried() throws Exception {
        FakeOAuthProvider fake = fake("DROPBOX");
        ProviderSpec spec = spec(fake);
        fake.failNext(Reply.json(429, Map.of("error_summary", "too_many_requests/..", "error",
                Map.of("reason", Map.of(".tag", "too_many_requests"), "retry_after", 7))).withHeader("Retry-After", "7"));
        int before = fake.requests().size();

        OAuthException e = catchThrowableOfType(OAuthException.class,
                () -> client.refresh(spec, APP, TemplateValues.NONE, "any-refresh-token"));

        assertThat(e.kind()).isEqualTo(OAuthException.Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(fake.requests().size() - before).isEqualTo(1);
    }

    @Test
    void server_errors_are_retried_then_reported_unreachable() throws Exception {
        FakeOAuthProvider fake = fake("BOX");
        ProviderSpec spec = spec(fake);
        TokenSet tokens = client.exchangeCode(spec, APP, TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE,
                Optional.empty()), REDIRECT, Optional.empty());
        Reply unavailable = Reply.json(503, Map.of("error", "temporarily_unavailable"));

        fake.failNext(unavailable);
        TokenSet afterOneFailure = client.refresh(spec, APP, TemplateValues.NONE, tokens.refreshToken().orElseThrow());
        assertThat(afterOneFailure.accessToken()).isNotBlank();

        fake.failNext(unavailable, unavailable, unavailable);
        int before = fake.requests().size();
        OAuthException e = catchThrowableOfType(OAuthException.class,
                () -> client.refresh(spec, APP, TemplateValues.NONE, afterOneFailure.refreshToken().orElseThrow()));
        assertThat(e.kind()).isEqualTo(OAuthException.Kind.UNREACHABLE);
        assertThat(e.getMessage()).contains("failed 3 times").contains("temporarily_unavailable");
        assertThat(fake.requests().size() - before).isEqualTo(3);
    }

    @Test
    void a_provider_that_cannot_be_reached_is_unreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ProviderSpec spec = TokenTestSpecs.spec(OAuthService.BOX, Map.of("authorize_url", "http://127.0.0.1:" + port + "/a",
                "token_url", "http://127.0.0.1:" + port + "/oauth2/token", "identity_url", "http://127.0.0.1:" + port + "/me",
                "api_base_url", "http://127.0.0.1:" + port));

        OAuthException e = catchThrowableOfType(OAuthException.class,
                () -> client.exchangeCode(spec, APP, TemplateValues.NONE, "code", REDIRECT, Optional.empty()));

        assertThat(e.kind()).isEqualTo(OAuthException.Kind.UNREACHABLE);
        assertThat(e.getMessage()).contains("could not reach it");
    }

    @Test
    void secrets_echoed_by_a_provider_never_reach_the_message() throws Exception {
        FakeOAuthProvider fake = fake("SALESFORCE");
        ProviderSpec spec = spec(fake);
        String refreshToken = "5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJ";
        fake.failNext(Reply.json(400, Map.of("error", "invalid_grant", "error_description",
                "expired refresh token " + refreshToken + " for client secret " + APP.clientSecret())));

        OAuthException e = catchThrowableOfType(OAuthException.class,
                () -> client.refresh(spec, APP, TemplateValues.NONE.with("domain", "login"), refreshToken));

        assertThat(e.kind()).isEqualTo(OAuthException.Kind.INVALID_GRANT);
        assertThat(e.getMessage()).contains("expired refresh token [redacted]").doesNotContain(refreshToken)
                .doesNotContain(APP.clientSecret());
    }

    @Test
    void an_answer_without_a_token_is_a_provider_error() throws Exception {
        FakeOAuthProvider fake = fake("BOX");
        ProviderSpec spec = spec(fake);
        fake.failNext(Reply.json(200, Map.of("token_type", "bearer")));

        OAuthException e = catchThrowableOfType(OAuthException.class,
                () -> client.refresh(spec, APP, TemplateValues.NONE, "rt"));

        assertThat(e.kind()).isEqualTo(OAuthException.Kind.PROVIDER_ERROR);
        assertThat(e.getMessage()).contains("without an access token");
    }

    // ---------------------------------------------------------------- revocation

    @Test
    void google_revocation_is_a_form_and_an_already_revoked_token_is_fine() throws Exception {
        FakeOAuthProvider fake = fake("GOOGLE_DRIVE");
        ProviderSpec spec = spec(fake);
        TokenSet tokens = client.exchangeCode(spec, APP, TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE,
                Optional.empty()), REDIRECT, Optional.empty());

        client.revoke(spec, APP, TemplateValues.NONE, tokens.refreshToken().orElseThrow());
        client.revoke(spec, APP, TemplateValues.NONE, tokens.refreshToken().get());

        assertThat(fake.revokedTokens()).containsExactly(tokens.refreshToken().get());
        assertThat(fake.isValidAccessToken(tokens.accessToken())).isFalse();
        assertThat(lastTokenRequest(fake, "/revoke").form()).containsEntry("token", tokens.refreshToken().get());
        OAuthException refresh = catchThrowableOfType(OAuthException.class,
                () -> client.refresh(spec, APP, TemplateValues.NONE, tokens.refreshToken().get()));
        assertThat(refresh.kind()).isEqualTo(OAuthException.Kind.INVALID_GRANT);
    }

    @Test
    void each_provider_revokes_in_its_own_style() throws Exception {
        Map<String, TemplateValues> services = Map.of("BOX", TemplateValues.NONE, "DROPBOX", TemplateValues.NONE,
                "NOTION", TemplateValues.NONE, "SLACK", TemplateValues.NONE,
                "ZENDESK", TemplateValues.NONE.with("subdomain", "acme"), "INTERCOM", TemplateValues.NONE,
                "SALESFORCE", TemplateValues.NONE.with("domain", "login"),
                "SERVICENOW", TemplateValues.NONE.with("instance", "dev1"));
        for (Map.Entry<String, TemplateValues> e : services.entrySet()) {
            FakeOAuthProvider fake = fake(e.getKey());
            ProviderSpec spec = spec(fake);
            if (spec.revokeUrl().isEmpty()) spec = TokenTestSpecs.withRevokeUrl(spec, fake.extraRevokeUrl());
            Optional<Pkce> pkce = spec.pkce() ? Optional.of(Pkce.generate()) : Optional.empty();
            TokenSet tokens = client.exchangeCode(spec, APP, e.getValue(), consent(fake, spec, e.getValue(), pkce),
                    REDIRECT, pkce.map(Pkce::verifier));

            client.revoke(spec, APP, e.getValue(), tokens.accessToken());

            assertThat(fake.revokedTokens()).as(e.getKey()).containsExactly(tokens.accessToken());
            assertThat(fake.isValidAccessToken(tokens.accessToken())).as(e.getKey()).isFalse();
            // A second revocation finds the token gone, which is what was asked.
            client.revoke(spec, APP, e.getValue(), tokens.accessToken());
        }
    }

    @Test
    void no_revoke_url_means_nothing_is_sent() throws Exception {
        FakeOAuthProvider fake = fake("ONEDRIVE");
        ProviderSpec spec = spec(fake);
        assertThat(spec.revokeUrl()).isEmpty();

        client.revoke(spec, APP, TemplateValues.NONE, "some-token");

        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void revocation_with_a_wrong_client_secret_fails() throws Exception {
        FakeOAuthProvider fake = fake("BOX");
        ProviderSpec spec = spec(fake);
        TokenSet tokens = client.exchangeCode(spec, APP, TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE,
                Optional.empty()), REDIRECT, Optional.empty());

        OAuthException e = catchThrowableOfType(OAuthException.class, () -> client.revoke(spec,
                new ClientApp(APP.clientId(), "wrong-secret"), TemplateValues.NONE, tokens.accessToken()));

        assertThat(e.kind()).isEqualTo(OAuthException.Kind.INVALID_CLIENT);
        assertThat(fake.revokedTokens()).isEmpty();
    }

    @Test
    void token_sets_do_not_print_their_tokens() throws Exception {
        FakeOAuthProvider fake = fake("BOX");
        ProviderSpec spec = spec(fake);
        TokenSet tokens = client.exchangeCode(spec, APP, TemplateValues.NONE, consent(fake, spec, TemplateValues.NONE,
                Optional.empty()), REDIRECT, Optional.empty());

        assertThat(tokens.toString()).doesNotContain(tokens.accessToken()).doesNotContain(tokens.refreshToken().orElseThrow())
                .contains("expiresAt=" + NOW.plusSeconds(3600));
        assertThat(tokens.responseWithoutSecrets().has("access_token")).isFalse();
        assertThat(tokens.responseWithoutSecrets().has("refresh_token")).isFalse();
        assertThat(tokens.responseWithoutSecrets().path("token_type").asText()).isEqualTo("bearer");
        assertThat(tokens.expiresWithin(Duration.ofMinutes(5), NOW.plusSeconds(3400))).isTrue();
        assertThat(tokens.expiresWithin(Duration.ofMinutes(5), NOW)).isFalse();
    }
}
