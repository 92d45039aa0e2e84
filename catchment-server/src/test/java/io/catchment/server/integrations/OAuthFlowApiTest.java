package io.catchment.server.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.crypto.SecretBox;
import io.catchment.datasource.Credentials;
import io.catchment.datasource.DataSources;
import io.catchment.json.Json;
import io.catchment.oauth.OAuthService;
import io.catchment.server.MasterKeySource;
import io.catchment.server.OAuthSettings;
import io.catchment.server.support.Client;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.server.web.ServiceNames;
import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.oauth.FakeOAuthProvider;
import io.catchment.testing.schema.CarbonSchemas;
import io.catchment.testsupport.DatabaseKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The OAuth flow end to end through the public API, against a fake of every provider over real
 * sockets: {@code /integrations/oauth_url} builds the provider's authorize URL (checked parameter by
 * parameter against the provider reference), the fake's consent sends the browser back to
 * {@code /integrations/{slug}}, the server exchanges the code and identifies the account, and the
 * data source appears in {@code /user_data_sources} (ADD, then UPDATE for the same account). Also
 * the state's defences (tampered, replayed, expired, denied, wrong service), sync URLs, the request's
 * validation, revocation at the provider, and {@code /integrations/connect} with an outside token.
 */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class OAuthFlowApiTest {
    /** The browser: never follows redirects, so each hop is seen. */
    static final HttpClient BROWSER = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    OAuthFakes fakes;
    TestServer server;
    TestServer.OrgHandle acme;
    Client alice;
    Client bob;
    /** Every API answer and page body of the test, to prove no token ever appears in one. */
    final List<String> seen = new ArrayList<>();

    @BeforeEach
    void start() {
        fakes = new OAuthFakes();
        server = TestServer.start(kind, dir, c -> c.withOAuth(fakes.settings()));
        acme = server.newOrganization("Acme");
        alice = acme.asCustomer("alice");
        bob = acme.asCustomer("bob");
    }

    @AfterEach
    void stop() {
        server.close();
        fakes.close();
    }

    // ------------------------------------------------------------------------------------------------
    // 1. Every service, end to end

    @ParameterizedTest(name = "{0}")
    @EnumSource(OAuthService.class)
    void connectsTheAccountThenConnectsItAgainAsAnUpdate(OAuthService service) {
        String redirect = OAuthFakes.redirectUri(service, server.baseUrl());
        Map<String, Object> body = request(service, Map.of("chunk_size", 900, "chunk_overlap", 40,
                "embedding_model", "ALL_MINILM_L6_V2", "prepend_filename_to_chunks", true, "request_id", "req-first",
                "tags", Map.of("project", "apollo"), "data_source_tags", Map.of("team", "research")));
        Reply r = post(alice, "/integrations/oauth_url", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        CarbonSchemas.assertValidResponse("/integrations/oauth_url", "post", 200, r.json());
        URI url = URI.create(r.json().get("oauth_url").asText());

        assertThat(url.getScheme() + "://" + url.getRawAuthority()).as("the provider's host").isEqualTo(fakes.base(service));
        assertThat(url.getPath()).isEqualTo(OAuthFakes.authorizePath(service));
        Map<String, String> query = singleValued(url.getRawQuery());
        Set<String> random = service == OAuthService.ZOTERO ? Set.of("oauth_token")
                : OAuthFakes.pkce(service) ? Set.of("state", "code_challenge") : Set.of("state");
        Map<String, String> fixed = new LinkedHashMap<>(query);
        fixed.keySet().removeAll(random);
        assertThat(fixed).as("every authorize parameter but the random ones")
                .containsExactlyInAnyOrderEntriesOf(OAuthFakes.authorizeParameters(service, redirect));
        for (String name : random) assertThat(query.get(name)).as(name).isNotBlank();
        if (service != OAuthService.ZOTERO) {
            assertThat(query.get("state")).as("a 256-bit random state").matches("[A-Za-z0-9_-]{43}");
        }
        if (OAuthFakes.pkce(service)) assertThat(query.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");

        String callback = fakes.authorize(service, url.toString());
        assertThat(callback).startsWith(redirect + "?");
        HttpResponse<String> page = browse(callback);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("is connected").contains(ServiceNames.display(service.name()));

        JsonNode listed = dataSources(alice, Map.of("filters", Map.of("source", service.name())));
        assertThat(listed.get("count").asInt()).isEqualTo(1);
        JsonNode ds = listed.get("results").get(0);
        long id = ds.get("id").asLong();
        assertThat(ds.get("data_source_type").asText()).isEqualTo(service.name());
        assertThat(ds.get("data_source_external_id").asText()).isEqualTo(fakes.externalId(service));
        assertThat(ds.get("last_sync_action").asText()).isEqualTo("ADD");
        assertThat(ds.get("revoked_access").asBoolean()).isFalse();
        assertThat(ds.get("sync_status").asText()).isEqualTo("READY");
        assertThat(ds.get("token").isNull()).as("credentials never leave the server").isTrue();
        assertThat(ds.get("tags").get("team").asText()).as("data_source_tags").isEqualTo("research");
        assertThat(ds.get("data_source_metadata").isObject()).isTrue();
        JsonNode settings = syncSettings(id);
        assertThat(settings.get("chunk_size").asInt()).isEqualTo(900);
        assertThat(settings.get("chunk_overlap").asInt()).isEqualTo(40);
        assertThat(settings.get("embedding_model").asText()).isEqualTo("ALL_MINILM_L6_V2");
        assertThat(settings.get("prepend_filename_to_chunks").asBoolean()).isTrue();
        assertThat(settings.get("request_id").asText()).isEqualTo("req-first");
        assertThat(settings.get("tags").get("project").asText()).isEqualTo("apollo");
        List<String> firstSecrets = secrets(credentials(id));
        assertThat(firstSecrets).as("the tokens were stored").isNotEmpty();

        // The same account again, asking for a new connection explicitly: an UPDATE, never a second data source.
        Reply again = post(alice, "/integrations/oauth_url", request(service, Map.of("connecting_new_account", true,
                "chunk_size", 700)));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("oauth_url").asText()).startsWith(fakes.base(service));
        HttpResponse<String> second = browse(fakes.authorize(service, again.json().get("oauth_url").asText()));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(second.body()).contains("connected again");
        JsonNode after = dataSources(alice, Map.of());
        assertThat(after.get("count").asInt()).as("one data source for one account").isEqualTo(1);
        JsonNode updated = after.get("results").get(0);
        assertThat(updated.get("id").asLong()).isEqualTo(id);
        assertThat(updated.get("last_sync_action").asText()).isEqualTo("UPDATE");
        assertThat(updated.get("data_source_external_id").asText()).isEqualTo(fakes.externalId(service));
        assertThat(syncSettings(id).get("chunk_size").asInt()).as("the new connection's settings").isEqualTo(700);
        List<String> secondSecrets = secrets(credentials(id));
        assertThat(secondSecrets).as("the new connection's tokens replaced the old").doesNotContainAnyElementsOf(firstSecrets);

        assertNothingSeenContains(firstSecrets);
        assertNothingSeenContains(secondSecrets);
        assertNothingSeenContains(List.of(OAuthFakes.clientSecret(service)));
    }

    // ------------------------------------------------------------------------------------------------
    // 2. The state

    @Test
    void theCallbackRedirectsToASignedResultPageThatCanBeReloadedButNotForged() throws Exception {
        OAuthService drive = OAuthService.GOOGLE_DRIVE;
        String callback = fakes.authorize(drive, oauthUrl(alice, drive));
        HttpResponse<String> raw = BROWSER.send(HttpRequest.newBuilder(URI.create(callback)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(raw.statusCode()).isEqualTo(303);
        String location = raw.headers().firstValue("location").orElseThrow();
        assertThat(location).startsWith("/connect/result/").contains("expires=").contains("signature=");
        String page = URI.create(callback).resolve(location).toString();

        assertThat(browse(page).statusCode()).isEqualTo(200);
        assertThat(browse(page).body()).as("reloading shows the page again, not a replay").contains("is connected");
        assertThat(count(alice)).isEqualTo(1);
        String forged = page.replaceFirst("/connect/result/[^?]+", "/connect/result/"
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                        "{\"connected\":true,\"service\":\"GOOGLE_DRIVE\",\"account\":\"someone else\",\"action\":\"ADD\",\"reason\":\"\",\"message\":\"\"}"
                                .getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> refused = browse(forged);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).doesNotContain("someone else");
    }

    @Test
    void aTamperedStateIsRefusedAndTheGenuineCallbackStillWorksButOnlyOnce() {
        OAuthService drive = OAuthService.GOOGLE_DRIVE;
        String callback = fakes.authorize(drive, oauthUrl(alice, drive));
        String state = singleValued(URI.create(callback).getRawQuery()).get("state");
        char last = state.charAt(state.length() - 1);
        String altered = state.substring(0, state.length() - 1) + (last == 'A' ? 'B' : 'A');

        HttpResponse<String> tampered = browse(replaceParam(callback, "state", altered));
        assertThat(tampered.statusCode()).isEqualTo(400);
        assertThat(tampered.body()).contains("Invalid link").contains("not valid");
        assertThat(count(alice)).isZero();
        assertThat(browse(replaceParam(callback, "state", "")).statusCode()).as("no state").isEqualTo(400);
        assertThat(count(alice)).isZero();

        assertThat(browse(callback).statusCode()).as("the genuine callback").isEqualTo(200);
        assertThat(count(alice)).isEqualTo(1);
        HttpResponse<String> replayed = browse(callback);
        assertThat(replayed.statusCode()).isEqualTo(400);
        assertThat(replayed.body()).contains("already used");
        JsonNode ds = dataSources(alice, Map.of()).get("results").get(0);
        assertThat(ds.get("last_sync_action").asText()).as("the replay changed nothing").isEqualTo("ADD");
    }

    @Test
    void aCallbackAfterFifteenMinutesIsExpiredAndCreatesNothing() {
        OAuthService box = OAuthService.BOX;
        String callback = fakes.authorize(box, oauthUrl(bob, box));
        server.clock().advance(Duration.ofMinutes(16));
        HttpResponse<String> page = browse(callback);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("expired").contains("15 minutes");
        assertThat(count(bob)).isZero();
        assertThat(fakes.fake(box).tokenRequests()).as("the code was never exchanged").isZero();

        // Within the fifteen minutes it works.
        String fresh = fakes.authorize(box, oauthUrl(bob, box));
        server.clock().advance(Duration.ofMinutes(14));
        assertThat(browse(fresh).statusCode()).isEqualTo(200);
        assertThat(count(bob)).isEqualTo(1);
    }

    @Test
    void refusedConsentEndsOnAnErrorPageAndCreatesNothing() {
        OAuthService slack = OAuthService.SLACK;
        fakes.fake(slack).denyNextConsent();
        String callback = fakes.authorize(slack, oauthUrl(bob, slack));
        assertThat(singleValued(URI.create(callback).getRawQuery())).containsEntry("error", "access_denied");
        HttpResponse<String> page = browse(callback);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("Not connected").contains("Access was not granted");
        assertThat(count(bob)).isZero();
        assertThat(fakes.fake(slack).tokenRequests()).isZero();
    }

    @Test
    void aValidStateOnAnotherServicesCallbackIsRefused() {
        String callback = fakes.authorize(OAuthService.GOOGLE_DRIVE, oauthUrl(bob, OAuthService.GOOGLE_DRIVE));
        String onBox = callback.replace("/integrations/google?", "/integrations/box?");
        assertThat(onBox).isNotEqualTo(callback);
        HttpResponse<String> page = browse(onBox);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("not valid for BOX");
        assertThat(count(bob)).isZero();
        assertThat(fakes.fake(OAuthService.BOX).tokenRequests()).isZero();
        assertThat(fakes.fake(OAuthService.GOOGLE_DRIVE).tokenRequests()).isZero();

        HttpResponse<String> unknown = browse(server.baseUrl() + "/integrations/no_such_service?state=x&code=y");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("No service answers");
    }

    @Test
    void aProviderRefusingTheCodeEndsOnAnErrorPageWithoutSecretsAndCreatesNothing() {
        OAuthService dropbox = OAuthService.DROPBOX;
        String callback = fakes.authorize(dropbox, oauthUrl(bob, dropbox));
        String code = singleValued(URI.create(callback).getRawQuery()).get("code");
        fakes.fake(dropbox).failNext(FakeHttpApi.Reply.json(400, Map.of("error", "invalid_grant",
                "error_description", "code doesn't exist or has expired")));
        HttpResponse<String> page = browse(callback);
        assertThat(page.statusCode()).isEqualTo(502);
        assertThat(page.body()).contains("Not connected").contains("invalid_grant")
                .doesNotContain(code).doesNotContain(OAuthFakes.clientSecret(dropbox));
        assertThat(count(bob)).isZero();
    }

    @Test
    void aConfluenceSiteTheAccountDidNotGrantEndsOnAnErrorPageAndCreatesNothing() {
        OAuthService confluence = OAuthService.CONFLUENCE;
        String url = oauthUrl(bob, confluence, Map.of("confluence_subdomain", "globex"));
        HttpResponse<String> page = browse(fakes.authorize(confluence, url));
        assertThat(page.statusCode()).as("the user's choice, not a provider fault").isEqualTo(400);
        assertThat(page.body()).contains("Not connected").contains("globex").contains("acme.atlassian.net");
        assertThat(count(bob)).isZero();
    }

    @Test
    void anotherAccountOfTheSameServiceIsAnotherDataSource() {
        OAuthService drive = OAuthService.GOOGLE_DRIVE;
        assertThat(browse(fakes.authorize(drive, oauthUrl(alice, drive))).statusCode()).isEqualTo(200);
        fakes.fake(drive).account("acct-second", "grace@example.com", "Grace Hopper");
        String url = oauthUrl(alice, drive, Map.of("connecting_new_account", true));
        assertThat(browse(fakes.authorize(drive, url)).body()).contains("grace@example.com").doesNotContain("again");

        JsonNode listed = dataSources(alice, Map.of("order_by", "created_at", "order_dir", "asc"));
        assertThat(listed.get("count").asInt()).isEqualTo(2);
        assertThat(listed.get("results").findValuesAsText("data_source_external_id"))
                .containsExactly(fakes.externalId(drive), "acct-second");
        assertThat(listed.get("results").findValuesAsText("last_sync_action")).containsExactly("ADD", "ADD");
        assertThat(listed.get("results").get(1).get("data_source_metadata").get("email").asText()).isEqualTo("grace@example.com");
    }

    // ------------------------------------------------------------------------------------------------
    // 3. Sync URLs

    @Test
    void anAlreadyConnectedServiceGetsAOneTimeSyncUrlUnlessANewAccountIsWanted() {
        OAuthService drive = OAuthService.GOOGLE_DRIVE;
        String first = oauthUrl(alice, drive);
        assertThat(first).as("nothing connected yet: the provider").startsWith(fakes.base(drive) + "/o/oauth2/v2/auth?");
        assertThat(browse(fakes.authorize(drive, first)).statusCode()).isEqualTo(200);
        long id = dataSources(alice, Map.of()).get("results").get(0).get("id").asLong();

        String sync = oauthUrl(alice, drive);
        assertThat(sync).matches(java.util.regex.Pattern.quote(server.baseUrl() + "/integrations/sync/") + "[A-Za-z0-9_-]{43}");
        int tokenRequests = fakes.fake(drive).tokenRequests();
        HttpResponse<String> page = browse(sync);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Google Drive").contains("is connected");
        assertThat(page.body()).as("the picker starts with the customer's token").contains("\"access_token\":\"");
        assertThat(browse(sync).statusCode()).as("one use").isEqualTo(400);
        assertThat(fakes.fake(drive).tokenRequests()).as("no OAuth").isEqualTo(tokenRequests);

        assertThat(oauthUrl(alice, drive, Map.of("data_source_id", id))).startsWith(server.baseUrl() + "/integrations/sync/");
        assertThat(oauthUrl(alice, drive, Map.of("data_source_id", id + 1000))).as("not this customer's data source")
                .startsWith(fakes.base(drive));
        assertThat(oauthUrl(alice, drive, Map.of("connecting_new_account", true))).startsWith(fakes.base(drive));
        assertThat(oauthUrl(bob, drive)).as("another customer").startsWith(fakes.base(drive));
        assertThat(oauthUrl(alice, OAuthService.BOX)).as("another service").startsWith(fakes.base(OAuthService.BOX));

        String expiring = oauthUrl(alice, drive);
        server.clock().advance(Duration.ofMinutes(31));
        HttpResponse<String> late = browse(expiring);
        assertThat(late.statusCode()).isEqualTo(400);
        assertThat(late.body()).contains("expired");

        assertThat(post(alice, "/revoke_access_token", Map.of("data_source_id", id)).status()).isEqualTo(200);
        assertThat(oauthUrl(alice, drive)).as("revoked: connect again").startsWith(fakes.base(drive));
    }

    // ------------------------------------------------------------------------------------------------
    // 4. Validation

    @Test
    void eachServiceNamesTheFieldItNeedsIn422() {
        Map<OAuthService, String> required = Map.of(OAuthService.ZENDESK, "zendesk_subdomain",
                OAuthService.SHAREPOINT, "microsoft_tenant", OAuthService.CONFLUENCE, "confluence_subdomain",
                OAuthService.SALESFORCE, "salesforce_domain", OAuthService.GONG, "gong_account_email",
                OAuthService.SERVICENOW, "servicenow_credentials");
        required.forEach((service, field) -> {
            Reply r = post(alice, "/integrations/oauth_url", Map.of("service", service.name()));
            assertThat(r.status()).as(service + ": " + r).isEqualTo(422);
            CarbonSchemas.assertValidResponse("/integrations/oauth_url", "post", 422, r.json());
            assertThat(locs(r)).as(service.name()).containsExactly("[\"body\",\"" + field + "\"]");
        });

        Reply noSecret = post(alice, "/integrations/oauth_url", Map.of("service", "SERVICENOW", "servicenow_credentials",
                Map.of("instance_subdomain", "dev1", "client_id", "c", "redirect_uri", server.baseUrl() + "/integrations/servicenow")));
        assertThat(noSecret.status()).as(noSecret.toString()).isEqualTo(422);
        assertThat(locs(noSecret)).containsExactly("[\"body\",\"servicenow_credentials\",\"client_secret\"]");

        Reply unknown = post(alice, "/integrations/oauth_url", Map.of("service", "MYSPACE"));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(locs(unknown)).containsExactly("[\"body\",\"service\"]");
        assertThat(count(alice)).isZero();
    }

    @Test
    void aHostTemplateValueThatCouldLeaveTheProvidersDomainIsRefused() {
        for (String evil : List.of("evil.com/x", "evil.com#", "a@evil.com", "evil.com?x=1", "..", "a b")) {
            Reply r = post(alice, "/integrations/oauth_url", Map.of("service", "ZENDESK", "zendesk_subdomain", evil));
            assertThat(r.status()).as(evil + ": " + r).isEqualTo(422);
            assertThat(locs(r)).as(evil).containsExactly("[\"body\",\"zendesk_subdomain\"]");
        }
        Reply domain = post(alice, "/integrations/oauth_url", Map.of("service", "SALESFORCE", "salesforce_domain", "x/y"));
        assertThat(domain.status()).isEqualTo(422);
        assertThat(locs(domain)).containsExactly("[\"body\",\"salesforce_domain\"]");
        Reply tenant = post(alice, "/integrations/oauth_url", Map.of("service", "ONEDRIVE", "microsoft_tenant", "t/../x"));
        assertThat(tenant.status()).isEqualTo(422);
        assertThat(locs(tenant)).containsExactly("[\"body\",\"microsoft_tenant\"]");
        Map<String, String> credentials = new LinkedHashMap<>(Map.of("instance_subdomain", "evil.com/x", "client_id", "c",
                "client_secret", "s", "redirect_uri", server.baseUrl() + "/integrations/servicenow"));
        Reply instance = post(alice, "/integrations/oauth_url", Map.of("service", "SERVICENOW", "servicenow_credentials", credentials));
        assertThat(instance.status()).as(instance.toString()).isEqualTo(422);
        assertThat(locs(instance)).containsExactly("[\"body\",\"servicenow_credentials\",\"instance_subdomain\"]");
        credentials.remove("instance_subdomain");
        Reply noInstance = post(alice, "/integrations/oauth_url", Map.of("service", "SERVICENOW", "servicenow_credentials", credentials));
        assertThat(noInstance.status()).as(noInstance.toString()).isEqualTo(422);
        assertThat(locs(noInstance)).as("one problem, where it is")
                .containsExactly("[\"body\",\"servicenow_credentials\",\"instance_subdomain\"]");
        // A field of another service fills no template, so it cannot steer this one's URL.
        Reply stray = post(alice, "/integrations/oauth_url", Map.of("service", "BOX", "zendesk_subdomain", "evil.com/x"));
        assertThat(stray.status()).as(stray.toString()).isEqualTo(200);
        assertThat(stray.json().get("oauth_url").asText()).startsWith(fakes.base(OAuthService.BOX) + "/api/oauth2/authorize?");
        assertThat(count(alice)).isZero();
    }

    @Test
    void withoutAnAppForTheServiceTheAnswerNamesTheSettings() {
        try (TestServer bare = TestServer.start(kind, dir.resolve("bare"), c -> c.withOAuth(OAuthSettings.none()))) {
            Client carol = bare.newOrganization("Bare").asCustomer("carol");
            for (OAuthService service : List.of(OAuthService.BOX, OAuthService.GOOGLE_DRIVE, OAuthService.ZOTERO)) {
                Reply r = carol.post("/integrations/oauth_url", Map.of("service", service.name()));
                assertThat(r.status()).as(r.toString()).isEqualTo(400);
                assertThat(r.json().get("detail").asText()).contains("CATCHMENT_" + service.name() + "_CLIENT_ID")
                        .contains("white_label");
            }
            // ServiceNow's app comes with the request: no server setting is needed.
            Reply sn = carol.post("/integrations/oauth_url", OAuthFakes.request(OAuthService.SERVICENOW, bare.baseUrl()));
            assertThat(sn.status()).as(sn.toString()).isEqualTo(200);
            assertThat(sn.json().get("oauth_url").asText()).startsWith("https://" + OAuthFakes.SERVICENOW_INSTANCE
                    + ".service-now.com/oauth_auth.do?");
        }
    }

    @Test
    void scopesReplaceTheDefaultsExactlyAndTheOlderScopeStringIsAccepted() {
        Map<String, String> drive = authorizeQuery(oauthUrl(alice, OAuthService.GOOGLE_DRIVE,
                Map.of("scopes", List.of("https://www.googleapis.com/auth/drive.file", "openid"))));
        assertThat(drive).containsEntry("scope", "https://www.googleapis.com/auth/drive.file openid");
        Map<String, String> slack = authorizeQuery(oauthUrl(alice, OAuthService.SLACK,
                Map.of("scopes", List.of("channels:read", "im:history"))));
        assertThat(slack).containsEntry("user_scope", "channels:read,im:history").doesNotContainKey("scope");
        Map<String, String> older = authorizeQuery(oauthUrl(alice, OAuthService.DROPBOX, Map.of("scope", "files.metadata.read account_info.read")));
        assertThat(older).containsEntry("scope", "files.metadata.read account_info.read");
        Map<String, String> empty = authorizeQuery(oauthUrl(alice, OAuthService.BOX, Map.of("scopes", List.of())));
        assertThat(empty).as("an empty list keeps the defaults").containsEntry("scope", "root_readonly");

        // One element is one scope: an element that holds several is the caller's mistake, not a 500.
        Reply joined = post(alice, "/integrations/oauth_url", Map.of("service", "GOOGLE_DRIVE", "scopes", List.of("openid email")));
        assertThat(joined.status()).as(joined.toString()).isEqualTo(422);
        assertThat(locs(joined)).containsExactly("[\"body\",\"scopes\",0]");
        Reply comma = post(alice, "/integrations/oauth_url", Map.of("service", "SLACK", "scopes", List.of("users:read", "a,b")));
        assertThat(comma.status()).as(comma.toString()).isEqualTo(422);
        assertThat(locs(comma)).containsExactly("[\"body\",\"scopes\",1]");
    }

    // ------------------------------------------------------------------------------------------------
    // 6. Revocation

    @Test
    void revokingADataSourceRevokesTheGrantAtTheProvider() {
        List<OAuthService> withRevokeUrl = new ArrayList<>();
        for (OAuthService service : OAuthService.values()) {
            if (fakes.revokeUrl(service).isEmpty()) continue;
            withRevokeUrl.add(service);
            String who = "rev-" + service.name().toLowerCase();
            Client customer = acme.asCustomer(who);
            assertThat(browse(fakes.authorize(service, oauthUrl(customer, service))).statusCode()).as(service.name()).isEqualTo(200);
            long id = dataSources(customer, Map.of()).get("results").get(0).get("id").asLong();
            Credentials.OAuthTokens tokens = (Credentials.OAuthTokens) credentials(id);
            FakeOAuthProvider fake = fakes.fake(service);
            assertThat(fake.isValidAccessToken(tokens.accessToken())).isTrue();

            Reply revoked = post(customer, "/revoke_access_token", Map.of("data_source_id", id));
            assertThat(revoked.status()).as(service + ": " + revoked).isEqualTo(200);
            CarbonSchemas.assertValidResponse("/revoke_access_token", "post", 200, revoked.json());
            assertThat(fake.revokedTokens()).as(service + ": one token revoked at its revoke endpoint").hasSize(1);
            if (service != OAuthService.DROPBOX) {
                // Dropbox revokes the access token that authenticates the call: a fresh one, minted from the refresh token.
                assertThat(secrets(tokens)).as(service + ": the stored token was revoked").contains(fake.revokedTokens().getFirst());
            }
            assertThat(fake.isValidAccessToken(tokens.accessToken())).as(service + ": the whole grant ended").isFalse();
            JsonNode ds = dataSources(customer, Map.of()).get("results").get(0);
            assertThat(ds.get("revoked_access").asBoolean()).isTrue();
            assertThat(ds.get("last_sync_action").asText()).isEqualTo("REVOKE");
            String sealed = server.catchment().database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT sealed_credentials FROM data_sources WHERE id = :id").bind("id", id)
                    .mapTo(String.class).findOne().orElse(null));
            assertThat(sealed).as("credentials forgotten").isNull();
        }
        assertThat(withRevokeUrl).containsExactlyInAnyOrder(OAuthService.BOX, OAuthService.DROPBOX, OAuthService.GMAIL,
                OAuthService.GOOGLE_DRIVE, OAuthService.GOOGLE_CLOUD_STORAGE, OAuthService.NOTION,
                OAuthService.SALESFORCE, OAuthService.SLACK, OAuthService.SERVICENOW);
    }

    @Test
    void revokingWhereTheProviderHasNoRevokeEndpointOrRefusesStillRevokesHere() {
        OAuthService zendesk = OAuthService.ZENDESK;
        assertThat(browse(fakes.authorize(zendesk, oauthUrl(alice, zendesk))).statusCode()).isEqualTo(200);
        long zd = dataSources(alice, Map.of()).get("results").get(0).get("id").asLong();
        int before = fakes.fake(zendesk).requests().size();
        assertThat(post(alice, "/revoke_access_token", Map.of("data_source_id", zd)).status()).isEqualTo(200);
        assertThat(fakes.fake(zendesk).requests()).as("no revoke endpoint to call").hasSize(before);
        assertThat(dataSources(alice, Map.of()).get("results").get(0).get("revoked_access").asBoolean()).isTrue();

        OAuthService box = OAuthService.BOX;
        assertThat(browse(fakes.authorize(box, oauthUrl(bob, box))).statusCode()).isEqualTo(200);
        long boxId = dataSources(bob, Map.of()).get("results").get(0).get("id").asLong();
        fakes.fake(box).failNext(FakeHttpApi.Reply.json(400, Map.of("error", "invalid_request")));
        Reply r = post(bob, "/revoke_access_token", Map.of("data_source_id", boxId));
        assertThat(r.status()).as("best effort at the provider").isEqualTo(200);
        assertThat(dataSources(bob, Map.of()).get("results").get(0).get("last_sync_action").asText()).isEqualTo("REVOKE");
    }

    // ------------------------------------------------------------------------------------------------
    // 7. /integrations/connect with a token obtained elsewhere

    @Test
    void connectWithATokenTheProviderIssuedMakesADataSourceAndABadTokenNothing() {
        OAuthService drive = OAuthService.GOOGLE_DRIVE;
        // The token comes from a connection made elsewhere (here: bob's, through the flow).
        assertThat(browse(fakes.authorize(drive, oauthUrl(bob, drive))).statusCode()).isEqualTo(200);
        long bobs = dataSources(bob, Map.of()).get("results").get(0).get("id").asLong();
        Credentials.OAuthTokens issued = (Credentials.OAuthTokens) credentials(bobs);

        Reply bad = post(alice, "/integrations/connect", Map.of("authentication",
                Map.of("source", "GOOGLE_DRIVE", "access_token", "ya29.not-a-token-the-provider-issued")));
        assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
        assertThat(bad.json().get("detail").asText()).contains("GOOGLE_DRIVE").contains("refused")
                .doesNotContain("ya29.not-a-token");
        assertThat(count(alice)).isZero();

        Reply ok = post(alice, "/integrations/connect", Map.of("authentication", Map.of("source", "GOOGLE_DRIVE",
                "access_token", issued.accessToken(), "refresh_token", issued.refreshToken().orElseThrow()),
                "sync_options", Map.of("chunk_size", 640)));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        CarbonSchemas.assertValidResponse("/integrations/connect", "post", 200, ok.json());
        JsonNode ds = ok.json().get("data_source");
        assertThat(ds.get("data_source_type").asText()).isEqualTo("GOOGLE_DRIVE");
        assertThat(ds.get("data_source_external_id").asText()).isEqualTo(fakes.externalId(drive));
        assertThat(ds.get("last_sync_action").asText()).isEqualTo("ADD");
        assertThat(ds.get("token").isNull()).isTrue();
        assertThat(ok.json().get("sync_url").asText()).startsWith(server.baseUrl() + "/integrations/sync/");
        assertThat(browse(ok.json().get("sync_url").asText()).statusCode()).isEqualTo(200);
        assertThat(count(alice)).isEqualTo(1);
        assertThat(syncSettings(ds.get("id").asLong()).get("chunk_size").asInt()).isEqualTo(640);
        Credentials.OAuthTokens stored = (Credentials.OAuthTokens) credentials(ds.get("id").asLong());
        assertThat(stored.accessToken()).isEqualTo(issued.accessToken());
        assertThat(stored.refreshToken()).isEqualTo(issued.refreshToken());
        assertNothingSeenContains(secrets(issued));
    }

    /**
     * Slack and Salesforce name the account only in their token responses; a bare token is
     * identified by asking them (auth.test, userinfo), and lands on the same data source as the
     * OAuth flow made for that account.
     */
    @Test
    void bareSlackAndSalesforceTokensAreIdentifiedByAskingTheProvider() {
        for (OAuthService service : List.of(OAuthService.SLACK, OAuthService.SALESFORCE)) {
            assertThat(browse(fakes.authorize(service, oauthUrl(bob, service))).statusCode()).isEqualTo(200);
            JsonNode viaFlow = dataSources(bob, Map.of("filters", Map.of("source", service.name()))).get("results").get(0);
            Credentials.OAuthTokens issued = (Credentials.OAuthTokens) credentials(viaFlow.get("id").asLong());

            Map<String, Object> auth = new java.util.LinkedHashMap<>(Map.of("source", service.name(),
                    "access_token", issued.accessToken()));
            if (service == OAuthService.SALESFORCE) auth.put("domain", "login");
            Reply ok = post(bob, "/integrations/connect", Map.of("authentication", auth));
            assertThat(ok.status()).as(service + ": " + ok).isEqualTo(200);
            JsonNode ds = ok.json().get("data_source");
            assertThat(ds.get("id").asLong()).as(service + ": the same account, the same data source")
                    .isEqualTo(viaFlow.get("id").asLong());
            assertThat(ds.get("data_source_external_id").asText()).isEqualTo(viaFlow.get("data_source_external_id").asText());
            assertThat(ds.get("last_sync_action").asText()).isEqualTo("UPDATE");

            Reply bad = post(bob, "/integrations/connect", Map.of("authentication", Map.of("source", service.name(),
                    "access_token", "not-a-token-" + service, "domain", "login")));
            assertThat(bad.status()).as(service + ": " + bad).isEqualTo(400);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // helpers

    static Map<String, Object> request(OAuthService service, String serverBase, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>(OAuthFakes.request(service, serverBase));
        // These tests are about connecting; the crawl that follows is the sync tests' business (and these
        // fakes serve no content), so it is switched off.
        body.put("sync_source_items", false);
        body.putAll(extra);
        return body;
    }

    Map<String, Object> request(OAuthService service, Map<String, Object> extra) {
        return request(service, server.baseUrl(), extra);
    }

    String oauthUrl(Client who, OAuthService service) {
        return oauthUrl(who, service, Map.of());
    }

    String oauthUrl(Client who, OAuthService service, Map<String, Object> extra) {
        Reply r = post(who, "/integrations/oauth_url", request(service, extra));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("oauth_url").asText();
    }

    Reply post(Client who, String path, Object body) {
        Reply r = who.post(path, body);
        seen.add(r.text());
        return r;
    }

    /** A GET as the user's browser makes it: no redirects followed, no credentials. */
    /**
     * The browser at a URL. The callback answers 303 to Catchment's own result page, which the
     * browser then shows: that page (its status and body) is returned.
     */
    HttpResponse<String> browse(String url) {
        try {
            HttpResponse<String> r = BROWSER.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() == 303) {
                String location = r.headers().firstValue("location").orElseThrow();
                assertThat(location).as("the result page is ours").startsWith("/connect/result/");
                return browse(URI.create(url).resolve(location).toString());
            }
            seen.add(r.body());
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode dataSources(Client who, Map<String, Object> body) {
        Reply r = post(who, "/user_data_sources", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        CarbonSchemas.assertValidResponse("/user_data_sources", "post", 200, r.json());
        return r.json();
    }

    int count(Client who) {
        return dataSources(who, Map.of()).get("count").asInt();
    }

    JsonNode syncSettings(long id) {
        return Json.readObject(server.catchment().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT sync_settings FROM data_sources WHERE id = :id").bind("id", id).mapTo(String.class).one()));
    }

    /** The data source's credentials, opened with the server's own master key (from its data directory). */
    Credentials credentials(long id) {
        SecretBox box = new SecretBox(new MasterKeySource.InDataDir().load(dir));
        return new DataSources(server.catchment().database().jdbi(), box, Clock.systemUTC()).credentials(id)
                .orElseThrow(() -> new AssertionError("data source " + id + " has no credentials"));
    }

    static List<String> secrets(Credentials c) {
        List<String> out = new ArrayList<>();
        switch (c) {
            case Credentials.OAuthTokens t -> {
                out.add(t.accessToken());
                t.refreshToken().ifPresent(out::add);
            }
            case Credentials.OAuth1Token t -> {
                out.add(t.token());
                out.add(t.secret());
            }
            case Credentials.Secrets s -> out.addAll(s.fields().values());
        }
        return out;
    }

    void assertNothingSeenContains(List<String> secrets) {
        for (String secret : secrets) {
            for (String text : seen) assertThat(text).as("an API answer or page").doesNotContain(secret);
        }
    }

    static List<String> locs(Reply r) {
        List<String> out = new ArrayList<>();
        r.json().path("detail").forEach(d -> out.add(d.get("loc").toString()));
        return out;
    }

    static Map<String, String> authorizeQuery(String url) {
        return singleValued(URI.create(url).getRawQuery());
    }

    /** The decoded query; a parameter given twice fails the test (providers read one value). */
    static Map<String, String> singleValued(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) return out;
        for (String pair : rawQuery.split("&")) {
            String[] kv = pair.split("=", 2);
            String name = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
            String previous = out.put(name, kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            assertThat(previous).as("parameter " + name + " appears once").isNull();
        }
        return out;
    }

    static String replaceParam(String url, String name, String value) {
        URI uri = URI.create(url);
        StringBuilder query = new StringBuilder();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            if (!query.isEmpty()) query.append('&');
            query.append(kv[0]).append('=').append(URLDecoder.decode(kv[0], StandardCharsets.UTF_8).equals(name)
                    ? URLEncoder.encode(value, StandardCharsets.UTF_8) : kv.length > 1 ? kv[1] : "");
        }
        return url.substring(0, url.indexOf('?') + 1) + query;
    }
}
