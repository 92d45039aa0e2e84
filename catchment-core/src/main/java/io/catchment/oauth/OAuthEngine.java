package io.catchment.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.datasource.Credentials;
import io.catchment.datasource.DataSources;
import io.catchment.datasource.NewConnection;
import io.catchment.json.Json;
import java.net.URI;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth flow from {@code /integrations/oauth_url} to a stored data source: {@link #begin}
 * builds the provider's authorize URL around a single-use state; {@link #complete} takes the
 * callback, exchanges the code, identifies the account and connects it (ADD, or UPDATE when the
 * customer had connected the same account before).
 */
public final class OAuthEngine {
    private static final Logger log = LoggerFactory.getLogger(OAuthEngine.class);
    /** Token-response fields that are secrets or bulky; everything else textual is kept as metadata. */
    private static final Set<String> NOT_METADATA = Set.of("access_token", "refresh_token", "id_token", "token",
            "oauth_token", "oauth_token_secret", "signature", "expires_in", "ext_expires_in", "token_type", "scope",
            "refresh_token_expires_in", "issued_at", "ok");

    private final ProviderCatalog catalog;
    private final ClientApps apps;
    private final OAuthFlows flows;
    private final TokenClient tokens;
    private final IdentityClient identity;
    private final OAuth1Client oauth1;
    private final DataSources dataSources;

    public OAuthEngine(ProviderCatalog catalog, ClientApps apps, OAuthFlows flows, TokenClient tokens,
                       IdentityClient identity, OAuth1Client oauth1, DataSources dataSources) {
        this.catalog = catalog;
        this.apps = apps;
        this.flows = flows;
        this.tokens = tokens;
        this.identity = identity;
        this.oauth1 = oauth1;
        this.dataSources = dataSources;
    }

    public ProviderCatalog catalog() {
        return catalog;
    }

    /**
     * What {@code /integrations/oauth_url} asked for.
     *
     * @param callbackBase {@code {public_url}}: the callback is {@code {callbackBase}/integrations/{slug}}
     *     unless the app has its own redirect URI
     * @param requestApp an app given in the request itself (ServiceNow's per-instance app)
     * @param connectFields connect inputs kept with the data source (tenant, site, subdomain, email, ...)
     * @param syncSettings the ingest options every synced file will get
     * @param apiKeyId the API key the request came with: the hosted pages' access token is minted under it
     */
    public record BeginRequest(long organizationId, long customerId, OAuthService service, List<String> scopes,
                               TemplateValues values, Map<String, String> connectFields, ObjectNode syncSettings,
                               ObjectNode dataSourceTags, String callbackBase, Optional<ClientApp> requestApp,
                               long apiKeyId) {}

    /** No app can connect this service for this organization. */
    public static final class MissingClientApp extends Exception {
        public MissingClientApp(OAuthService service) {
            super("No OAuth app is configured for " + service + ": set " + ClientApps.settingsFor(service)
                    + " on the server, or create a white label for " + service + " (POST /white_label/create)", null,
                    false, false);
        }
    }

    public URI begin(BeginRequest r) throws MissingClientApp, OAuthException {
        ProviderSpec spec = catalog.spec(r.service());
        ClientApp app = r.requestApp().or(() -> apps.appFor(r.organizationId(), r.service()))
                .orElseThrow(() -> new MissingClientApp(r.service()));
        String redirectUri = app.redirectUri().orElse(r.callbackBase() + "/integrations/" + spec.callbackSlug());
        List<String> scopes = r.scopes().isEmpty() ? spec.defaultScopes() : r.scopes();
        ObjectNode payload = Json.object();
        payload.put("redirect_uri", redirectUri);
        payload.put("client_id", app.clientId());
        r.requestApp().ifPresent(given -> payload.put("client_secret", given.clientSecret()));
        ObjectNode values = payload.putObject("template_values");
        r.values().values().forEach(values::put);
        ObjectNode fields = payload.putObject("connect_fields");
        r.connectFields().forEach(fields::put);
        payload.set("sync_settings", r.syncSettings());
        payload.set("data_source_tags", r.dataSourceTags());
        payload.put("api_key_id", r.apiKeyId());
        String state = flows.newState();
        URI url;
        if (spec.authMode() == ProviderSpec.AuthMode.OAUTH1A) {
            // OAuth 1.0a has no state parameter: our state rides in the callback URL instead.
            String callback = redirectUri + (redirectUri.contains("?") ? "&" : "?") + "state=" + state;
            OAuth1Client.RequestToken requestToken = oauth1.requestToken(spec, app, callback);
            payload.put("request_token", requestToken.token()).put("request_token_secret", requestToken.secret());
            url = AuthorizeUrls.buildOAuth1(spec, requestToken.token(), r.values());
        } else {
            Optional<Pkce> pkce = spec.pkce() ? Optional.of(Pkce.generate()) : Optional.empty();
            pkce.ifPresent(p -> payload.put("code_verifier", p.verifier()));
            url = AuthorizeUrls.build(spec, app, redirectUri, state, pkce.map(Pkce::challenge), scopes, r.values());
        }
        flows.start(state, OAuthFlows.Kind.OAUTH, r.organizationId(), r.customerId(), r.service(), payload,
                OAuthFlows.OAUTH_TTL);
        return url;
    }

    /** How a callback ended. */
    public sealed interface Completion {
        /** {@code apiKeyId}: the key the flow began with (absent for flows stored before it was kept). */
        record Connected(DataSources.Connected connected, OAuthService service, AccountIdentity account,
                         OptionalLong apiKeyId) implements Completion {}

        record Failed(Reason reason, Optional<OAuthService> service, String message) implements Completion {}
    }

    /** Why a callback failed, for the error page: each reason says what the user can do. */
    public enum Reason { UNKNOWN_CALLBACK, INVALID_STATE, STATE_USED, EXPIRED, DENIED, PROVIDER_ERROR, NO_APP }

    /** Handles {@code GET /integrations/{slug}?…}; never throws for anything a caller can send. */
    public Completion complete(String slug, Map<String, String> query) {
        Optional<ProviderSpec> found = catalog.bySlug(slug);
        if (found.isEmpty()) return failed(Reason.UNKNOWN_CALLBACK, Optional.empty(), "No service answers at /integrations/" + slug);
        ProviderSpec spec = found.get();
        Optional<OAuthService> service = Optional.of(spec.service());
        OAuthFlows.Claim claim = flows.claim(query.get("state"));
        OAuthFlows.Flow flow;
        switch (claim) {
            case OAuthFlows.Claim.Unknown u -> {
                return failed(Reason.INVALID_STATE, service, "This connection link is not valid (it was altered or not made here).");
            }
            case OAuthFlows.Claim.AlreadyUsed u -> {
                return failed(Reason.STATE_USED, service, "This connection link was already used.");
            }
            case OAuthFlows.Claim.Expired e -> {
                return failed(Reason.EXPIRED, service, "This connection link expired: links work for "
                        + OAuthFlows.OAUTH_TTL.toMinutes() + " minutes.");
            }
            case OAuthFlows.Claim.Claimed c -> flow = c.flow();
        }
        if (flow.service() != spec.service() || flow.kind() != OAuthFlows.Kind.OAUTH) {
            return failed(Reason.INVALID_STATE, service, "This connection link is not valid for " + spec.service() + ".");
        }
        if (query.containsKey("error")) {
            String description = Optional.ofNullable(query.get("error_description")).orElse(query.get("error"));
            Reason reason = "access_denied".equals(query.get("error")) ? Reason.DENIED : Reason.PROVIDER_ERROR;
            return failed(reason, service, reason == Reason.DENIED ? "Access was not granted: " + description
                    : spec.service() + " reported an error: " + description);
        }
        ObjectNode payload = flow.payload();
        TemplateValues values = new TemplateValues(strings(payload.path("template_values")));
        Map<String, String> connectFields = strings(payload.path("connect_fields"));
        Optional<ClientApp> app = appOf(flow, payload);
        if (app.isEmpty()) return failed(Reason.NO_APP, service, "The OAuth app for " + spec.service() + " was removed.");
        try {
            TokenSet tokenSet;
            Credentials credentials;
            if (spec.authMode() == ProviderSpec.AuthMode.OAUTH1A) {
                String verifier = query.get("oauth_verifier");
                if (verifier == null) return failed(Reason.PROVIDER_ERROR, service, spec.service() + " sent no verifier.");
                tokenSet = oauth1.accessToken(spec, app.get(), new OAuth1Client.RequestToken(
                        payload.path("request_token").asText(), payload.path("request_token_secret").asText()), verifier);
                credentials = new Credentials.OAuth1Token(tokenSet.accessToken(),
                        text(tokenSet.response(), "oauth_token_secret").orElse(tokenSet.accessToken()), extras(tokenSet, values, payload));
            } else {
                String code = query.get("code");
                if (code == null || code.isBlank()) return failed(Reason.PROVIDER_ERROR, service, spec.service() + " sent no code.");
                tokenSet = tokens.exchangeCode(spec, app.get(), values, code, payload.path("redirect_uri").asText(),
                        text(payload, "code_verifier"));
                credentials = new Credentials.OAuthTokens(tokenSet.accessToken(), tokenSet.refreshToken(),
                        tokenSet.expiresAt(), tokenSet.scope(), extras(tokenSet, values, payload));
            }
            AccountIdentity account;
            try {
                account = identity.identify(spec, values, tokenSet, connectFields);
            } catch (OAuthException unidentified) {
                // Nothing will be stored, so the grant just obtained must not outlive this request.
                revokeQuietly(spec, app.get(), values, tokenSet);
                throw unidentified;
            }
            ObjectNode metadata = metadata(account, tokenSet, connectFields);
            DataSources.Connected connected = dataSources.connect(new NewConnection(flow.organizationId(),
                    flow.customerId(), spec.service().dataSourceType(), account.externalId(), metadata,
                    (ObjectNode) payload.path("sync_settings"), (ObjectNode) payload.path("data_source_tags"), credentials));
            log.atInfo().addKeyValue("data_source_id", connected.dataSource().id()).addKeyValue("service", spec.service())
                    .addKeyValue("action", connected.created() ? "ADD" : "UPDATE").log("data source connected");
            OptionalLong apiKeyId = payload.hasNonNull("api_key_id")
                    ? OptionalLong.of(payload.get("api_key_id").asLong()) : OptionalLong.empty();
            return new Completion.Connected(connected, spec.service(), account, apiKeyId);
        } catch (OAuthException e) {
            log.atInfo().addKeyValue("service", spec.service()).addKeyValue("kind", e.kind()).addKeyValue("problem", e.getMessage())
                    .log("oauth callback failed");
            return failed(e.kind() == OAuthException.Kind.ACCESS_DENIED ? Reason.DENIED : Reason.PROVIDER_ERROR, service,
                    spec.service() + " did not complete the connection: " + e.getMessage());
        }
    }

    private void revokeQuietly(ProviderSpec spec, ClientApp app, TemplateValues values, TokenSet tokenSet) {
        if (spec.revokeUrl().isEmpty() || spec.authMode() != ProviderSpec.AuthMode.OAUTH2) return;
        try {
            tokens.revoke(spec, app, values, tokenSet.refreshToken().orElse(tokenSet.accessToken()));
        } catch (OAuthException e) {
            log.atInfo().addKeyValue("service", spec.service()).addKeyValue("kind", e.kind())
                    .log("could not revoke the grant of an account that was not connected");
        }
    }

    /** The app the flow began with (kept in its payload like a connection's credentials keep it). */
    private Optional<ClientApp> appOf(OAuthFlows.Flow flow, ObjectNode payload) {
        Map<String, String> kept = new LinkedHashMap<>();
        kept.put("client_id", payload.path("client_id").asText());
        if (payload.hasNonNull("client_secret")) kept.put("client_secret", payload.get("client_secret").asText());
        return apps.forConnection(flow.organizationId(), flow.service(), kept);
    }

    /** Non-secret fields needed later (instance URL, API base, template values, a per-connection app). */
    private static Map<String, String> extras(TokenSet t, TemplateValues values, ObjectNode payload) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = t.response().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode() && !NOT_METADATA.contains(e.getKey())) out.put(e.getKey(), e.getValue().asText());
        }
        values.values().forEach((k, v) -> out.put("template." + k, v));
        out.put("client_id", payload.path("client_id").asText());
        if (payload.hasNonNull("client_secret")) out.put("client_secret", payload.get("client_secret").asText());
        return out;
    }

    private static ObjectNode metadata(AccountIdentity account, TokenSet t, Map<String, String> connectFields) {
        ObjectNode m = account.metadata().deepCopy();
        account.email().ifPresent(e -> m.put("email", e));
        account.name().ifPresent(n -> m.put("name", n));
        connectFields.forEach(m::put);
        for (Iterator<Map.Entry<String, JsonNode>> it = t.response().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode() && !NOT_METADATA.contains(e.getKey()) && !m.has(e.getKey())
                    && !e.getKey().contains("secret")) {
                m.set(e.getKey(), e.getValue());
            }
        }
        return m;
    }

    private static Completion failed(Reason reason, Optional<OAuthService> service, String message) {
        return new Completion.Failed(reason, service, message);
    }

    static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }

}
