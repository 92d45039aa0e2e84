package io.catchment.testing.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One OAuth 2.0 provider, playing any of the services {@code /integrations/oauth_url} connects, with
 * that service's wire quirks (from the provider reference). Construct it with the service name
 * ({@code "GOOGLE_DRIVE"}, {@code "SLACK"}, ...) and the client app it knows, then point the
 * catalogue's URLs at {@link #urls()}.
 *
 * <p><b>Authorize</b> ({@code GET}): checks {@code client_id}, {@code redirect_uri},
 * {@code response_type=code} (Slack and Intercom take none), {@code state}, Atlassian's
 * {@code audience}, Notion's {@code owner=user}, and an S256 PKCE challenge when one is sent;
 * then approves at once with a 302 to {@code redirect_uri?code=...&state=...}, or after
 * {@link #denyNextConsent()} to {@code ?error=access_denied&error_description=...&state=...}.
 * Problems before a redirect is possible answer a 400 error page, as providers do. For browser
 * tests, {@link #showConsentPage(boolean)} puts a consent page (HTML) before that redirect, whose
 * Allow and Deny buttons lead to the same two redirects.
 *
 * <p><b>Token endpoint</b>: the body formats the service takes (form everywhere but Notion, which
 * takes only JSON; Confluence and Zendesk also JSON; Intercom also JSON or query; Gong also query),
 * the client authentication it takes (Notion and Gong only HTTP Basic; Box, Zendesk, Confluence,
 * Intercom, ServiceNow only the body; the rest either). Codes work once and for ten minutes; the
 * {@code redirect_uri} and PKCE {@code code_verifier} must match the authorize request. A refresh
 * token is issued when the service would issue one: Google with {@code access_type=offline},
 * Microsoft and Confluence with the {@code offline_access} scope, Dropbox with
 * {@code token_access_type=offline}, Salesforce with {@code refresh_token}/{@code offline_access}
 * (or no scope), Slack only with token rotation ({@link #tokenLifetimeSeconds}), the rest always.
 * Refresh rotates (Microsoft, Confluence, Box, Zendesk, Gong, Notion, Slack: the old refresh token
 * dies), stays stable (Google, Dropbox, Salesforce send none back; ServiceNow echoes it), or is
 * refused (Intercom). Errors use the service's body: {@code {error, error_description}}, or
 * Slack's HTTP 200 {@code {ok:false, error}}.
 *
 * <p><b>Identity</b> endpoints answer for the configured {@link #account} (and
 * {@link #organization}: Slack team, Notion workspace, Salesforce org, Intercom app, Gong
 * workspace; Confluence's {@link #site}s), only with a live access token, else with the
 * service's own 401. <b>Revocation</b> endpoints record what they revoke and end the whole grant.
 *
 * <p>Templated hosts become a first path segment: Zendesk's {@code {subdomain}}, ServiceNow's
 * {@code {instance}}, Salesforce's {@code {domain}}, and Microsoft's {@code {tenant}} (already in
 * its path), so {@link #urls()} keeps the templates and a test can see what filled them.
 */
public final class FakeOAuthProvider extends FakeHttpApi {
    /** What a refresh does to the refresh token. */
    public enum RefreshBehaviour { ROTATING, STABLE, NONE }

    /** The account identity endpoints describe. */
    public record Account(String id, String email, String name) {}

    /** An Atlassian site the token reaches (Confluence's accessible resources). */
    public record Site(String id, String name, String url) {}

    private enum Family { GOOGLE, MICROSOFT, NOTION, SLACK, SALESFORCE, GONG, INTERCOM, DROPBOX, BOX, ZENDESK, SERVICENOW,
        CONFLUENCE }

    private enum ClientAuth { BASIC_ONLY, BODY_ONLY, EITHER }

    private enum Body { FORM, JSON, QUERY }

    private static final Duration CODE_LIFETIME = Duration.ofMinutes(10);

    private final String service;
    private final Family family;
    private final String clientId;
    private final String clientSecret;
    private final SecureRandom random = new SecureRandom();
    private final List<Endpoint> endpoints = new ArrayList<>();

    // Guarded by this.
    private final Map<String, Consent> codes = new HashMap<>();
    private final Map<String, Consent> grants = new HashMap<>();
    private final Map<String, Issued> accessTokens = new HashMap<>();
    private final Map<String, String> refreshTokens = new HashMap<>();
    private final List<String> revoked = new ArrayList<>();
    private Account account = new Account("10001", "ada@example.com", "Ada Lovelace");
    private String organizationId = "T0FAKE001";
    private String organizationName = "Fake Workspace";
    private final List<Site> sites = new ArrayList<>(List.of(new Site("1324a887-45db-1bf4-1e99-ef0ff456d421", "Acme",
            "https://acme.atlassian.net")));
    private boolean sitesConfigured;
    private Optional<Long> lifetime = Optional.empty();
    private RefreshBehaviour refresh;
    private boolean issueRefreshTokens = true;
    private boolean tokenFieldOnly;
    private boolean denyNext;
    private boolean consentPage;
    private final Map<String, Pending> pendingConsents = new HashMap<>();
    private Map<String, String> lastAuthorization = Map.of();

    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger refreshRequests = new AtomicInteger();

    /** What the user consented to, shared by the code and every token issued from it. */
    private record Consent(String grant, String clientId, Optional<String> redirectUri, String scope,
                           Optional<String> challenge, Map<String, String> params, Instant issuedAt) {}

    /** An authorize request that passed every check, waiting on the consent page for Allow or Deny. */
    private record Pending(Map<String, String> params, String redirectUri, String state, String scope,
                           Optional<String> challenge) {}

    /** An access token: its grant, when it dies, and (Slack) whether it is the bot's. */
    private record Issued(String grant, Optional<Instant> expiresAt, boolean bot) {}

    private record Endpoint(String method, String[] segments, Route route) {}

    public FakeOAuthProvider(String service, String clientId, String clientSecret) {
        this.service = service.toUpperCase(Locale.ROOT);
        this.family = familyOf(this.service);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.refresh = switch (family) {
            case GOOGLE, DROPBOX, SALESFORCE, SERVICENOW -> RefreshBehaviour.STABLE;
            case INTERCOM -> RefreshBehaviour.NONE;
            default -> RefreshBehaviour.ROTATING;
        };
        routes();
        on("POST", ConsentPage.PATH, this::consentDecision);
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) prefix(method, "/", this::dispatch);
    }

    private static Family familyOf(String service) {
        return switch (service) {
            case "GMAIL", "GOOGLE_DRIVE", "GOOGLE_CLOUD_STORAGE", "GOOGLE" -> Family.GOOGLE;
            case "ONEDRIVE", "OUTLOOK", "SHAREPOINT", "MICROSOFT" -> Family.MICROSOFT;
            case "NOTION" -> Family.NOTION;
            case "SLACK" -> Family.SLACK;
            case "SALESFORCE" -> Family.SALESFORCE;
            case "GONG" -> Family.GONG;
            case "INTERCOM" -> Family.INTERCOM;
            case "DROPBOX" -> Family.DROPBOX;
            case "BOX" -> Family.BOX;
            case "ZENDESK" -> Family.ZENDESK;
            case "SERVICENOW" -> Family.SERVICENOW;
            case "CONFLUENCE" -> Family.CONFLUENCE;
            default -> throw new IllegalArgumentException("No OAuth 2.0 fake for " + service
                    + " (Zotero is OAuth 1.0a: FakeZoteroOAuth)");
        };
    }

    // ---------------------------------------------------------------- configuration

    /** The account the identity endpoints describe (and the token responses that name one). */
    public synchronized FakeOAuthProvider account(String id, String email, String name) {
        this.account = new Account(id, email, name);
        return this;
    }

    /** The Slack team, Notion workspace, Salesforce org, Intercom app or Gong workspace. */
    public synchronized FakeOAuthProvider organization(String id, String name) {
        this.organizationId = id;
        this.organizationName = name;
        return this;
    }

    /** Confluence: a site the token reaches. The first call replaces the default site (acme). */
    public synchronized FakeOAuthProvider site(String cloudId, String name, String url) {
        if (!sitesConfigured) sites.clear();
        sitesConfigured = true;
        sites.add(new Site(cloudId, name, url));
        return this;
    }

    /**
     * How long access tokens live. Services that report lifetimes send it as {@code expires_in};
     * Slack turns token rotation on (refresh tokens, {@code expires_in}); Salesforce, Notion and
     * Intercom expire the token silently (their responses have no lifetime).
     */
    public synchronized FakeOAuthProvider tokenLifetimeSeconds(long seconds) {
        this.lifetime = Optional.of(seconds);
        return this;
    }

    public synchronized FakeOAuthProvider refreshBehaviour(RefreshBehaviour behaviour) {
        this.refresh = behaviour;
        return this;
    }

    /** {@code false}: no refresh tokens at all (Notion's and Zendesk's older apps, Slack without rotation). */
    public synchronized FakeOAuthProvider issueRefreshTokens(boolean issue) {
        this.issueRefreshTokens = issue;
        return this;
    }

    /** Intercom: answer with {@code token} only, without {@code access_token} (older clients' shape). */
    public synchronized FakeOAuthProvider tokenFieldOnly() {
        this.tokenFieldOnly = true;
        return this;
    }

    /** The next consent is refused: the browser returns with {@code error=access_denied}. */
    public synchronized void denyNextConsent() {
        this.denyNext = true;
    }

    /**
     * {@code true}: a valid authorize request is answered with a consent page (HTTP 200, HTML:
     * the service, the client app, the requested scopes, the account, an Allow and a Deny button)
     * instead of the immediate redirect. The buttons POST the form to {@code /consent} on this fake;
     * Allow redirects to {@code redirect_uri?code=...&state=...} exactly as the immediate approval
     * does, Deny to {@code ?error=access_denied&error_description=...&state=...}. Each page answers
     * once. {@link #denyNextConsent()} still refuses at once, without a page. For tests with a real
     * browser: {@link #authorize(String)}, which does not render pages, needs the default
     * ({@code false}).
     */
    public synchronized FakeOAuthProvider showConsentPage(boolean show) {
        this.consentPage = show;
        return this;
    }

    /** Every refresh token issued so far stops working (the user revoked the app): refresh gets invalid_grant. */
    public synchronized void revokeRefreshTokens() {
        refreshTokens.clear();
    }

    /** Every access token issued so far is expired from now on. */
    public synchronized void expireAccessTokens() {
        Instant past = Instant.now().minusSeconds(1);
        accessTokens.replaceAll((token, issued) -> new Issued(issued.grant(), Optional.of(past), issued.bot()));
    }

    // ---------------------------------------------------------------- observation

    public String service() {
        return service;
    }

    /** Requests to the token endpoint, code exchanges and refreshes alike (failed ones too). */
    public int tokenRequests() {
        return tokenRequests.get();
    }

    /** Token requests with {@code grant_type=refresh_token}. */
    public int refreshRequests() {
        return refreshRequests.get();
    }

    /** Tokens revoked through the revoke endpoint, oldest first. */
    public synchronized List<String> revokedTokens() {
        return List.copyOf(revoked);
    }

    /** True when {@code token} is an access token this fake issued that has not expired or been revoked. */
    public synchronized boolean isValidAccessToken(String token) {
        return live(token).isPresent();
    }

    /** The query parameters of the last authorize request (decoded). */
    public synchronized Map<String, String> lastAuthorization() {
        return lastAuthorization;
    }

    /**
     * The URLs to point the catalogue at: {@code authorize_url}, {@code token_url},
     * {@code identity_url}, {@code api_base_url}, and {@code revoke_url} for services with a
     * token-revocation endpoint. Zendesk's {@code DELETE /api/v2/oauth/tokens/current.json} and
     * Intercom's {@code POST /auth/uninstall} are served too, but not listed (they are not
     * revocation endpoints a catalogue names; see {@link #extraRevokeUrl()}). Templates
     * ({@code {tenant}}, {@code {subdomain}}, {@code {instance}}, {@code {domain}}) stay in.
     */
    public Map<String, String> urls() {
        String base = baseUrl().toString();
        Map<String, String> urls = new LinkedHashMap<>();
        switch (family) {
            case GOOGLE -> {
                urls.put("authorize_url", base + "/o/oauth2/v2/auth");
                urls.put("token_url", base + "/token");
                urls.put("identity_url", base + "/v1/userinfo");
                urls.put("revoke_url", base + "/revoke");
                urls.put("api_base_url", base + switch (service) {
                    case "GMAIL" -> "/gmail/v1/users/me";
                    case "GOOGLE_CLOUD_STORAGE" -> "/storage/v1";
                    default -> "/drive/v3";
                });
            }
            case MICROSOFT -> {
                urls.put("authorize_url", base + "/{tenant}/oauth2/v2.0/authorize");
                urls.put("token_url", base + "/{tenant}/oauth2/v2.0/token");
                urls.put("identity_url", base + "/v1.0/me");
                urls.put("api_base_url", base + "/v1.0");
            }
            case NOTION -> {
                urls.put("authorize_url", base + "/v1/oauth/authorize");
                urls.put("token_url", base + "/v1/oauth/token");
                urls.put("identity_url", base + "/v1/users/me");
                urls.put("revoke_url", base + "/v1/oauth/revoke");
                urls.put("api_base_url", base + "/v1");
            }
            case SLACK -> {
                urls.put("authorize_url", base + "/oauth/v2/authorize");
                urls.put("token_url", base + "/api/oauth.v2.access");
                urls.put("identity_url", base + "/api/auth.test");
                urls.put("revoke_url", base + "/api/auth.revoke");
                urls.put("api_base_url", base + "/api");
            }
            case SALESFORCE -> {
                urls.put("authorize_url", base + "/{domain}/services/oauth2/authorize");
                urls.put("token_url", base + "/{domain}/services/oauth2/token");
                urls.put("identity_url", base + "/services/oauth2/userinfo");
                urls.put("revoke_url", base + "/{domain}/services/oauth2/revoke");
                urls.put("api_base_url", base);
            }
            case GONG -> {
                urls.put("authorize_url", base + "/oauth2/authorize");
                urls.put("token_url", base + "/oauth2/generate-customer-token");
                urls.put("identity_url", base + "/v2/users");
                urls.put("api_base_url", base);
            }
            case INTERCOM -> {
                urls.put("authorize_url", base + "/oauth");
                urls.put("token_url", base + "/auth/eagle/token");
                urls.put("identity_url", base + "/me");
                urls.put("api_base_url", base);
            }
            case DROPBOX -> {
                urls.put("authorize_url", base + "/oauth2/authorize");
                urls.put("token_url", base + "/oauth2/token");
                urls.put("identity_url", base + "/2/users/get_current_account");
                urls.put("revoke_url", base + "/2/auth/token/revoke");
                urls.put("api_base_url", base + "/2");
            }
            case BOX -> {
                urls.put("authorize_url", base + "/api/oauth2/authorize");
                urls.put("token_url", base + "/oauth2/token");
                urls.put("identity_url", base + "/2.0/users/me");
                urls.put("revoke_url", base + "/oauth2/revoke");
                urls.put("api_base_url", base + "/2.0");
            }
            case ZENDESK -> {
                urls.put("authorize_url", base + "/{subdomain}/oauth/authorizations/new");
                urls.put("token_url", base + "/{subdomain}/oauth/tokens");
                urls.put("identity_url", base + "/{subdomain}/api/v2/users/me.json");
                urls.put("api_base_url", base + "/{subdomain}/api/v2");
            }
            case SERVICENOW -> {
                urls.put("authorize_url", base + "/{instance}/oauth_auth.do");
                urls.put("token_url", base + "/{instance}/oauth_token.do");
                urls.put("identity_url", base + "/{instance}/api/now/table/sys_user?sysparm_query="
                        + "user_name%3Djavascript:gs.getUserName()&sysparm_limit=1&sysparm_fields=sys_id,user_name,email,name");
                urls.put("revoke_url", base + "/{instance}/oauth_revoke_token.do");
                urls.put("api_base_url", base + "/{instance}/api/now");
            }
            case CONFLUENCE -> {
                urls.put("authorize_url", base + "/authorize");
                urls.put("token_url", base + "/oauth/token");
                urls.put("identity_url", base + "/oauth/token/accessible-resources");
                urls.put("api_base_url", base);
            }
        }
        return urls;
    }

    /** Zendesk's current-token DELETE and Intercom's uninstall, which {@link #urls()} leaves out. */
    public Optional<String> extraRevokeUrl() {
        return switch (family) {
            case ZENDESK -> Optional.of(baseUrl() + "/{subdomain}/api/v2/oauth/tokens/current.json");
            case INTERCOM -> Optional.of(baseUrl() + "/auth/uninstall");
            default -> Optional.empty();
        };
    }

    /**
     * The user's browser at {@code authorizeUrl} (the URL {@code /integrations/oauth_url} returned):
     * a GET that does not follow redirects. Returns the callback URL the provider sent it to.
     *
     * @throws IllegalStateException when the provider showed an error page instead of redirecting
     */
    public String authorize(String authorizeUrl) {
        return Browser.follow(authorizeUrl);
    }

    // ---------------------------------------------------------------- routing

    private void routes() {
        switch (family) {
            case GOOGLE -> {
                on("GET", "/o/oauth2/v2/auth", this::authorizePage);
                on("POST", "/token", this::token);
                on("GET", "/v1/userinfo", this::identity);
                on("GET", "/oauth2/v3/userinfo", this::identity);
                on("POST", "/revoke", this::revokeForm);
            }
            case MICROSOFT -> {
                on("GET", "/*/oauth2/v2.0/authorize", this::authorizePage);
                on("POST", "/*/oauth2/v2.0/token", this::token);
                on("GET", "/v1.0/me", this::identity);
            }
            case NOTION -> {
                on("GET", "/v1/oauth/authorize", this::authorizePage);
                on("POST", "/v1/oauth/token", this::token);
                on("GET", "/v1/users/me", this::identity);
                on("POST", "/v1/oauth/revoke", this::revokeNotion);
            }
            case SLACK -> {
                on("GET", "/oauth/v2/authorize", this::authorizePage);
                on("POST", "/api/oauth.v2.access", this::token);
                on("GET", "/api/auth.test", this::identity);
                on("POST", "/api/auth.test", this::identity);
                on("POST", "/api/auth.revoke", this::revokeBearer);
                on("GET", "/api/auth.revoke", this::revokeBearer);
            }
            case SALESFORCE -> {
                on("GET", "/*/services/oauth2/authorize", this::authorizePage);
                on("POST", "/*/services/oauth2/token", this::token);
                on("POST", "/*/services/oauth2/revoke", this::revokeForm);
                on("GET", "/services/oauth2/userinfo", this::identity);
                on("GET", "/id/*/*", this::identity);
            }
            case GONG -> {
                on("GET", "/oauth2/authorize", this::authorizePage);
                on("POST", "/oauth2/generate-customer-token", this::token);
                on("GET", "/v2/users", this::identity);
                on("GET", "/v2/workspaces", this::gongWorkspaces);
            }
            case INTERCOM -> {
                on("GET", "/oauth", this::authorizePage);
                on("POST", "/auth/eagle/token", this::token);
                on("GET", "/me", this::identity);
                on("POST", "/auth/uninstall", this::revokeBearer);
            }
            case DROPBOX -> {
                on("GET", "/oauth2/authorize", this::authorizePage);
                on("POST", "/oauth2/token", this::token);
                on("POST", "/2/users/get_current_account", this::identity);
                on("POST", "/2/auth/token/revoke", this::revokeBearer);
            }
            case BOX -> {
                on("GET", "/api/oauth2/authorize", this::authorizePage);
                on("POST", "/oauth2/token", this::token);
                on("GET", "/2.0/users/me", this::identity);
                on("POST", "/oauth2/revoke", this::revokeForm);
            }
            case ZENDESK -> {
                on("GET", "/*/oauth/authorizations/new", this::authorizePage);
                on("POST", "/*/oauth/tokens", this::token);
                on("GET", "/*/api/v2/users/me.json", this::identity);
                on("DELETE", "/*/api/v2/oauth/tokens/current.json", this::revokeBearer);
            }
            case SERVICENOW -> {
                on("GET", "/*/oauth_auth.do", this::authorizePage);
                on("POST", "/*/oauth_token.do", this::token);
                on("GET", "/*/api/now/table/sys_user", this::identity);
                on("POST", "/*/oauth_revoke_token.do", this::revokeForm);
                on("GET", "/*/oauth_revoke_token.do", this::revokeForm);
            }
            case CONFLUENCE -> {
                on("GET", "/authorize", this::authorizePage);
                on("POST", "/oauth/token", this::token);
                on("GET", "/oauth/token/accessible-resources", this::identity);
                on("GET", "/me", this::atlassianMe);
            }
        }
    }

    private void on(String method, String pattern, Route route) {
        endpoints.add(new Endpoint(method, pattern.substring(1).split("/"), route));
    }

    private Reply dispatch(RecordedRequest request) throws Exception {
        String[] path = request.path().substring(1).split("/");
        for (Endpoint e : endpoints) {
            if (e.method().equals(request.method()) && matches(e.segments(), path)) return e.route().answer(request);
        }
        return Reply.json(404, Map.of("error", "not_found", "error_description",
                "No route " + request.method() + " " + request.path() + " on the fake " + service));
    }

    private static boolean matches(String[] pattern, String[] path) {
        if (pattern.length != path.length) return false;
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].equals("*") ? path[i].isEmpty() : !pattern[i].equals(path[i])) return false;
        }
        return true;
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return true; // each endpoint checks its own credentials, with its own error body
    }

    @Override
    protected Reply unauthorized() {
        return Reply.json(401, Map.of("error", "invalid_client"));
    }

    // ---------------------------------------------------------------- authorize

    private synchronized Reply authorizePage(RecordedRequest request) {
        Map<String, String> q = Browser.decode(request.query().orElse(""));
        lastAuthorization = Map.copyOf(q);
        if (!clientId.equals(q.get("client_id"))) return errorPage("Invalid client_id: " + q.getOrDefault("client_id", "(none)"));
        String redirect = q.get("redirect_uri");
        if (redirect == null || redirect.isBlank()) return errorPage("redirect_uri is required");
        if (!redirect.startsWith("http://") && !redirect.startsWith("https://")) return errorPage("redirect_uri must be absolute");
        String state = q.get("state");
        if (state == null || state.isBlank()) return errorPage("state is required");
        String responseType = q.get("response_type");
        boolean responseTypeOptional = family == Family.SLACK || family == Family.INTERCOM;
        if (!(responseTypeOptional && responseType == null) && !"code".equals(responseType)) {
            return redirect(redirect, Map.of("error", "unsupported_response_type", "error_description",
                    "response_type must be code", "state", state));
        }
        if (family == Family.CONFLUENCE && !"api.atlassian.com".equals(q.get("audience"))) {
            return errorPage("audience=api.atlassian.com is required");
        }
        if (family == Family.NOTION && !"user".equals(q.get("owner"))) return errorPage("owner=user is required");
        Optional<String> challenge = Optional.ofNullable(q.get("code_challenge")).filter(c -> !c.isBlank());
        if (challenge.isPresent() && !"S256".equals(q.get("code_challenge_method"))) {
            return redirect(redirect, Map.of("error", "invalid_request", "error_description",
                    "code_challenge_method must be S256", "state", state));
        }
        if (denyNext) {
            denyNext = false;
            return redirect(redirect, Map.of("error", "access_denied", "error_description",
                    "The user denied access to " + service, "state", state));
        }
        String scope = family == Family.SLACK
                ? String.join(" ", q.getOrDefault("scope", ""), q.getOrDefault("user_scope", "")).strip()
                : q.getOrDefault("scope", "");
        Pending consent = new Pending(Map.copyOf(q), redirect, state, scope, challenge);
        if (consentPage) {
            String id = "consent-" + token(16);
            pendingConsents.put(id, consent);
            return new Reply(200, Map.of("Content-Type", "text/html; charset=utf-8", "Cache-Control", "no-store"),
                    ConsentPage.html(service, clientId, scope, account, redirect, id));
        }
        return approve(consent);
    }

    /** The user approved: a code for the consent, and the browser back to the redirect URI with it. */
    private Reply approve(Pending consent) {
        String code = "code-" + token(24);
        codes.put(code, new Consent("grant-" + token(8), consent.params().get("client_id"),
                Optional.of(consent.redirectUri()), consent.scope(), consent.challenge(), consent.params(), Instant.now()));
        Map<String, String> back = new LinkedHashMap<>();
        back.put("code", code);
        back.put("state", consent.state());
        return redirect(consent.redirectUri(), back);
    }

    /** The consent page's form: Allow approves as {@link #approve} does, Deny returns {@code access_denied}. */
    private synchronized Reply consentDecision(RecordedRequest request) {
        if (!request.header("content-type").orElse("").startsWith("application/x-www-form-urlencoded")) {
            return errorPage("The consent form must be posted as application/x-www-form-urlencoded");
        }
        Map<String, String> form = request.form();
        String decision = form.getOrDefault("decision", "");
        if (!decision.equals("allow") && !decision.equals("deny")) {
            return errorPage("decision must be allow or deny, not " + (decision.isEmpty() ? "(none)" : decision));
        }
        Pending consent = pendingConsents.remove(form.getOrDefault("consent_id", ""));
        if (consent == null) return errorPage("This consent request is unknown or was already answered");
        if (decision.equals("allow")) return approve(consent);
        return redirect(consent.redirectUri(), Map.of("error", "access_denied", "error_description",
                "The user denied access to " + service, "state", consent.state()));
    }

    private static Reply redirect(String redirectUri, Map<String, String> params) {
        return new Reply(302, Map.of("Location", Browser.withQuery(redirectUri, params)), "");
    }

    private static Reply errorPage(String problem) {
        return new Reply(400, Map.of("Content-Type", "text/html; charset=utf-8"),
                "<html><body><h1>Authorization error</h1><p>" + problem.replace("<", "&lt;") + "</p></body></html>");
    }

    // ---------------------------------------------------------------- token endpoint

    private synchronized Reply token(RecordedRequest request) {
        tokenRequests.incrementAndGet();
        Optional<Map<String, String>> parsed = parameters(request, bodies());
        if (parsed.isEmpty()) {
            return tokenError(400, "invalid_request", "invalid_arguments",
                    "the token request must be sent as " + bodies() + " (got " + request.header("content-type")
                            .orElse("no content type") + ")");
        }
        Map<String, String> params = parsed.get();
        String grantType = params.getOrDefault("grant_type",
                family == Family.SLACK || family == Family.INTERCOM ? "authorization_code" : "");
        if (grantType.equals("refresh_token")) refreshRequests.incrementAndGet();
        Optional<Reply> clientProblem = checkClient(request, params);
        if (clientProblem.isPresent()) return clientProblem.get();
        return switch (grantType) {
            case "authorization_code" -> exchange(params);
            case "refresh_token" -> refresh(params);
            case "" -> tokenError(400, "invalid_request", "invalid_grant_type", "grant_type is required");
            default -> tokenError(400, "unsupported_grant_type", "invalid_grant_type", "grant_type " + grantType
                    + " is not supported");
        };
    }

    private Set<Body> bodies() {
        return switch (family) {
            case NOTION -> Set.of(Body.JSON);
            case CONFLUENCE, ZENDESK -> Set.of(Body.FORM, Body.JSON);
            case INTERCOM -> Set.of(Body.FORM, Body.JSON, Body.QUERY);
            case GONG -> Set.of(Body.FORM, Body.QUERY);
            default -> Set.of(Body.FORM);
        };
    }

    private ClientAuth clientAuth() {
        return switch (family) {
            case NOTION, GONG -> ClientAuth.BASIC_ONLY;
            case BOX, ZENDESK, CONFLUENCE, INTERCOM, SERVICENOW -> ClientAuth.BODY_ONLY;
            default -> ClientAuth.EITHER;
        };
    }

    /** The request's parameters from the body formats (and query) the service takes; empty when it sent another. */
    private static Optional<Map<String, String>> parameters(RecordedRequest request, Set<Body> accepted) {
        Map<String, String> params = new LinkedHashMap<>();
        if (accepted.contains(Body.QUERY)) params.putAll(Browser.decode(request.query().orElse("")));
        String type = request.header("content-type").orElse("").toLowerCase(Locale.ROOT);
        boolean empty = request.body().length == 0;
        if (type.startsWith("application/x-www-form-urlencoded") && accepted.contains(Body.FORM)) {
            params.putAll(request.form());
        } else if (type.startsWith("application/json") && accepted.contains(Body.JSON)) {
            JsonNode json = request.json();
            if (!json.isObject()) return Optional.empty();
            json.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().isValueNode()
                    ? e.getValue().asText() : e.getValue().toString()));
        } else if (!(empty && accepted.contains(Body.QUERY) && !params.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(params);
    }

    private Optional<Reply> checkClient(RecordedRequest request, Map<String, String> params) {
        Optional<String[]> basic = Browser.basic(request.header("authorization"));
        boolean basicOk = basic.map(b -> b[0].equals(clientId) && b[1].equals(clientSecret)).orElse(false);
        boolean bodyOk = clientId.equals(params.get("client_id")) && clientSecret.equals(params.get("client_secret"));
        boolean ok = switch (clientAuth()) {
            case BASIC_ONLY -> basicOk;
            case BODY_ONLY -> bodyOk;
            case EITHER -> basicOk || bodyOk;
        };
        if (ok) return Optional.empty();
        String how = switch (clientAuth()) {
            case BASIC_ONLY -> "HTTP Basic client_id:client_secret";
            case BODY_ONLY -> "client_id and client_secret in the body";
            case EITHER -> "HTTP Basic or client_id and client_secret in the body";
        };
        boolean knownId = basic.map(b -> b[0].equals(clientId)).orElse(false) || clientId.equals(params.get("client_id"));
        return Optional.of(tokenError(401, "invalid_client", knownId ? "bad_client_secret" : "invalid_client_id",
                "Client authentication failed: " + service + " expects " + how));
    }

    private Reply exchange(Map<String, String> params) {
        String code = params.get("code");
        Consent consent = code == null ? null : codes.get(code);
        if (consent == null) {
            return tokenError(400, "invalid_grant", "invalid_code", "The authorization code is invalid or was already used");
        }
        codes.remove(code); // single use, whatever happens next
        if (Instant.now().isAfter(consent.issuedAt().plus(CODE_LIFETIME))) {
            return tokenError(400, "invalid_grant", "invalid_code", "The authorization code expired");
        }
        String redirect = params.get("redirect_uri");
        boolean redirectRequired = family != Family.INTERCOM;
        if ((redirect == null && redirectRequired) || (redirect != null && !consent.redirectUri().orElse("").equals(redirect))) {
            return family == Family.GOOGLE
                    ? tokenError(400, "redirect_uri_mismatch", "bad_redirect_uri", "Bad Request")
                    : tokenError(400, "invalid_grant", "bad_redirect_uri",
                    "redirect_uri does not match the authorization request");
        }
        if (consent.challenge().isPresent()) {
            String verifier = params.get("code_verifier");
            if (verifier == null || !s256(verifier).equals(consent.challenge().get())) {
                return tokenError(400, "invalid_grant", "invalid_code_verifier", "code_verifier does not match the code_challenge");
            }
        }
        grants.put(consent.grant(), consent);
        return Reply.json(200, tokenBody(consent, false, Optional.empty()));
    }

    private Reply refresh(Map<String, String> params) {
        if (refresh == RefreshBehaviour.NONE) {
            return tokenError(400, "unsupported_grant_type", "invalid_grant_type", service + " tokens cannot be refreshed");
        }
        String old = params.get("refresh_token");
        String grant = old == null ? null : refreshTokens.get(old);
        if (grant == null) {
            return tokenError(400, "invalid_grant", "invalid_refresh_token", family == Family.GOOGLE
                    ? "Token has been expired or revoked." : "The refresh token is invalid, expired or revoked");
        }
        Consent consent = grants.get(grant);
        if (refresh == RefreshBehaviour.ROTATING) refreshTokens.remove(old);
        return Reply.json(200, tokenBody(consent, true, Optional.of(old)));
    }

    /** Whether a code exchange yields a refresh token, as the service decides from the consent. */
    private boolean grantsRefreshToken(Consent consent) {
        if (!issueRefreshTokens || refresh == RefreshBehaviour.NONE) return false;
        List<String> scopes = Arrays.asList(consent.scope().split("[ ,]+"));
        return switch (family) {
            case GOOGLE -> "offline".equals(consent.params().get("access_type"));
            case MICROSOFT, CONFLUENCE -> scopes.contains("offline_access");
            case DROPBOX -> "offline".equals(consent.params().get("token_access_type"));
            case SALESFORCE -> consent.scope().isBlank() || scopes.contains("refresh_token") || scopes.contains("offline_access");
            case SLACK -> lifetime.isPresent();
            default -> true;
        };
    }

    /** The lifetime the service reports as {@code expires_in}, if it reports one. */
    private Optional<Long> reportedLifetime() {
        return switch (family) {
            case GOOGLE -> Optional.of(lifetime.orElse(3599L));
            case MICROSOFT, CONFLUENCE, BOX -> Optional.of(lifetime.orElse(3600L));
            case DROPBOX -> Optional.of(lifetime.orElse(14400L));
            case ZENDESK, SERVICENOW -> Optional.of(lifetime.orElse(1800L));
            case GONG -> Optional.of(lifetime.orElse(86400L));
            case SLACK -> lifetime;
            case SALESFORCE, NOTION, INTERCOM -> Optional.empty();
        };
    }

    private String issueAccess(Consent consent, boolean bot, String prefix) {
        String access = prefix + token(32);
        Optional<Instant> expires = lifetime.or(this::reportedLifetime).map(s -> Instant.now().plusSeconds(s));
        accessTokens.put(access, new Issued(consent.grant(), expires, bot));
        return access;
    }

    private String issueRefresh(Consent consent, String prefix) {
        String token = prefix + token(32);
        refreshTokens.put(token, consent.grant());
        return token;
    }

    /**
     * The token response. {@code previous}: on refresh, the refresh token used (a stable one is
     * echoed by ServiceNow, the rest send none back).
     */
    private ObjectNode tokenBody(Consent consent, boolean isRefresh, Optional<String> previous) {
        ObjectNode body = JSON.createObjectNode();
        boolean refreshing = isRefresh;
        boolean withRefresh = refreshing ? refresh == RefreshBehaviour.ROTATING : grantsRefreshToken(consent);
        Optional<Long> expiresIn = reportedLifetime();
        String scope = consent.scope();
        switch (family) {
            case GOOGLE -> {
                body.put("access_token", issueAccess(consent, false, "ya29."));
                expiresIn.ifPresent(s -> body.put("expires_in", s));
                if (withRefresh) body.put("refresh_token", issueRefresh(consent, "1//0g"));
                body.put("scope", scope);
                body.put("token_type", "Bearer");
            }
            case MICROSOFT -> {
                body.put("token_type", "Bearer");
                body.put("scope", scope.replace("offline_access", "").strip());
                expiresIn.ifPresent(s -> body.put("expires_in", s).put("ext_expires_in", s));
                body.put("access_token", issueAccess(consent, false, "eyJ0eXAiOiJKV1Qi."));
                if (withRefresh) body.put("refresh_token", issueRefresh(consent, "0.AVYA"));
            }
            case NOTION -> {
                body.put("access_token", issueAccess(consent, false, "secret_"));
                body.put("token_type", "bearer");
                if (withRefresh) body.put("refresh_token", issueRefresh(consent, "nrt_"));
                body.put("bot_id", "b0t-" + organizationId);
                body.put("workspace_id", organizationId);
                body.put("workspace_name", organizationName);
                body.put("workspace_icon", "https://www.notion.so/images/favicon.ico");
                ObjectNode owner = body.putObject("owner");
                owner.put("type", "user");
                ObjectNode user = owner.putObject("user");
                user.put("object", "user").put("id", account.id()).put("name", account.name()).putNull("avatar_url")
                        .put("type", "person");
                user.putObject("person").put("email", account.email());
                body.putNull("duplicated_template_id");
                body.put("request_id", token(8));
            }
            case SLACK -> slackBody(body, consent, refreshing, previous, withRefresh);
            case SALESFORCE -> {
                body.put("access_token", issueAccess(consent, false, "00D!AQ"));
                if (withRefresh) body.put("refresh_token", issueRefresh(consent, "5Aep"));
                body.put("signature", Base64.getEncoder().encodeToString(token(16).getBytes(StandardCharsets.UTF_8)));
                body.put("scope", scope.isBlank() ? "api refresh_token" : scope);
                body.put("instance_url", baseUrl().toString());
                body.put("id", baseUrl() + "/id/" + organizationId + "/" + account.id());
                body.put("token_type", "Bearer");
                body.put("issued_at", Long.toString(Instant.now().toEpochMilli()));
            }
            case GONG -> {
                body.put("access_token", issueAccess(consent, false, "eyJhbGciOi."));
                if (withRefresh) body.put("refresh_token", issueRefresh(consent, "gong-rt-"));
                body.put("scope", scope);
                body.put("token_type", "bearer");
                expiresIn.ifPresent(s -> body.put("expires_in", s));
                body.put("api_base_url_for_customer", baseUrl().toString());
            }
            case INTERCOM -> {
                String access = issueAccess(consent, false, "dG9rOm");
                body.put("token_type", "Bearer");
                body.put("token", access);
                if (!tokenFieldOnly) body.put("access_token", access);
            }
            case DROPBOX -> {
                body.put("access_token", issueAccess(consent, false, "sl."));
                body.put("token_type", "bearer");
                expiresIn.ifPresent(s -> body.put("expires_in", s));
                if (withRefresh) body.put("refresh_token", issueRefresh(consent, "dbx-rt-"));
                if (!refreshing) {
                    body.put("scope", scope);
                    body.put("uid", "12345");
                    body.put("account_id", "dbid:" + account.id());
                }
            }
            case BOX -> {
                body.put("access_token", issueAccess(consent, false, "box-at-"));
                expiresIn.ifPresent(s -> body.put("expires_in", s));
                body.put("token_type", "bearer");
                if (withRefresh) body.put("refresh_token", issueRefresh(consent, "box-rt-"));
                body.put("issued_token_type", "urn:ietf:params:oauth:token-type:access_token");
                body.putArray("restricted_to");
            }
            case ZENDESK -> {
                body.put("access_token", issueAccess(consent, false, "zd-at-"));
                body.put("token_type", "bearer");
                body.put("scope", scope.isBlank() ? "read" : scope);
                if (withRefresh) {
                    body.put("refresh_token", issueRefresh(consent, "zd-rt-"));
                    body.put("refresh_token_expires_in", 2592000);
                }
                expiresIn.ifPresent(s -> body.put("expires_in", s));
            }
            case SERVICENOW -> {
                body.put("access_token", issueAccess(consent, false, "sn-at-"));
                if (withRefresh) {
                    body.put("refresh_token", issueRefresh(consent, "sn-rt-"));
                } else if (refreshing && previous.isPresent()) {
                    body.put("refresh_token", previous.get()); // ServiceNow echoes the refresh token it keeps
                }
                body.put("scope", scope.isBlank() ? "useraccount" : scope);
                body.put("token_type", "Bearer");
                expiresIn.ifPresent(s -> body.put("expires_in", s));
            }
            case CONFLUENCE -> {
                body.put("access_token", issueAccess(consent, false, "eyJraWQiOi."));
                expiresIn.ifPresent(s -> body.put("expires_in", s));
                body.put("token_type", "Bearer");
                if (withRefresh) body.put("refresh_token", issueRefresh(consent, "atl-rt-"));
                body.put("scope", scope);
            }
        }
        return body;
    }

    /**
     * Slack: a bot token when bot scopes ({@code scope}) were granted, a user token in
     * {@code authed_user} when user scopes ({@code user_scope}) were; both rotate (refresh token and
     * {@code expires_in}) only with token rotation on. A refresh answers at the top level.
     */
    private void slackBody(ObjectNode body, Consent consent, boolean refreshing, Optional<String> previous,
                           boolean withRefresh) {
        Optional<Long> expiresIn = reportedLifetime();
        body.put("ok", true);
        if (refreshing) {
            body.put("access_token", issueAccess(consent, false, "xoxe.xoxp-1-"));
            if (withRefresh) body.put("refresh_token", issueRefresh(consent, "xoxe-1-"));
            expiresIn.ifPresent(s -> body.put("expires_in", s));
            body.put("token_type", "user");
            body.put("scope", consent.params().getOrDefault("user_scope", consent.params().getOrDefault("scope", "")));
            body.putObject("team").put("id", organizationId).put("name", organizationName);
            return;
        }
        String botScope = consent.params().getOrDefault("scope", "");
        String userScope = consent.params().getOrDefault("user_scope", "");
        boolean bot = !botScope.isBlank() || userScope.isBlank();
        body.put("app_id", "A0FAKEAPP");
        ObjectNode user = body.putObject("authed_user");
        user.put("id", account.id());
        if (!userScope.isBlank()) {
            user.put("scope", userScope);
            user.put("access_token", issueAccess(consent, false, lifetime.isPresent() ? "xoxe.xoxp-1-" : "xoxp-"));
            user.put("token_type", "user");
            if (withRefresh) user.put("refresh_token", issueRefresh(consent, "xoxe-1-"));
            expiresIn.ifPresent(s -> user.put("expires_in", s));
        }
        if (bot) {
            body.put("scope", botScope);
            body.put("token_type", "bot");
            body.put("access_token", issueAccess(consent, true, lifetime.isPresent() ? "xoxe.xoxb-1-" : "xoxb-"));
            body.put("bot_user_id", "U0FAKEBOT");
            if (withRefresh && userScope.isBlank()) body.put("refresh_token", issueRefresh(consent, "xoxe-1-"));
            if (userScope.isBlank()) expiresIn.ifPresent(s -> body.put("expires_in", s));
        }
        body.putObject("team").put("id", organizationId).put("name", organizationName);
        body.putNull("enterprise");
        body.put("is_enterprise_install", false);
    }

    private Reply tokenError(int status, String error, String slackError, String description) {
        if (family == Family.SLACK) return Reply.json(200, Map.of("ok", false, "error", slackError));
        return Reply.json(status, Map.of("error", error, "error_description", description));
    }

    // ---------------------------------------------------------------- identity

    /** The live token's record, if {@code token} is one. */
    private synchronized Optional<Issued> live(String token) {
        Issued issued = token == null ? null : accessTokens.get(token);
        if (issued == null || !grants.containsKey(issued.grant())) return Optional.empty();
        if (issued.expiresAt().map(at -> !Instant.now().isBefore(at)).orElse(false)) return Optional.empty();
        return Optional.of(issued);
    }

    private synchronized Reply identity(RecordedRequest request) {
        Optional<String> bearer = Browser.bearer(request.header("authorization"));
        Optional<Issued> issued = bearer.flatMap(this::live);
        if (issued.isEmpty()) return invalidToken(bearer.isPresent() && accessTokens.containsKey(bearer.get()));
        ObjectNode body = JSON.createObjectNode();
        switch (family) {
            case GOOGLE -> body.put("sub", account.id()).put("email", account.email()).put("email_verified", true)
                    .put("name", account.name()).put("picture", "https://lh3.googleusercontent.com/a/fake");
            case MICROSOFT -> {
                body.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#users/$entity");
                body.put("id", account.id()).put("displayName", account.name()).put("mail", account.email())
                        .put("userPrincipalName", account.email());
            }
            case NOTION -> {
                if (request.header("notion-version").isEmpty()) {
                    return Reply.json(400, Map.of("object", "error", "status", 400, "code", "missing_version",
                            "message", "Notion-Version header failed validation: Notion-Version header should be defined"));
                }
                body.put("object", "user").put("id", "b0t-" + organizationId).put("type", "bot")
                        .put("name", "Catchment").putNull("avatar_url");
                ObjectNode bot = body.putObject("bot");
                ObjectNode owner = bot.putObject("owner");
                owner.put("type", "user");
                owner.putObject("user").put("object", "user").put("id", account.id()).put("name", account.name())
                        .put("type", "person").putObject("person").put("email", account.email());
                bot.put("workspace_name", organizationName);
                body.put("request_id", token(8));
            }
            case SLACK -> {
                body.put("ok", true).put("url", "https://" + organizationName.toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9]", "") + ".slack.com/").put("team", organizationName)
                        .put("user", issued.get().bot() ? "catchment" : account.name()).put("team_id", organizationId)
                        .put("user_id", issued.get().bot() ? "U0FAKEBOT" : account.id());
                if (issued.get().bot()) body.put("bot_id", "B0FAKEBOT");
                body.put("is_enterprise_install", false);
            }
            case SALESFORCE -> {
                String idUrl = baseUrl() + "/id/" + organizationId + "/" + account.id();
                if (request.path().startsWith("/id/")) {
                    body.put("id", idUrl).put("asserted_user", true).put("user_id", account.id())
                            .put("organization_id", organizationId).put("username", account.email())
                            .put("display_name", account.name()).put("email", account.email());
                } else {
                    body.put("sub", idUrl).put("user_id", account.id()).put("organization_id", organizationId)
                            .put("preferred_username", account.email()).put("email", account.email())
                            .put("name", account.name());
                }
            }
            case GONG -> {
                body.put("requestId", token(8));
                body.putObject("records").put("totalRecords", 1).put("currentPageSize", 1).put("currentPageNumber", 0);
                String[] names = account.name().split(" ", 2);
                body.putArray("users").addObject().put("id", account.id()).put("emailAddress", account.email())
                        .put("firstName", names[0]).put("lastName", names.length > 1 ? names[1] : "").put("active", true);
            }
            case INTERCOM -> {
                body.put("type", "admin").put("id", account.id()).put("email", account.email()).put("name", account.name())
                        .put("email_verified", true);
                body.putObject("app").put("type", "app").put("id_code", organizationId).put("name", organizationName)
                        .put("region", "US").put("timezone", "Europe/London");
            }
            case DROPBOX -> {
                // An RPC endpoint without arguments: the body must be JSON null (or nothing at all).
                String type = request.header("content-type").orElse("");
                String text = request.bodyText().strip();
                boolean ok = type.startsWith("application/json") ? text.equals("null") : text.isEmpty();
                if (!ok) {
                    return new Reply(400, Map.of("Content-Type", "text/plain; charset=utf-8"),
                            "Error in call to API function \"users/get_current_account\": request body: could not decode input as JSON");
                }
                String[] names = account.name().split(" ", 2);
                body.put("account_id", "dbid:" + account.id());
                body.putObject("name").put("given_name", names[0]).put("surname", names.length > 1 ? names[1] : "")
                        .put("familiar_name", names[0]).put("display_name", account.name())
                        .put("abbreviated_name", names[0].substring(0, 1));
                body.put("email", account.email()).put("email_verified", true).put("disabled", false)
                        .put("country", "GB").put("locale", "en");
                body.putObject("account_type").put(".tag", "basic");
                body.putObject("root_info").put(".tag", "user").put("root_namespace_id", "3235641")
                        .put("home_namespace_id", "3235641");
            }
            case BOX -> body.put("type", "user").put("id", account.id()).put("name", account.name())
                    .put("login", account.email()).put("status", "active").put("space_used", 1024);
            case ZENDESK -> {
                ObjectNode user = body.putObject("user");
                if (account.id().matches("\\d{1,18}")) user.put("id", Long.parseLong(account.id()));
                else user.put("id", account.id());
                user.put("name", account.name()).put("email", account.email()).put("role", "admin")
                        .put("url", baseUrl() + request.path());
            }
            case SERVICENOW -> {
                ArrayNode result = body.putArray("result");
                result.addObject().put("sys_id", account.id()).put("user_name", account.email().split("@")[0])
                        .put("email", account.email()).put("name", account.name());
            }
            case CONFLUENCE -> {
                ArrayNode list = JSON.createArrayNode();
                Consent consent = grants.get(issued.get().grant());
                for (Site site : sites) {
                    ObjectNode s = list.addObject().put("id", site.id()).put("name", site.name()).put("url", site.url());
                    ArrayNode scopes = s.putArray("scopes");
                    for (String scope : consent.scope().split(" ")) if (!scope.isBlank()) scopes.add(scope);
                    s.put("avatarUrl", "https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png");
                }
                return Reply.json(200, list);
            }
        }
        return Reply.json(200, body);
    }

    private synchronized Reply gongWorkspaces(RecordedRequest request) {
        if (Browser.bearer(request.header("authorization")).flatMap(this::live).isEmpty()) return invalidToken(false);
        ObjectNode body = JSON.createObjectNode().put("requestId", token(8));
        body.putArray("workspaces").addObject().put("id", organizationId).put("name", organizationName)
                .put("description", "");
        return Reply.json(200, body);
    }

    private synchronized Reply atlassianMe(RecordedRequest request) {
        if (Browser.bearer(request.header("authorization")).flatMap(this::live).isEmpty()) return invalidToken(false);
        return Reply.json(200, Map.of("account_id", account.id(), "email", account.email(), "name", account.name(),
                "picture", "https://avatar-management.services.atlassian.com/fake"));
    }

    /** The service's answer to a missing, unknown, expired or revoked access token. */
    private Reply invalidToken(boolean known) {
        return switch (family) {
            case GOOGLE -> Reply.json(401, Map.of("error", Map.of("code", 401, "message",
                    "Request had invalid authentication credentials.", "status", "UNAUTHENTICATED")));
            case MICROSOFT -> Reply.json(401, Map.of("error", Map.of("code", "InvalidAuthenticationToken", "message",
                    known ? "Lifetime validation failed, the token is expired." : "IDX14100: JWT is not well formed.")));
            case NOTION -> Reply.json(401, Map.of("object", "error", "status", 401, "code", "unauthorized",
                    "message", "API token is invalid."));
            case SLACK -> Reply.json(200, Map.of("ok", false, "error", known ? "token_expired" : "invalid_auth"));
            case SALESFORCE -> Reply.json(401, List.of(Map.of("message", "Session expired or invalid", "errorCode",
                    "INVALID_SESSION_ID")));
            case GONG -> Reply.json(401, Map.of("requestId", token(8), "errors", List.of("Access denied")));
            case INTERCOM -> Reply.json(401, Map.of("type", "error.list", "request_id", token(8), "errors",
                    List.of(Map.of("code", "unauthorized", "message", "Access Token Invalid"))));
            case DROPBOX -> Reply.json(401, Map.of("error_summary", known ? "expired_access_token/" : "invalid_access_token/",
                    "error", Map.of(".tag", known ? "expired_access_token" : "invalid_access_token")));
            case BOX -> new Reply(401, Map.of("WWW-Authenticate", "Bearer realm=\"Service\", error=\"invalid_token\", "
                    + "error_description=\"The access token provided is invalid.\""), "");
            case ZENDESK -> Reply.json(401, Map.of("error", "invalid_token", "error_description",
                    "The access token provided is expired, revoked, malformed or invalid for other reasons."));
            case SERVICENOW -> Reply.json(401, Map.of("error", Map.of("message", "User Not Authenticated", "detail",
                    "Required to provide Auth information"), "status", "failure"));
            case CONFLUENCE -> Reply.json(401, Map.of("code", 401, "message", "Unauthorized"));
        };
    }

    // ---------------------------------------------------------------- revocation

    /** RFC 7009 style: the token in a form or query (Google, Salesforce, Box with its client credentials, ServiceNow). */
    private synchronized Reply revokeForm(RecordedRequest request) {
        Map<String, String> params = new LinkedHashMap<>(Browser.decode(request.query().orElse("")));
        if (request.header("content-type").orElse("").startsWith("application/x-www-form-urlencoded")) {
            params.putAll(request.form());
        }
        if (family == Family.BOX && !(clientId.equals(params.get("client_id")) && clientSecret.equals(params.get("client_secret")))) {
            return Reply.json(400, Map.of("error", "invalid_client", "error_description", "The client credentials are not valid"));
        }
        String token = params.get("token");
        if (token == null || !revokeGrantOf(token)) {
            return switch (family) {
                case GOOGLE -> Reply.json(400, Map.of("error", "invalid_token", "error_description", "Token expired or revoked"));
                case SALESFORCE -> Reply.json(400, Map.of("error", "invalid_token", "error_description", "Token was invalid"));
                default -> Reply.json(200, Map.of()); // Box and ServiceNow do not say whether the token existed
            };
        }
        return family == Family.GOOGLE ? Reply.json(200, Map.of()) : new Reply(200, Map.of(), "");
    }

    /** The token that authenticates the call is revoked (Slack, Dropbox, Zendesk, Intercom). */
    private synchronized Reply revokeBearer(RecordedRequest request) {
        Optional<String> bearer = Browser.bearer(request.header("authorization"));
        if (bearer.flatMap(this::live).isEmpty()) return invalidToken(bearer.map(accessTokens::containsKey).orElse(false));
        if (family == Family.DROPBOX) {
            String text = request.bodyText().strip();
            if (!(text.isEmpty() || text.equals("null"))) {
                return new Reply(400, Map.of("Content-Type", "text/plain"),
                        "Error in call to API function \"auth/token/revoke\": request body: could not decode input as JSON");
            }
        }
        revokeGrantOf(bearer.get());
        return switch (family) {
            case SLACK -> Reply.json(200, Map.of("ok", true, "revoked", true));
            case DROPBOX -> Reply.json(200, "null");
            case ZENDESK -> new Reply(204, Map.of(), "");
            default -> Reply.json(200, Map.of());
        };
    }

    /** Notion: JSON {@code {token}} with the client's Basic credentials and a Notion-Version. */
    private synchronized Reply revokeNotion(RecordedRequest request) {
        boolean basicOk = Browser.basic(request.header("authorization"))
                .map(b -> b[0].equals(clientId) && b[1].equals(clientSecret)).orElse(false);
        if (!basicOk) {
            return Reply.json(401, Map.of("object", "error", "status", 401, "code", "unauthorized", "message",
                    "Invalid client credentials."));
        }
        if (request.header("notion-version").isEmpty() || !request.json().path("token").isTextual()) {
            return Reply.json(400, Map.of("object", "error", "status", 400, "code", "validation_error", "message",
                    "body.token should be defined and Notion-Version header should be defined"));
        }
        revokeGrantOf(request.json().path("token").asText());
        return Reply.json(200, Map.of("request_id", token(8)));
    }

    /** Revokes the grant an access or refresh token belongs to; false when the token is unknown or dead. */
    private boolean revokeGrantOf(String token) {
        String grant = Optional.ofNullable(accessTokens.get(token)).map(Issued::grant).orElse(refreshTokens.get(token));
        if (grant == null || !grants.containsKey(grant)) return false;
        revoked.add(token);
        grants.remove(grant);
        refreshTokens.values().removeIf(grant::equals);
        return true;
    }

    // ---------------------------------------------------------------- helpers

    private String token(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
