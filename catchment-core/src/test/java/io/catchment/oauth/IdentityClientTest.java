package io.catchment.oauth;

import static io.catchment.oauth.TokenTestSpecs.APP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import io.catchment.oauth.ProviderSpec.IdentitySpec;
import io.catchment.oauth.ProviderSpec.IdentitySpec.Source;
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.models.RecordedRequest;
import io.catchment.testing.oauth.FakeOAuthProvider;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdentityClientTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final TokenClient tokens = new TokenClient(http, Clock.systemUTC(), Duration.ofSeconds(5),
            List.of(Duration.ofMillis(5), Duration.ofMillis(10)));
    private final IdentityClient identity = new IdentityClient(http, Duration.ofSeconds(5),
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

    private TokenSet connect(FakeOAuthProvider fake, ProviderSpec spec, TemplateValues values) throws OAuthException {
        return TokenTestSpecs.connect(tokens, fake, spec, values);
    }

    private static void assertNoSecrets(AccountIdentity account, TokenSet tokens) {
        String metadata = account.metadata().toString();
        assertThat(metadata).doesNotContain(tokens.accessToken());
        tokens.refreshToken().ifPresent(r -> assertThat(metadata).doesNotContain(r));
    }

    /** Connect fields and template values a connect request for {@code service} would carry. */
    private static Map<String, String> connectFields(OAuthService service) {
        return switch (service) {
            case ZENDESK -> Map.of("zendesk_subdomain", "acme");
            case CONFLUENCE -> Map.of("confluence_subdomain", "acme");
            case SALESFORCE -> Map.of("salesforce_domain", "login");
            case GONG -> Map.of("gong_account_email", "admin@acme.com");
            case SHAREPOINT -> Map.of("microsoft_tenant", "contoso", "sharepoint_site_name", "Marketing");
            default -> Map.of();
        };
    }

    private static TemplateValues values(OAuthService service) {
        return switch (service) {
            case ZENDESK, CONFLUENCE -> TemplateValues.NONE.with("subdomain", "acme");
            case SERVICENOW -> TemplateValues.NONE.with("instance", "dev123");
            case SALESFORCE -> TemplateValues.NONE.with("domain", "login");
            case SHAREPOINT -> TemplateValues.NONE.with("tenant", "contoso");
            default -> TemplateValues.NONE;
        };
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = OAuthService.class, names = "ZOTERO",
            mode = org.junit.jupiter.params.provider.EnumSource.Mode.EXCLUDE)
    void every_catalogued_service_connects_and_the_same_account_is_identified_the_same_way(OAuthService service)
            throws Exception {
        FakeOAuthProvider fake = fake(service.name());
        ProviderSpec spec = spec(fake);
        TemplateValues values = values(service);

        TokenSet first = connect(fake, spec, values);
        TokenSet second = connect(fake, spec, values);
        AccountIdentity one = identity.identify(spec, values, first, connectFields(service));
        AccountIdentity again = identity.identify(spec, values, second, connectFields(service));

        assertThat(first.accessToken()).isNotEqualTo(second.accessToken());
        assertThat(fake.isValidAccessToken(first.accessToken())).isTrue();
        assertThat(one.externalId()).isNotBlank().isEqualTo(again.externalId());
        assertThat(one.metadata().isEmpty()).isFalse();
        assertNoSecrets(one, first);
    }

    @Test
    void google_accounts_are_their_userinfo_subject() throws Exception {
        FakeOAuthProvider fake = fake("GOOGLE_DRIVE").account("1089", "ada@example.com", "Ada Lovelace");
        ProviderSpec spec = spec(fake);
        TokenSet tokenSet = connect(fake, spec, TemplateValues.NONE);

        AccountIdentity account = identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of());

        assertThat(account.externalId()).isEqualTo("1089");
        assertThat(account.email()).contains("ada@example.com");
        assertThat(account.name()).contains("Ada Lovelace");
        assertThat(account.metadata().path("email").asText()).isEqualTo("ada@example.com");
        assertThat(account.metadata().path("sub").asText()).isEqualTo("1089");
        assertThat(fake.lastRequest().header("authorization")).contains("Bearer " + tokenSet.accessToken());
        assertNoSecrets(account, tokenSet);
    }

    @Test
    void microsoft_keeps_the_tenant_and_site_in_the_metadata() throws Exception {
        FakeOAuthProvider fake = fake("SHAREPOINT").account("8f3c-77", "grace@contoso.com", "Grace Hopper");
        ProviderSpec spec = spec(fake);
        TemplateValues contoso = TemplateValues.NONE.with("tenant", "contoso");
        TokenSet tokenSet = connect(fake, spec, contoso);

        AccountIdentity account = identity.identify(spec, contoso, tokenSet,
                Map.of("microsoft_tenant", "contoso", "sharepoint_site_name", "Marketing"));

        assertThat(account.externalId()).isEqualTo("8f3c-77");
        assertThat(account.email()).contains("grace@contoso.com");
        assertThat(account.metadata().path("microsoft_tenant").asText()).isEqualTo("contoso");
        assertThat(account.metadata().path("sharepoint_site_name").asText()).isEqualTo("Marketing");
        assertThat(account.metadata().path("user_principal_name").asText()).isEqualTo("grace@contoso.com");
    }

    @Test
    void notion_is_identified_from_its_token_response() throws Exception {
        FakeOAuthProvider fake = fake("NOTION").organization("ws-1", "Research").account("u-9", "lin@example.com", "Lin");
        ProviderSpec spec = spec(fake);
        TokenSet tokenSet = connect(fake, spec, TemplateValues.NONE);
        int requestsBefore = fake.requests().size();

        AccountIdentity account = identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of());

        assertThat(fake.requests()).hasSize(requestsBefore); // nothing called
        assertThat(account.externalId()).isEqualTo("ws-1");
        assertThat(account.email()).contains("lin@example.com");
        assertThat(account.name()).contains("Research");
        assertThat(account.metadata().path("workspace_name").asText()).isEqualTo("Research");
        assertThat(account.metadata().path("owner_user_id").asText()).isEqualTo("u-9");
        assertThat(account.metadata().has("bot_id")).isTrue();
        assertNoSecrets(account, tokenSet);
    }

    @Test
    void notion_users_me_is_called_with_a_notion_version() throws Exception {
        FakeOAuthProvider fake = fake("NOTION").account("u-9", "lin@example.com", "Lin");
        ProviderSpec spec = TokenTestSpecs.withIdentity(spec(fake), new IdentitySpec(Source.ENDPOINT, "GET",
                Optional.of(fake.urls().get("identity_url")), "/bot/owner/user/id", Optional.empty(), Optional.of("/name")));
        TokenSet tokenSet = connect(fake, spec, TemplateValues.NONE);

        AccountIdentity account = identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of());

        assertThat(account.externalId()).isEqualTo("u-9");
        assertThat(account.email()).contains("lin@example.com"); // only the token response tells it
        assertThat(fake.lastRequest().header("notion-version")).isPresent();
    }

    @Test
    void slack_is_the_authed_user_with_the_team_in_the_metadata() throws Exception {
        FakeOAuthProvider fake = fake("SLACK").organization("T042", "Acme Corp").account("U777", "ada@example.com", "Ada");
        ProviderSpec spec = spec(fake);
        TokenSet tokenSet = connect(fake, spec, TemplateValues.NONE);

        AccountIdentity account = identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of());

        assertThat(account.externalId()).isEqualTo("U777");
        assertThat(account.name()).contains("Acme Corp");
        assertThat(account.metadata().path("team_id").asText()).isEqualTo("T042");
        assertThat(account.metadata().path("user_id").asText()).isEqualTo("U777");
        assertNoSecrets(account, tokenSet);
    }

    @Test
    void slack_auth_test_refusals_arrive_as_ok_false() throws Exception {
        FakeOAuthProvider fake = fake("SLACK").account("U777", "ada@example.com", "Ada");
        ProviderSpec spec = TokenTestSpecs.withIdentity(spec(fake), new IdentitySpec(Source.ENDPOINT, "GET",
                Optional.of(fake.urls().get("identity_url")), "/user_id", Optional.empty(), Optional.of("/user")));
        TokenSet tokenSet = connect(fake, spec, TemplateValues.NONE);

        AccountIdentity account = identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of());
        fake.expireAccessTokens();
        OAuthException expired = catchThrowableOfType(OAuthException.class,
                () -> identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of()));

        assertThat(account.externalId()).isEqualTo("U777");
        assertThat(expired.providerError()).contains("token_expired");
        assertThat(expired.status()).hasValue(200);
        assertThat(expired.getMessage()).doesNotContain(tokenSet.accessToken());
    }

    @Test
    void salesforce_is_its_identity_url_with_org_and_instance_in_the_metadata() throws Exception {
        FakeOAuthProvider fake = fake("SALESFORCE").organization("00D5e0000001", "Acme").account("0055e0000002",
                "ada@acme.com", "Ada");
        ProviderSpec spec = spec(fake);
        TokenSet tokenSet = connect(fake, spec, TemplateValues.NONE);

        AccountIdentity account = identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of("salesforce_domain", "login"));

        assertThat(account.externalId()).isEqualTo(fake.baseUrl() + "/id/00D5e0000001/0055e0000002");
        assertThat(account.metadata().path("instance_url").asText()).isEqualTo(fake.baseUrl().toString());
        assertThat(account.metadata().path("organization_id").asText()).isEqualTo("00D5e0000001");
        assertThat(account.metadata().path("user_id").asText()).isEqualTo("0055e0000002");
    }

    @Test
    void salesforce_userinfo_is_found_through_the_instance_url() throws Exception {
        FakeOAuthProvider fake = fake("SALESFORCE").account("0055e0000002", "ada@acme.com", "Ada");
        ProviderSpec spec = TokenTestSpecs.withIdentity(spec(fake), new IdentitySpec(Source.ENDPOINT, "GET",
                Optional.of("{instance_url}/services/oauth2/userinfo"), "/user_id", Optional.of("/email"),
                Optional.of("/name")));
        TokenSet tokenSet = connect(fake, spec, TemplateValues.NONE);

        AccountIdentity account = identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of());

        assertThat(account.externalId()).isEqualTo("0055e0000002");
        assertThat(account.email()).contains("ada@acme.com");
        assertThat(fake.lastRequest().path()).isEqualTo("/services/oauth2/userinfo");
    }

    @Test
    void a_token_response_url_that_is_not_https_is_not_followed() throws Exception {
        ObjectNode response = Json.object().put("access_token", "at").put("instance_url", "http://evil.example.com");
        TokenSet tokenSet = new TokenSet("at", Optional.empty(), Optional.empty(), Optional.empty(), response);
        FakeOAuthProvider fake = fake("SALESFORCE");
        ProviderSpec spec = TokenTestSpecs.withIdentity(spec(fake), new IdentitySpec(Source.ENDPOINT, "GET",
                Optional.of("{instance_url}/services/oauth2/userinfo"), "/user_id", Optional.empty(), Optional.empty()));

        OAuthException e = catchThrowableOfType(OAuthException.class,
                () -> identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of()));

        assertThat(e.kind()).isEqualTo(OAuthException.Kind.PROVIDER_ERROR);
        assertThat(e.getMessage()).contains("instance_url");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void gong_is_the_account_email_of_the_connect_request() throws Exception {
        FakeOAuthProvider fake = fake("GONG");
        ProviderSpec spec = spec(fake);
        TokenSet tokenSet = connect(fake, spec, TemplateValues.NONE);

        AccountIdentity account = identity.identify(spec, TemplateValues.NONE, tokenSet,
                Map.of("gong_account_email", "admin@acme.com"));

        assertThat(account.externalId()).isEqualTo("admin@acme.com");
        assertThat(account.email()).contains("admin@acme.com");
        assertThat(account.metadata().path("api_base_url_for_customer").asText()).isEqualTo(fake.baseUrl().toString());
        assertThat(account.metadata().path("gong_account_email").asText()).isEqualTo("admin@acme.com");
    }

    @Test
    void gong_endpoints_are_called_on_the_customer_api_host() throws Exception {
        FakeOAuthProvider fake = fake("GONG").account("2345", "rep@acme.com", "Rita Rep");
        // The catalogue's public host; the token response moves the call to the customer's own.
        ProviderSpec spec = TokenTestSpecs.withIdentity(spec(fake), new IdentitySpec(Source.ENDPOINT, "GET",
                Optional.of("https://api.gong.io/v2/users"), "/users/0/id", Optional.of("/users/0/emailAddress"),
                Optional.empty()));
        TokenSet tokenSet = connect(fake, spec, TemplateValues.NONE);

        AccountIdentity account = identity.identify(spec, TemplateValues.NONE, tokenSet,
                Map.of("gong_account_email", "admin@acme.com"));

        assertThat(account.externalId()).isEqualTo("2345");
        assertThat(account.email()).contains("rep@acme.com");
        assertThat(fake.lastRequest().path()).isEqualTo("/v2/users");
    }

    @Test
    void intercom_keeps_the_app_in_the_metadata() throws Exception {
        FakeOAuthProvider fake = fake("INTERCOM").organization("abc123", "Acme Support").account("991", "ops@acme.com", "Ops");
        ProviderSpec spec = spec(fake);
        TokenSet tokenSet = connect(fake, spec, TemplateValues.NONE);

        AccountIdentity account = identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of());

        assertThat(account.externalId()).isEqualTo("991");
        assertThat(account.metadata().path("app_id").asText()).isEqualTo("abc123");
        assertThat(account.metadata().path("app_name").asText()).isEqualTo("Acme Support");
    }

    @Test
    void dropbox_identity_is_an_rpc_post_with_a_json_null_body() throws Exception {
        FakeOAuthProvider fake = fake("DROPBOX").account("AAH4f99", "ada@example.com", "Ada Lovelace");
        ProviderSpec spec = spec(fake);
        TokenSet tokenSet = connect(fake, spec, TemplateValues.NONE);

        AccountIdentity account = identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of());

        RecordedRequest sent = fake.lastRequest();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.bodyText()).isEqualTo("null");
        assertThat(sent.header("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(account.externalId()).isEqualTo("dbid:AAH4f99");
        assertThat(account.name()).contains("Ada Lovelace");
        assertThat(account.metadata().path("account_type").asText()).isEqualTo("basic");
    }

    @Test
    void box_login_is_the_email() throws Exception {
        FakeOAuthProvider fake = fake("BOX").account("11446498", "ada@example.com", "Ada");
        ProviderSpec spec = spec(fake);
        TokenSet tokenSet = connect(fake, spec, TemplateValues.NONE);

        AccountIdentity account = identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of());

        assertThat(account.externalId()).isEqualTo("11446498");
        assertThat(account.email()).contains("ada@example.com");
        assertThat(account.metadata().path("login").asText()).isEqualTo("ada@example.com");
    }

    @Test
    void zendesk_numeric_ids_become_text_and_the_subdomain_is_kept() throws Exception {
        FakeOAuthProvider fake = fake("ZENDESK").account("35436", "agent@acme.com", "Agent");
        ProviderSpec spec = spec(fake);
        TemplateValues acme = TemplateValues.NONE.with("subdomain", "acme");
        TokenSet tokenSet = connect(fake, spec, acme);

        AccountIdentity account = identity.identify(spec, acme, tokenSet, Map.of("zendesk_subdomain", "acme"));

        assertThat(fake.lastRequest().path()).isEqualTo("/acme/api/v2/users/me.json");
        assertThat(account.externalId()).isEqualTo("35436");
        assertThat(account.metadata().path("zendesk_subdomain").asText()).isEqualTo("acme");
        assertThat(account.metadata().path("role").asText()).isEqualTo("admin");
    }

    @Test
    void servicenow_reads_the_sys_user_of_the_token() throws Exception {
        FakeOAuthProvider fake = fake("SERVICENOW").account("62826bf03710200044e0bfc8bcbe5df1", "abel@acme.com", "Abel Tuter");
        ProviderSpec spec = spec(fake);
        TemplateValues instance = TemplateValues.NONE.with("instance", "dev123");
        TokenSet tokenSet = connect(fake, spec, instance);

        AccountIdentity account = identity.identify(spec, instance, tokenSet, Map.of());

        assertThat(fake.lastRequest().path()).isEqualTo("/dev123/api/now/table/sys_user");
        assertThat(fake.lastRequest().query()).hasValueSatisfying(q -> assertThat(q).contains("gs.getUserName()"));
        assertThat(account.externalId()).isEqualTo("62826bf03710200044e0bfc8bcbe5df1");
        assertThat(account.name()).contains("Abel Tuter");
        assertThat(account.metadata().path("instance_subdomain").asText()).isEqualTo("dev123");
    }

    @Test
    void confluence_picks_the_site_named_by_the_subdomain() throws Exception {
        FakeOAuthProvider fake = fake("CONFLUENCE")
                .site("cloud-1", "Acme Test", "https://acme-test.atlassian.net")
                .site("cloud-2", "Acme", "https://acme.atlassian.net")
                .site("cloud-3", "Beta", "https://beta.atlassian.net");
        ProviderSpec spec = spec(fake);
        TokenSet tokenSet = connect(fake, spec, TemplateValues.NONE);

        AccountIdentity acme = identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of("confluence_subdomain", "acme"));
        AccountIdentity beta = identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of("confluence_subdomain", "Beta"));
        OAuthException none = catchThrowableOfType(OAuthException.class, () -> identity.identify(spec,
                TemplateValues.NONE, tokenSet, Map.of("confluence_subdomain", "gamma")));
        OAuthException unnamed = catchThrowableOfType(OAuthException.class,
                () -> identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of()));

        assertThat(acme.externalId()).isEqualTo("cloud-2");
        assertThat(acme.name()).contains("Acme");
        assertThat(acme.metadata().path("site_url").asText()).isEqualTo("https://acme.atlassian.net");
        assertThat(acme.metadata().path("cloud_id").asText()).isEqualTo("cloud-2");
        assertThat(beta.externalId()).isEqualTo("cloud-3");
        assertThat(none.kind()).as("the user did not grant the named site").isEqualTo(OAuthException.Kind.ACCESS_DENIED);
        assertThat(unnamed.kind()).isEqualTo(OAuthException.Kind.PROVIDER_ERROR);
        assertThat(none.getMessage()).contains("gamma").contains("acme.atlassian.net").contains("beta.atlassian.net");
        assertThat(unnamed.getMessage()).contains("confluence_subdomain");
    }

    @Test
    void confluence_with_one_site_needs_no_subdomain() throws Exception {
        FakeOAuthProvider fake = fake("CONFLUENCE");
        ProviderSpec spec = spec(fake);
        TokenSet tokenSet = connect(fake, spec, TemplateValues.NONE);

        AccountIdentity account = identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of());

        assertThat(account.metadata().path("site_url").asText()).isEqualTo("https://acme.atlassian.net");
    }

    @Test
    void zotero_is_its_user_id() throws Exception {
        ObjectNode response = Json.object().put("oauth_token", "k3y").put("oauth_token_secret", "k3y")
                .put("userID", "475425").put("username", "ada");
        TokenSet tokenSet = new TokenSet("k3y", Optional.empty(), Optional.empty(), Optional.empty(), response);
        ProviderSpec spec = ProviderCatalog.bundled().spec(OAuthService.ZOTERO);

        AccountIdentity account = identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of());

        assertThat(account.externalId()).isEqualTo("475425");
        assertThat(account.name()).contains("ada");
        assertThat(account.metadata().path("user_id").asText()).isEqualTo("475425");
        assertThat(account.metadata().toString()).doesNotContain("k3y");
    }

    @Test
    void an_expired_token_is_refused_without_leaking_it() throws Exception {
        FakeOAuthProvider fake = fake("ONEDRIVE");
        ProviderSpec spec = spec(fake);
        TokenSet tokenSet = connect(fake, spec, TemplateValues.NONE);
        fake.expireAccessTokens();

        OAuthException e = catchThrowableOfType(OAuthException.class,
                () -> identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of()));

        assertThat(e.kind()).isEqualTo(OAuthException.Kind.PROVIDER_ERROR);
        assertThat(e.status()).hasValue(401);
        assertThat(e.providerError()).contains("InvalidAuthenticationToken");
        assertThat(e.getMessage()).contains("OneDrive identity endpoint").doesNotContain(tokenSet.accessToken());
    }

    @Test
    void identity_endpoints_are_retried_after_server_errors() throws Exception {
        FakeOAuthProvider fake = fake("BOX");
        ProviderSpec spec = spec(fake);
        TokenSet tokenSet = connect(fake, spec, TemplateValues.NONE);
        Reply down = Reply.json(502, Map.of("type", "error", "status", 502, "code", "bad_gateway"));

        fake.failNext(down);
        assertThat(identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of()).externalId()).isEqualTo("10001");

        fake.failNext(down, down, down);
        OAuthException e = catchThrowableOfType(OAuthException.class,
                () -> identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of()));
        assertThat(e.kind()).isEqualTo(OAuthException.Kind.UNREACHABLE);
    }

    @Test
    void an_answer_without_the_id_is_a_provider_error() throws Exception {
        FakeOAuthProvider fake = fake("BOX");
        ProviderSpec spec = spec(fake);
        TokenSet tokenSet = connect(fake, spec, TemplateValues.NONE);
        fake.failNext(Reply.json(200, Map.of("type", "user", "name", "No Id")));

        OAuthException e = catchThrowableOfType(OAuthException.class,
                () -> identity.identify(spec, TemplateValues.NONE, tokenSet, Map.of()));

        assertThat(e.kind()).isEqualTo(OAuthException.Kind.PROVIDER_ERROR);
        assertThat(e.getMessage()).contains("no account id at /id");
    }
}
