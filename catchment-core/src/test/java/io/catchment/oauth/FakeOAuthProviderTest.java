package io.catchment.oauth;

import static io.catchment.oauth.TokenTestSpecs.APP;
import static io.catchment.oauth.TokenTestSpecs.REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.json.Json;
import io.catchment.testing.oauth.FakeOAuthProvider;
import io.catchment.testing.oauth.FakeZoteroOAuth;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The OAuth fakes on their own, driven with raw HTTP (not through the clients under test), so a
 * quirk the fake failed to enforce cannot hide behind a client that happens to comply.
 */
class FakeOAuthProviderTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> fakes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable fake : fakes) fake.close();
    }

    private FakeOAuthProvider fake(String service) {
        FakeOAuthProvider fake = new FakeOAuthProvider(service, APP.clientId(), APP.clientSecret());
        fakes.add(fake);
        return fake;
    }

    private static String query(Map<String, String> params) {
        return params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static Map<String, String> authorizeParams(String... extra) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", APP.clientId());
        q.put("redirect_uri", REDIRECT);
        q.put("state", "st-1");
        for (int i = 0; i < extra.length; i += 2) q.put(extra[i], extra[i + 1]);
        return q;
    }

    /** Consents at {@code authorizeUrl} (templates already filled) and returns the code. */
    private static String code(FakeOAuthProvider fake, String authorizeUrl, Map<String, String> params) {
        Map<String, String> callback = TokenTestSpecs.query(fake.authorize(authorizeUrl + "?" + query(params)));
        assertThat(callback).containsEntry("state", params.get("state")).containsKey("code");
        return callback.get("code");
    }

    private HttpResponse<String> post(String url, String contentType, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) request.header("Content-Type", contentType);
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> form(String url, Map<String, String> fields, String... headers) throws Exception {
        return post(url, "application/x-www-form-urlencoded", query(fields), headers);
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((APP.clientId() + ":" + APP.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.read(response.body());
    }

    private static Map<String, String> codeGrant(String code, boolean withClient) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "authorization_code");
        f.put("code", code);
        f.put("redirect_uri", REDIRECT);
        if (withClient) {
            f.put("client_id", APP.clientId());
            f.put("client_secret", APP.clientSecret());
        }
        return f;
    }

    // ---------------------------------------------------------------- catalogue fit

    @ParameterizedTest
    @EnumSource(value = OAuthService.class, names = "ZOTERO", mode = EnumSource.Mode.EXCLUDE)
    void every_oauth2_service_has_a_fake_whose_urls_override_the_catalogue(OAuthService service) {
        FakeOAuthProvider fake = fake(service.name());
        ProviderSpec catalogued = ProviderCatalog.bundled().spec(service);

        Map<String, String> urls = fake.urls();
        ProviderSpec pointed = TokenTestSpecs.spec(service, urls);

        assertThat(urls).containsKeys("authorize_url", "token_url", "identity_url", "api_base_url");
        assertThat(urls.values()).allSatisfy(u -> assertThat(u).startsWith(fake.baseUrl().toString()));
        // The fake lists a revoke URL exactly where the catalogue has one, so tests revoke where production does.
        assertThat(urls.containsKey("revoke_url")).isEqualTo(catalogued.revokeUrl().isPresent());
        assertThat(pointed.tokenUrl()).isEqualTo(urls.get("token_url"));
        // Templates of the catalogue's URLs survive in the fake's.
        for (String template : List.of("{tenant}", "{subdomain}", "{instance}", "{domain}")) {
            assertThat(pointed.tokenUrl().contains(template)).as(template).isEqualTo(catalogued.tokenUrl().contains(template));
        }
    }

    @Test
    void zotero_is_not_an_oauth2_fake() {
        assertThatThrownBy(() -> new FakeOAuthProvider("ZOTERO", "a", "b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FakeZoteroOAuth");
        try (FakeZoteroOAuth zotero = new FakeZoteroOAuth("a", "b")) {
            assertThat(zotero.urls()).containsKeys("request_token_url", "authorize_url", "token_url");
        }
    }

    // ---------------------------------------------------------------- authorize

    @Test
    void authorize_refuses_a_wrong_client_a_missing_state_and_missing_provider_parameters() {
        FakeOAuthProvider google = fake("GOOGLE_DRIVE");
        FakeOAuthProvider confluence = fake("CONFLUENCE");
        FakeOAuthProvider notion = fake("NOTION");
        String auth = google.urls().get("authorize_url");
        Map<String, String> wrongClient = authorizeParams();
        wrongClient.put("client_id", "someone-else");
        Map<String, String> noState = authorizeParams();
        noState.remove("state");

        assertThatThrownBy(() -> google.authorize(auth + "?" + query(wrongClient))).hasMessageContaining("HTTP 400")
                .hasMessageContaining("Invalid client_id");
        assertThatThrownBy(() -> google.authorize(auth + "?" + query(noState))).hasMessageContaining("state is required");
        assertThatThrownBy(() -> confluence.authorize(confluence.urls().get("authorize_url") + "?" + query(authorizeParams())))
                .hasMessageContaining("audience");
        assertThatThrownBy(() -> notion.authorize(notion.urls().get("authorize_url") + "?" + query(authorizeParams())))
                .hasMessageContaining("owner=user");
        Map<String, String> plain = TokenTestSpecs.query(google.authorize(auth + "?" + query(authorizeParams(
                "code_challenge", "abc", "code_challenge_method", "plain"))));
        assertThat(plain).containsEntry("error", "invalid_request").containsEntry("state", "st-1");
        assertThat(google.lastAuthorization()).containsEntry("code_challenge_method", "plain");
    }

    @Test
    void a_denied_consent_returns_access_denied_once() {
        FakeOAuthProvider fake = fake("BOX");
        String url = fake.urls().get("authorize_url") + "?" + query(authorizeParams());
        fake.denyNextConsent();

        Map<String, String> denied = TokenTestSpecs.query(fake.authorize(url));
        Map<String, String> approved = TokenTestSpecs.query(fake.authorize(url));

        assertThat(denied).containsEntry("error", "access_denied").containsEntry("state", "st-1").containsKey("error_description")
                .doesNotContainKey("code");
        assertThat(approved).containsKey("code").doesNotContainKey("error");
        assertThat(fake.authorize(url)).startsWith(REDIRECT + "?code=");
    }

    // ---------------------------------------------------------------- token endpoint

    @Test
    void notion_takes_only_json_with_basic_credentials() throws Exception {
        FakeOAuthProvider fake = fake("NOTION");
        String auth = fake.urls().get("authorize_url");
        String token = fake.urls().get("token_url");

        HttpResponse<String> asForm = form(token, codeGrant(code(fake, auth, authorizeParams("owner", "user")), false),
                "Authorization", basic());
        HttpResponse<String> bodyCredentials = post(token, "application/json",
                Json.write(codeGrant(code(fake, auth, authorizeParams("owner", "user")), true)));
        HttpResponse<String> right = post(token, "application/json",
                Json.write(codeGrant(code(fake, auth, authorizeParams("owner", "user")), false)), "Authorization", basic());

        assertThat(asForm.statusCode()).isEqualTo(400);
        assertThat(json(asForm).path("error").asText()).isEqualTo("invalid_request");
        assertThat(bodyCredentials.statusCode()).isEqualTo(401);
        assertThat(json(bodyCredentials).path("error").asText()).isEqualTo("invalid_client");
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(json(right).path("workspace_id").asText()).isNotEmpty();
        assertThat(fake.tokenRequests()).isEqualTo(3);
    }

    @Test
    void box_takes_only_body_credentials_and_gong_only_basic() throws Exception {
        FakeOAuthProvider box = fake("BOX");
        FakeOAuthProvider gong = fake("GONG");

        HttpResponse<String> boxBasic = form(box.urls().get("token_url"),
                codeGrant(code(box, box.urls().get("authorize_url"), authorizeParams()), false), "Authorization", basic());
        HttpResponse<String> gongBody = form(gong.urls().get("token_url"),
                codeGrant(code(gong, gong.urls().get("authorize_url"), authorizeParams()), true));
        // Gong's guide puts the parameters in the query string; the fake takes that too.
        HttpResponse<String> gongQuery = post(gong.urls().get("token_url") + "?"
                + query(codeGrant(code(gong, gong.urls().get("authorize_url"), authorizeParams()), false)), null, "",
                "Authorization", basic());

        assertThat(boxBasic.statusCode()).isEqualTo(401);
        assertThat(gongBody.statusCode()).isEqualTo(401);
        assertThat(gongQuery.statusCode()).isEqualTo(200);
        assertThat(json(gongQuery).path("api_base_url_for_customer").asText()).isEqualTo(gong.baseUrl().toString());
    }

    @Test
    void slack_answers_errors_with_http_200() throws Exception {
        FakeOAuthProvider fake = fake("SLACK");

        HttpResponse<String> response = form(fake.urls().get("token_url"), Map.of("code", "never-issued",
                "redirect_uri", REDIRECT), "Authorization", basic());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("ok").asBoolean()).isFalse();
        assertThat(json(response).path("error").asText()).isEqualTo("invalid_code");
    }

    @Test
    void refresh_tokens_come_only_when_the_consent_asked_for_offline_access() throws Exception {
        FakeOAuthProvider google = fake("GMAIL");
        FakeOAuthProvider dropbox = fake("DROPBOX");
        FakeOAuthProvider microsoft = fake("OUTLOOK");
        String msAuth = microsoft.urls().get("authorize_url").replace("{tenant}", "common");
        String msToken = microsoft.urls().get("token_url").replace("{tenant}", "common");

        JsonNode googleOnline = json(form(google.urls().get("token_url"),
                codeGrant(code(google, google.urls().get("authorize_url"), authorizeParams("scope", "email")), true)));
        JsonNode googleOffline = json(form(google.urls().get("token_url"), codeGrant(code(google,
                google.urls().get("authorize_url"), authorizeParams("scope", "email", "access_type", "offline")), true)));
        JsonNode dropboxOnline = json(form(dropbox.urls().get("token_url"),
                codeGrant(code(dropbox, dropbox.urls().get("authorize_url"), authorizeParams()), true)));
        JsonNode microsoftOnline = json(form(msToken, codeGrant(code(microsoft, msAuth, authorizeParams("scope", "User.Read")),
                true)));
        JsonNode microsoftOffline = json(form(msToken, codeGrant(code(microsoft, msAuth,
                authorizeParams("scope", "offline_access User.Read")), true)));

        assertThat(googleOnline.has("refresh_token")).isFalse();
        assertThat(googleOffline.has("refresh_token")).isTrue();
        assertThat(dropboxOnline.has("refresh_token")).isFalse();
        assertThat(microsoftOnline.has("refresh_token")).isFalse();
        assertThat(microsoftOffline.has("refresh_token")).isTrue();
        assertThat(microsoftOffline.path("scope").asText()).isEqualTo("User.Read");
    }

    @Test
    void refresh_rotates_or_stays_as_configured_and_is_counted() throws Exception {
        FakeOAuthProvider fake = fake("BOX").refreshBehaviour(FakeOAuthProvider.RefreshBehaviour.STABLE)
                .tokenLifetimeSeconds(120);
        String token = fake.urls().get("token_url");
        JsonNode granted = json(form(token, codeGrant(code(fake, fake.urls().get("authorize_url"), authorizeParams()), true)));
        Map<String, String> refresh = Map.of("grant_type", "refresh_token", "refresh_token",
                granted.path("refresh_token").asText(), "client_id", APP.clientId(), "client_secret", APP.clientSecret());

        JsonNode first = json(form(token, refresh));
        JsonNode second = json(form(token, refresh));
        fake.revokeRefreshTokens();
        HttpResponse<String> third = form(token, refresh);

        assertThat(granted.path("expires_in").asLong()).isEqualTo(120);
        assertThat(first.path("access_token").asText()).isNotEqualTo(second.path("access_token").asText());
        assertThat(first.has("refresh_token")).isFalse();
        assertThat(third.statusCode()).isEqualTo(400);
        assertThat(json(third).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(fake.refreshRequests()).isEqualTo(3);
        assertThat(fake.tokenRequests()).isEqualTo(4);
        assertThat(fake.isValidAccessToken(first.path("access_token").asText())).isTrue();
    }

    @Test
    void intercom_takes_its_parameters_in_the_query() throws Exception {
        FakeOAuthProvider fake = fake("INTERCOM");
        String code = code(fake, fake.urls().get("authorize_url"), authorizeParams());

        HttpResponse<String> response = post(fake.urls().get("token_url") + "?" + query(Map.of("code", code,
                "client_id", APP.clientId(), "client_secret", APP.clientSecret())), null, "");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("token").asText()).isEqualTo(json(response).path("access_token").asText());
    }

    // ---------------------------------------------------------------- identity and revocation

    @Test
    void identity_needs_a_live_token_and_dropbox_a_null_body() throws Exception {
        FakeOAuthProvider fake = fake("DROPBOX");
        JsonNode granted = json(form(fake.urls().get("token_url"),
                codeGrant(code(fake, fake.urls().get("authorize_url"), authorizeParams()), true)));
        String bearer = "Bearer " + granted.path("access_token").asText();
        String identity = fake.urls().get("identity_url");

        HttpResponse<String> emptyObject = post(identity, "application/json", "{}", "Authorization", bearer);
        HttpResponse<String> ok = post(identity, "application/json", "null", "Authorization", bearer);
        fake.expireAccessTokens();
        HttpResponse<String> expired = post(identity, "application/json", "null", "Authorization", bearer);

        assertThat(emptyObject.statusCode()).isEqualTo(400);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).path("email").asText()).isEqualTo("ada@example.com");
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(json(expired).path("error_summary").asText()).startsWith("expired_access_token");
    }

    @Test
    void revoking_ends_the_whole_grant() throws Exception {
        FakeOAuthProvider fake = fake("GOOGLE_DRIVE");
        JsonNode granted = json(form(fake.urls().get("token_url"), codeGrant(code(fake, fake.urls().get("authorize_url"),
                authorizeParams("access_type", "offline")), true)));
        String access = granted.path("access_token").asText();

        HttpResponse<String> revoked = form(fake.urls().get("revoke_url"), Map.of("token", access));
        HttpResponse<String> again = form(fake.urls().get("revoke_url"), Map.of("token", access));
        HttpResponse<String> refresh = form(fake.urls().get("token_url"), Map.of("grant_type", "refresh_token",
                "refresh_token", granted.path("refresh_token").asText(), "client_id", APP.clientId(),
                "client_secret", APP.clientSecret()));

        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(json(again).path("error").asText()).isEqualTo("invalid_token");
        assertThat(fake.revokedTokens()).containsExactly(access);
        assertThat(fake.isValidAccessToken(access)).isFalse();
        assertThat(json(refresh).path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void templated_hosts_become_a_path_segment() throws Exception {
        FakeOAuthProvider fake = fake("ZENDESK");
        String auth = fake.urls().get("authorize_url").replace("{subdomain}", "acme");

        HttpResponse<String> response = form(fake.urls().get("token_url").replace("{subdomain}", "acme"),
                codeGrant(code(fake, auth, authorizeParams()), true));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(fake.lastRequest().path()).isEqualTo("/acme/oauth/tokens");
        assertThat(fake.extraRevokeUrl()).hasValueSatisfying(u -> assertThat(u).contains("{subdomain}"));
    }
}
