package io.catchment.server.integrations;

import io.catchment.oauth.ClientApp;
import io.catchment.oauth.OAuthService;
import io.catchment.oauth.UrlOverrides;
import io.catchment.server.OAuthSettings;
import io.catchment.testing.oauth.FakeOAuthProvider;
import io.catchment.testing.oauth.FakeZoteroOAuth;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One fake provider per OAuth service (the seventeen of {@link OAuthService}), the server settings
 * that point the catalogue at them, and, per service, what its connect request must carry, the
 * account the fake describes and what the authorize URL must say according to the provider
 * reference (providers.md).
 */
final class OAuthFakes implements AutoCloseable {
    /** The inputs the services with templated hosts or per-connection apps are connected with. */
    static final String ZENDESK_SUBDOMAIN = "acme";
    static final String CONFLUENCE_SUBDOMAIN = "acme";
    static final String CONFLUENCE_CLOUD_ID = "1324a887-45db-1bf4-1e99-ef0ff456d421";
    static final String SHAREPOINT_TENANT = "contoso.onmicrosoft.com";
    static final String OUTLOOK_TENANT = "organizations";
    static final String SALESFORCE_DOMAIN = "acme.my";
    static final String GONG_EMAIL = "ops@acme.example";
    static final String SERVICENOW_INSTANCE = "dev12345";
    static final String ZOTERO_USER_ID = "475425";
    static final String SALESFORCE_ORG = "00D5g000004FAKE";
    static final String NOTION_WORKSPACE = "ws-7f3c2e10";

    private final Map<OAuthService, FakeOAuthProvider> oauth2 = new EnumMap<>(OAuthService.class);
    private final FakeZoteroOAuth zotero;

    OAuthFakes() {
        FakeZoteroOAuth z = null;
        for (OAuthService s : OAuthService.values()) {
            if (s == OAuthService.ZOTERO) {
                z = new FakeZoteroOAuth(clientId(s), clientSecret(s)).account(ZOTERO_USER_ID, "ada-zotero");
                continue;
            }
            FakeOAuthProvider fake = new FakeOAuthProvider(s.name(), clientId(s), clientSecret(s))
                    .account(accountId(s), "ada." + slug(s) + "@example.com", "Ada Lovelace");
            switch (s) {
                case CONFLUENCE -> fake.site(CONFLUENCE_CLOUD_ID, "Acme", "https://" + CONFLUENCE_SUBDOMAIN + ".atlassian.net")
                        .site("9a1b2c3d-0000-4000-8000-000000000002", "Other", "https://other.atlassian.net");
                case SALESFORCE -> fake.organization(SALESFORCE_ORG, "Acme Corp");
                case NOTION -> fake.organization(NOTION_WORKSPACE, "Acme Wiki");
                default -> { }
            }
            oauth2.put(s, fake);
        }
        zotero = z;
    }

    static String clientId(OAuthService s) {
        return "client-" + slug(s);
    }

    static String clientSecret(OAuthService s) {
        return "secret-" + slug(s);
    }

    private static String slug(OAuthService s) {
        return s.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The account id the fake's identity answers carry (Zendesk's is numeric, as Zendesk's are). */
    static String accountId(OAuthService s) {
        return s == OAuthService.ZENDESK ? "90210" : "acct-" + slug(s);
    }

    FakeOAuthProvider fake(OAuthService s) {
        FakeOAuthProvider fake = oauth2.get(s);
        if (fake == null) throw new IllegalArgumentException(s + " is OAuth 1.0a: zotero()");
        return fake;
    }

    FakeZoteroOAuth zotero() {
        return zotero;
    }

    Map<String, String> urls(OAuthService s) {
        return s == OAuthService.ZOTERO ? zotero.urls() : oauth2.get(s).urls();
    }

    /** The fake's base URL ({@code http://127.0.0.1:port}). */
    String base(OAuthService s) {
        return (s == OAuthService.ZOTERO ? zotero.baseUrl() : oauth2.get(s).baseUrl()).toString();
    }

    /** The browser's consent at the authorize URL: the callback URL the provider sends it to. */
    String authorize(OAuthService s, String authorizeUrl) {
        return s == OAuthService.ZOTERO ? zotero.authorize(authorizeUrl) : oauth2.get(s).authorize(authorizeUrl);
    }

    /**
     * The server's apps (every service but ServiceNow, whose app comes with each connect request)
     * and URL overrides for every service.
     */
    OAuthSettings settings() {
        Map<OAuthService, ClientApp> apps = new EnumMap<>(OAuthService.class);
        Map<OAuthService, UrlOverrides> overrides = new EnumMap<>(OAuthService.class);
        for (OAuthService s : OAuthService.values()) {
            if (s != OAuthService.SERVICENOW) apps.put(s, new ClientApp(clientId(s), clientSecret(s)));
            overrides.put(s, UrlOverrides.fromMap(urls(s)));
        }
        return new OAuthSettings(apps, overrides, Map.of());
    }

    /** The request body for {@code /integrations/oauth_url}: the service and the fields it requires. */
    static Map<String, Object> request(OAuthService s, String serverBase) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", s.name());
        switch (s) {
            case ZENDESK -> body.put("zendesk_subdomain", ZENDESK_SUBDOMAIN);
            case SHAREPOINT -> body.put("microsoft_tenant", SHAREPOINT_TENANT);
            case OUTLOOK -> body.put("microsoft_tenant", OUTLOOK_TENANT);
            case CONFLUENCE -> body.put("confluence_subdomain", CONFLUENCE_SUBDOMAIN);
            case SALESFORCE -> body.put("salesforce_domain", SALESFORCE_DOMAIN);
            case GONG -> body.put("gong_account_email", GONG_EMAIL);
            case SERVICENOW -> body.put("servicenow_credentials", Map.of("instance_subdomain", SERVICENOW_INSTANCE,
                    "client_id", clientId(s), "client_secret", clientSecret(s),
                    "redirect_uri", serverBase + "/integrations/servicenow"));
            default -> { }
        }
        return body;
    }

    /** The data source's {@code data_source_external_id}: the stable account id each service's answers carry. */
    String externalId(OAuthService s) {
        return switch (s) {
            case CONFLUENCE -> CONFLUENCE_CLOUD_ID; // the site is the account
            case DROPBOX -> "dbid:" + accountId(s);
            case NOTION -> NOTION_WORKSPACE; // the workspace is the account
            case SALESFORCE -> base(s) + "/id/" + SALESFORCE_ORG + "/" + accountId(s); // the identity URL
            case GONG -> GONG_EMAIL; // Gong identifies no user: the account is the email the request named
            case ZOTERO -> ZOTERO_USER_ID;
            default -> accountId(s);
        };
    }

    /** The callback slug: Carbon's documented ones (google, gmail, onedrive, notion, servicenow) and ours. */
    static String callbackSlug(OAuthService s) {
        return switch (s) {
            case GOOGLE_DRIVE -> "google";
            default -> s.name().toLowerCase(Locale.ROOT);
        };
    }

    /** The authorize URL's path on the fake, templates filled from the request. */
    static String authorizePath(OAuthService s) {
        return switch (s) {
            case BOX -> "/api/oauth2/authorize";
            case CONFLUENCE -> "/authorize";
            case DROPBOX -> "/oauth2/authorize";
            case GMAIL, GOOGLE_DRIVE, GOOGLE_CLOUD_STORAGE -> "/o/oauth2/v2/auth";
            case INTERCOM -> "/oauth";
            case NOTION -> "/v1/oauth/authorize";
            case ONEDRIVE -> "/common/oauth2/v2.0/authorize"; // no microsoft_tenant: common
            case OUTLOOK -> "/" + OUTLOOK_TENANT + "/oauth2/v2.0/authorize";
            case SHAREPOINT -> "/" + SHAREPOINT_TENANT + "/oauth2/v2.0/authorize";
            case SALESFORCE -> "/" + SALESFORCE_DOMAIN + "/services/oauth2/authorize";
            case SLACK -> "/oauth/v2/authorize";
            case ZENDESK -> "/" + ZENDESK_SUBDOMAIN + "/oauth/authorizations/new";
            case ZOTERO -> "/oauth/authorize";
            case GONG -> "/oauth2/authorize";
            case SERVICENOW -> "/" + SERVICENOW_INSTANCE + "/oauth_auth.do";
        };
    }

    /** Whether the authorize URL carries an S256 PKCE challenge (the catalogue's PKCE rule). */
    static boolean pkce(OAuthService s) {
        return switch (s) {
            case DROPBOX, GMAIL, GOOGLE_DRIVE, GOOGLE_CLOUD_STORAGE, ONEDRIVE, OUTLOOK, SHAREPOINT, SALESFORCE,
                 ZENDESK -> true;
            default -> false;
        };
    }

    /**
     * Every authorize parameter but the random ones (state, code_challenge, Zotero's oauth_token),
     * as providers.md describes each service's authorize request with our default read-only scopes.
     */
    static Map<String, String> authorizeParameters(OAuthService s, String redirectUri) {
        Map<String, String> p = new LinkedHashMap<>();
        if (s == OAuthService.ZOTERO) {
            // OAuth 1.0a: the request token plus the key form's presets (read-only key).
            p.put("library_access", "1");
            p.put("notes_access", "1");
            p.put("write_access", "0");
            p.put("all_groups", "read");
            return p;
        }
        p.put("response_type", "code");
        p.put("client_id", clientId(s));
        p.put("redirect_uri", redirectUri);
        if (pkce(s)) p.put("code_challenge_method", "S256");
        switch (s) {
            case BOX -> p.put("scope", "root_readonly");
            case CONFLUENCE -> {
                p.put("scope", String.join(" ", List.of("read:confluence-space.summary", "read:confluence-props",
                        "read:confluence-content.all", "read:confluence-content.summary",
                        "read:confluence-content.permission", "read:confluence-user", "read:confluence-groups",
                        "read:space:confluence", "readonly:content.attachment:confluence", "search:confluence",
                        "read:attachment:confluence", "read:content-details:confluence", "offline_access")));
                p.put("audience", "api.atlassian.com");
                p.put("prompt", "consent");
            }
            case DROPBOX -> {
                p.put("scope", "account_info.read files.metadata.read files.content.read");
                p.put("token_access_type", "offline");
            }
            case GMAIL, GOOGLE_DRIVE, GOOGLE_CLOUD_STORAGE -> {
                String product = switch (s) {
                    case GMAIL -> "gmail.readonly";
                    case GOOGLE_DRIVE -> "drive.readonly";
                    // Buckets are listed per project, and the projects come from Resource Manager.
                    default -> "devstorage.read_only https://www.googleapis.com/auth/cloudplatformprojects.readonly";
                };
                p.put("scope", "https://www.googleapis.com/auth/" + product + " openid email");
                p.put("access_type", "offline");
                p.put("prompt", "consent");
            }
            case INTERCOM, SERVICENOW -> { } // no scopes: Intercom's live on the app, ServiceNow's client default applies
            case NOTION -> p.put("owner", "user");
            case ONEDRIVE, OUTLOOK, SHAREPOINT -> {
                p.put("scope", switch (s) {
                    case ONEDRIVE -> "offline_access User.Read Files.Read.All";
                    case OUTLOOK -> "offline_access User.Read Mail.Read";
                    default -> "offline_access User.Read Sites.Read.All Files.Read.All";
                });
                p.put("response_mode", "query");
                p.put("prompt", "select_account");
            }
            case SALESFORCE -> {
                p.put("scope", "api refresh_token");
                p.put("prompt", "consent");
            }
            case SLACK -> p.put("user_scope", "channels:read,channels:history,groups:read,groups:history,users:read,users:read.email");
            case ZENDESK -> p.put("scope", "read");
            case GONG -> p.put("scope", "api:calls:read:basic api:calls:read:extensive api:calls:read:transcript api:users:read");
            case ZOTERO -> throw new AssertionError("handled above");
        }
        return p;
    }

    /** The redirect URI the authorize URL must carry. */
    static String redirectUri(OAuthService s, String serverBase) {
        return serverBase + "/integrations/" + callbackSlug(s);
    }

    Optional<String> revokeUrl(OAuthService s) {
        return Optional.ofNullable(urls(s).get("revoke_url"));
    }

    @Override
    public void close() {
        oauth2.values().forEach(FakeOAuthProvider::close);
        zotero.close();
    }
}
