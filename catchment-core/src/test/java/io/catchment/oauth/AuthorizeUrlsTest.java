package io.catchment.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every service's authorize URL against providers.md. The expected values are written out here, not
 * read from the catalogue, so the test fails when providers.yaml drifts.
 */
class AuthorizeUrlsTest {
    private static final ProviderCatalog CATALOG = ProviderCatalog.bundled();
    private static final ClientApp APP = new ClientApp("client-123", "not-in-urls");
    private static final String STATE = "st4te-Xy_z";
    /** RFC 7636 Appendix B. */
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private static String redirect(String slug) {
        return "https://catchment.example.com/integrations/" + slug;
    }

    /** The four parameters every OAuth 2 URL has, plus the given ones. */
    private static Map<String, String> expected(String slug, String... more) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", "client-123");
        params.put("redirect_uri", redirect(slug));
        params.put("state", STATE);
        for (int i = 0; i < more.length; i += 2) params.put(more[i], more[i + 1]);
        return params;
    }

    /** Builds with the catalogue's default scopes and a PKCE challenge always offered. */
    private static URI urlFor(OAuthService service, TemplateValues values) {
        ProviderSpec spec = CATALOG.spec(service);
        return AuthorizeUrls.build(spec, APP, redirect(spec.callbackSlug()), STATE, Optional.of(CHALLENGE),
                AuthorizeUrls.scopesFor(spec, List.of()), values);
    }

    private static void assertUrl(URI url, String host, String path, Map<String, String> params) {
        assertThat(url.getScheme()).as("scheme of " + url).isEqualTo("https");
        assertThat(url.getHost()).as("host of " + url).isEqualTo(host);
        assertThat(url.getPort()).as("port of " + url).isEqualTo(-1);
        assertThat(url.getRawPath()).as("path of " + url).isEqualTo(path);
        assertThat(url.getRawFragment()).isNull();
        assertThat(query(url)).as("query of " + url).containsExactlyInAnyOrderEntriesOf(params);
    }

    /** The decoded query; fails on a repeated name or a '+' (spaces must be %20). */
    static Map<String, String> query(URI url) {
        String raw = url.getRawQuery();
        assertThat(raw).as("query of " + url).isNotNull().doesNotContain("+", " ");
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            assertThat(eq).as("'" + pair + "' has a value").isPositive();
            String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            assertThat(params.put(name, value)).as("parameter " + name + " appears once").isNull();
        }
        return params;
    }

    // ---- one test per service ----------------------------------------------------------------------

    @Test
    void box() {
        assertUrl(urlFor(OAuthService.BOX, TemplateValues.NONE), "account.box.com", "/api/oauth2/authorize",
                expected("box", "scope", "root_readonly"));
    }

    @Test
    void confluence() {
        assertUrl(urlFor(OAuthService.CONFLUENCE, TemplateValues.NONE), "auth.atlassian.com", "/authorize",
                expected("confluence",
                        "scope", "read:confluence-space.summary read:confluence-props read:confluence-content.all"
                                + " read:confluence-content.summary read:confluence-content.permission read:confluence-user"
                                + " read:confluence-groups read:space:confluence readonly:content.attachment:confluence"
                                + " search:confluence read:attachment:confluence read:content-details:confluence offline_access",
                        "audience", "api.atlassian.com",
                        "prompt", "consent"));
    }

    @Test
    void dropbox() {
        assertUrl(urlFor(OAuthService.DROPBOX, TemplateValues.NONE), "www.dropbox.com", "/oauth2/authorize",
                expected("dropbox",
                        "scope", "account_info.read files.metadata.read files.content.read",
                        "token_access_type", "offline",
                        "code_challenge", CHALLENGE,
                        "code_challenge_method", "S256"));
    }

    @Test
    void gmail() {
        assertUrl(urlFor(OAuthService.GMAIL, TemplateValues.NONE), "accounts.google.com", "/o/oauth2/v2/auth",
                expected("gmail",
                        "scope", "https://www.googleapis.com/auth/gmail.readonly openid email",
                        "access_type", "offline",
                        "prompt", "consent",
                        "code_challenge", CHALLENGE,
                        "code_challenge_method", "S256"));
    }

    @Test
    void googleDrive() {
        assertUrl(urlFor(OAuthService.GOOGLE_DRIVE, TemplateValues.NONE), "accounts.google.com", "/o/oauth2/v2/auth",
                expected("google",
                        "scope", "https://www.googleapis.com/auth/drive.readonly openid email",
                        "access_type", "offline",
                        "prompt", "consent",
                        "code_challenge", CHALLENGE,
                        "code_challenge_method", "S256"));
    }

    @Test
    void googleCloudStorage() {
        assertUrl(urlFor(OAuthService.GOOGLE_CLOUD_STORAGE, TemplateValues.NONE), "accounts.google.com", "/o/oauth2/v2/auth",
                expected("google_cloud_storage",
                        "scope", "https://www.googleapis.com/auth/devstorage.read_only "
                                + "https://www.googleapis.com/auth/cloudplatformprojects.readonly openid email",
                        "access_type", "offline",
                        "prompt", "consent",
                        "code_challenge", CHALLENGE,
                        "code_challenge_method", "S256"));
    }

    @Test
    void intercomHasNoScopeParameter() {
        assertUrl(urlFor(OAuthService.INTERCOM, TemplateValues.NONE), "app.intercom.com", "/oauth",
                expected("intercom"));
    }

    @Test
    void notion() {
        assertUrl(urlFor(OAuthService.NOTION, TemplateValues.NONE), "api.notion.com", "/v1/oauth/authorize",
                expected("notion", "owner", "user"));
    }

    @Test
    void onedriveDefaultsToTheCommonTenant() {
        assertUrl(urlFor(OAuthService.ONEDRIVE, TemplateValues.NONE), "login.microsoftonline.com",
                "/common/oauth2/v2.0/authorize",
                expected("onedrive",
                        "scope", "offline_access User.Read Files.Read.All",
                        "response_mode", "query",
                        "prompt", "select_account",
                        "code_challenge", CHALLENGE,
                        "code_challenge_method", "S256"));
    }

    @Test
    void outlookWithAGivenTenant() {
        TemplateValues tenant = TemplateValues.NONE.with("tenant", "contoso.onmicrosoft.com");
        assertUrl(urlFor(OAuthService.OUTLOOK, tenant), "login.microsoftonline.com",
                "/contoso.onmicrosoft.com/oauth2/v2.0/authorize",
                expected("outlook",
                        "scope", "offline_access User.Read Mail.Read",
                        "response_mode", "query",
                        "prompt", "select_account",
                        "code_challenge", CHALLENGE,
                        "code_challenge_method", "S256"));
    }

    @Test
    void sharepointWithATenantId() {
        TemplateValues tenant = TemplateValues.NONE.with("tenant", "72f988bf-86f1-41af-91ab-2d7cd011db47");
        assertUrl(urlFor(OAuthService.SHAREPOINT, tenant), "login.microsoftonline.com",
                "/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/authorize",
                expected("sharepoint",
                        "scope", "offline_access User.Read Sites.Read.All Files.Read.All",
                        "response_mode", "query",
                        "prompt", "select_account",
                        "code_challenge", CHALLENGE,
                        "code_challenge_method", "S256"));
    }

    @Test
    void salesforceOnTheGivenDomain() {
        Map<String, String> params = expected("salesforce",
                "scope", "api refresh_token",
                "prompt", "consent",
                "code_challenge", CHALLENGE,
                "code_challenge_method", "S256");
        assertUrl(urlFor(OAuthService.SALESFORCE, TemplateValues.NONE.with("domain", "acme.my")),
                "acme.my.salesforce.com", "/services/oauth2/authorize", params);
        assertUrl(urlFor(OAuthService.SALESFORCE, TemplateValues.NONE.with("domain", "test")),
                "test.salesforce.com", "/services/oauth2/authorize", params);
        assertUrl(urlFor(OAuthService.SALESFORCE, TemplateValues.NONE),
                "login.salesforce.com", "/services/oauth2/authorize", params);
    }

    @Test
    void slackAsksForUserScopesCommaSeparated() {
        URI url = urlFor(OAuthService.SLACK, TemplateValues.NONE);
        assertUrl(url, "slack.com", "/oauth/v2/authorize",
                expected("slack", "user_scope",
                        "channels:read,channels:history,groups:read,groups:history,users:read,users:read.email"));
        assertThat(url.getRawQuery()).contains("user_scope=channels%3Aread%2Cchannels%3Ahistory%2C");
    }

    @Test
    void zendeskOnTheGivenSubdomain() {
        assertUrl(urlFor(OAuthService.ZENDESK, TemplateValues.NONE.with("subdomain", "acme")),
                "acme.zendesk.com", "/oauth/authorizations/new",
                expected("zendesk",
                        "scope", "read",
                        "code_challenge", CHALLENGE,
                        "code_challenge_method", "S256"));
    }

    @Test
    void zoteroTakesTheRequestTokenAndPresetsAReadOnlyKey() {
        ProviderSpec zotero = CATALOG.spec(OAuthService.ZOTERO);
        URI url = AuthorizeUrls.buildOAuth1(zotero, "req-token-1", TemplateValues.NONE);
        assertUrl(url, "www.zotero.org", "/oauth/authorize", Map.of(
                "oauth_token", "req-token-1",
                "library_access", "1",
                "notes_access", "1",
                "write_access", "0",
                "all_groups", "read"));
        assertThatThrownBy(() -> AuthorizeUrls.build(zotero, APP, redirect("zotero"), STATE, Optional.empty(),
                List.of(), TemplateValues.NONE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OAuth 1.0a");
    }

    @Test
    void gong() {
        assertUrl(urlFor(OAuthService.GONG, TemplateValues.NONE), "app.gong.io", "/oauth2/authorize",
                expected("gong", "scope",
                        "api:calls:read:basic api:calls:read:extensive api:calls:read:transcript api:users:read"));
    }

    @Test
    void servicenowOnTheGivenInstance() {
        assertUrl(urlFor(OAuthService.SERVICENOW, TemplateValues.NONE.with("instance", "dev12345")),
                "dev12345.service-now.com", "/oauth_auth.do", expected("servicenow"));
    }

    // ---- behaviour shared by all services -----------------------------------------------------------

    @Test
    void requestedScopesReplaceTheDefaultsExactly() {
        ProviderSpec drive = CATALOG.spec(OAuthService.GOOGLE_DRIVE);
        List<String> requested = List.of("https://www.googleapis.com/auth/drive.file");
        URI url = AuthorizeUrls.build(drive, APP, redirect("google"), STATE, Optional.empty(),
                AuthorizeUrls.scopesFor(drive, requested), TemplateValues.NONE);

        assertThat(query(url)).containsEntry("scope", "https://www.googleapis.com/auth/drive.file");
        assertThat(url.getRawQuery()).contains("scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fdrive.file&");

        ProviderSpec slack = CATALOG.spec(OAuthService.SLACK);
        URI slackUrl = AuthorizeUrls.build(slack, APP, redirect("slack"), STATE, Optional.empty(),
                AuthorizeUrls.scopesFor(slack, List.of("search:read", "im:history")), TemplateValues.NONE);
        assertThat(query(slackUrl)).containsEntry("user_scope", "search:read,im:history").doesNotContainKey("scope");
        assertThat(AuthorizeUrls.scopesFor(drive, List.of())).isEqualTo(drive.defaultScopes());
    }

    @Test
    void anEmptyScopeListLeavesTheParameterOut() {
        URI url = AuthorizeUrls.build(CATALOG.spec(OAuthService.GMAIL), APP, redirect("gmail"), STATE,
                Optional.empty(), List.of(), TemplateValues.NONE);
        assertThat(query(url)).doesNotContainKey("scope").containsEntry("access_type", "offline");
    }

    @Test
    void pkceIsSentOnlyWhereTheSpecSaysAndAChallengeIsGiven() {
        ProviderSpec google = CATALOG.spec(OAuthService.GMAIL);
        URI without = AuthorizeUrls.build(google, APP, redirect("gmail"), STATE, Optional.empty(),
                google.defaultScopes(), TemplateValues.NONE);
        assertThat(query(without)).doesNotContainKeys("code_challenge", "code_challenge_method");

        for (OAuthService service : List.of(OAuthService.BOX, OAuthService.SLACK, OAuthService.NOTION,
                OAuthService.INTERCOM, OAuthService.GONG, OAuthService.CONFLUENCE)) {
            URI url = urlFor(service, TemplateValues.NONE);
            assertThat(query(url)).as(service.name()).doesNotContainKeys("code_challenge", "code_challenge_method");
        }
    }

    @Test
    void valuesArePercentEncodedWithSpacesAsPercent20() {
        ProviderSpec box = CATALOG.spec(OAuthService.BOX);
        String state = "a b&c=d+e/é";
        String redirect = "https://catchment.example.com/integrations/box?x=1&y=two words";
        URI url = AuthorizeUrls.build(box, new ClientApp("id with space", "s"), redirect, state, Optional.empty(),
                List.of("root_readonly", "manage_webhook"), TemplateValues.NONE);

        assertThat(url.getRawQuery()).isEqualTo("response_type=code"
                + "&client_id=id%20with%20space"
                + "&redirect_uri=https%3A%2F%2Fcatchment.example.com%2Fintegrations%2Fbox%3Fx%3D1%26y%3Dtwo%20words"
                + "&state=a%20b%26c%3Dd%2Be%2F%C3%A9"
                + "&scope=root_readonly%20manage_webhook");
        assertThat(query(url)).containsEntry("state", state).containsEntry("redirect_uri", redirect)
                .containsEntry("client_id", "id with space");
        assertThat(AuthorizeUrls.encode("AZaz09-._~")).isEqualTo("AZaz09-._~");
        assertThat(AuthorizeUrls.encode("*'()!:@$,;")).isEqualTo("%2A%27%28%29%21%3A%40%24%2C%3B");
    }

    @Test
    void theClientSecretNeverAppears() {
        for (OAuthService service : OAuthService.values()) {
            ProviderSpec spec = CATALOG.spec(service);
            if (spec.authMode() != ProviderSpec.AuthMode.OAUTH2) continue;
            URI url = AuthorizeUrls.build(spec, APP, redirect(spec.callbackSlug()), STATE, Optional.of(CHALLENGE),
                    spec.defaultScopes(), new TemplateValues(Map.of("subdomain", "acme", "instance", "dev1")));
            assertThat(url.toString()).as(service.name()).doesNotContain("not-in-urls").doesNotContain(VERIFIER);
        }
    }

    @Test
    void anOverriddenAuthorizeUrlKeepsItsOwnQuery() {
        ProviderCatalog proxied = CATALOG.withOverrides(Map.of(OAuthService.NOTION,
                UrlOverrides.fromMap(Map.of("authorize_url", "http://127.0.0.1:8123/v1/oauth/authorize?route=eu"))));
        URI url = AuthorizeUrls.build(proxied.spec(OAuthService.NOTION), APP, redirect("notion"), STATE,
                Optional.empty(), List.of(), TemplateValues.NONE);

        assertThat(url.getScheme()).isEqualTo("http");
        assertThat(url.getHost()).isEqualTo("127.0.0.1");
        assertThat(url.getPort()).isEqualTo(8123);
        assertThat(url.getRawQuery()).startsWith("route=eu&response_type=code&");
        assertThat(query(url)).containsEntry("route", "eu").containsEntry("owner", "user");
    }

    @Test
    void badInputIsRefused() {
        ProviderSpec zendesk = CATALOG.spec(OAuthService.ZENDESK);
        assertThatThrownBy(() -> AuthorizeUrls.build(zendesk, APP, redirect("zendesk"), STATE, Optional.empty(),
                List.of("read"), TemplateValues.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{subdomain}");
        ProviderSpec box = CATALOG.spec(OAuthService.BOX);
        assertThatThrownBy(() -> AuthorizeUrls.build(box, APP, redirect("box"), STATE, Optional.empty(),
                List.of("root_readonly manage_webhook"), TemplateValues.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one non-blank scope");
        assertThatThrownBy(() -> AuthorizeUrls.build(CATALOG.spec(OAuthService.SLACK), APP, redirect("slack"), STATE,
                Optional.empty(), List.of("channels:read,users:read"), TemplateValues.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("','");
        assertThatThrownBy(() -> AuthorizeUrls.build(box, APP, redirect("box"), STATE, Optional.empty(),
                List.of(" "), TemplateValues.NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthorizeUrls.build(box, APP, redirect("box"), " ", Optional.empty(),
                List.of(), TemplateValues.NONE)).isInstanceOf(IllegalArgumentException.class).hasMessage("state is required");
        assertThatThrownBy(() -> AuthorizeUrls.build(box, APP, "", STATE, Optional.empty(),
                List.of(), TemplateValues.NONE)).isInstanceOf(IllegalArgumentException.class).hasMessage("redirect_uri is required");
        assertThatThrownBy(() -> AuthorizeUrls.buildOAuth1(box, "t", TemplateValues.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OAuth 2");
        // A template value cannot steer the URL to another host.
        assertThatThrownBy(() -> AuthorizeUrls.build(zendesk, APP, redirect("zendesk"), STATE, Optional.empty(),
                List.of("read"), TemplateValues.NONE.with("subdomain", "evil.example/x?")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Nested
    class PkceTest {
        @Test
        void theRfc7636AppendixBVector() {
            assertThat(Pkce.s256(VERIFIER)).isEqualTo(CHALLENGE);
            Pkce pair = Pkce.of(VERIFIER);
            assertThat(pair.verifier()).isEqualTo(VERIFIER);
            assertThat(pair.challenge()).isEqualTo(CHALLENGE);
            assertThat(Pkce.method()).isEqualTo("S256");
        }

        @Test
        void generatedVerifiersAreRandomAndWellFormed() {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                Pkce pair = Pkce.generate();
                assertThat(pair.verifier()).matches("[A-Za-z0-9._~-]{43,128}");
                assertThat(pair.challenge()).isEqualTo(Pkce.s256(pair.verifier())).matches("[A-Za-z0-9_-]{43}");
                seen.add(pair.verifier());
            }
            assertThat(seen).hasSize(50);
        }

        @Test
        void malformedPairsAreRefusedAndTheVerifierStaysOutOfToString() {
            assertThatThrownBy(() -> Pkce.of("too-short")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Pkce.of("x".repeat(129))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Pkce.of("has space " + "x".repeat(40))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Pkce(VERIFIER, "wrong")).isInstanceOf(IllegalArgumentException.class);
            assertThat(Pkce.of("x".repeat(43))).isNotNull();
            assertThat(Pkce.of("y".repeat(128))).isNotNull();
            assertThat(Pkce.of(VERIFIER).toString()).contains(CHALLENGE).doesNotContain(VERIFIER);
        }
    }
}
