package io.catchment.server.integrations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.connector.DataSourceType;
import io.catchment.connector.credentials.CredentialVerifiers;
import io.catchment.connector.credentials.Verification;
import io.catchment.datasource.Credentials;
import io.catchment.datasource.DataSource;
import io.catchment.datasource.DataSources;
import io.catchment.datasource.NewConnection;
import io.catchment.json.Json;
import io.catchment.oauth.AccountIdentity;
import io.catchment.oauth.IdentityClient;
import io.catchment.oauth.OAuthException;
import io.catchment.oauth.OAuthFlows;
import io.catchment.oauth.OAuthService;
import io.catchment.oauth.ProviderCatalog;
import io.catchment.oauth.ProviderSpec;
import io.catchment.oauth.TemplateValues;
import io.catchment.oauth.TokenSet;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiError;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.BodyReader;
import io.catchment.server.http.Call;
import io.catchment.server.http.Caller;
import io.catchment.server.http.RateTier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /integrations/connect}: a data source from credentials obtained elsewhere (every
 * {@code *Authentication} variant of Carbon's spec). OAuth tokens are checked by identifying the
 * account with them; keys by the same check as the credential connectors. Nothing is stored when
 * the provider refuses them.
 */
public final class ConnectApi {
    /** Fields of each variant ({@code source} decides), required ones first in the map's value. */
    private static final Map<DataSourceType, List<String>> REQUIRED = Map.ofEntries(
            Map.entry(DataSourceType.NOTION, List.of("access_token", "workspace_id")),
            Map.entry(DataSourceType.CONFLUENCE, List.of("access_token", "subdomain")),
            Map.entry(DataSourceType.ZENDESK, List.of("access_token", "subdomain")),
            Map.entry(DataSourceType.ZOTERO, List.of("access_token", "access_token_secret", "username", "zotero_id")),
            Map.entry(DataSourceType.GITBOOK, List.of("access_token", "organization_name")),
            Map.entry(DataSourceType.SALESFORCE, List.of("access_token", "domain")),
            Map.entry(DataSourceType.FRESHDESK, List.of("domain", "api_key")),
            Map.entry(DataSourceType.S3, List.of("access_key", "access_key_secret")),
            Map.entry(DataSourceType.AZURE_BLOB_STORAGE, List.of("account_name", "account_key")),
            Map.entry(DataSourceType.GITHUB, List.of("access_token", "username")),
            Map.entry(DataSourceType.SERVICENOW, List.of("access_token", "instance_subdomain", "client_id", "client_secret",
                    "redirect_uri")),
            Map.entry(DataSourceType.GURU, List.of("access_token", "username")),
            Map.entry(DataSourceType.GONG, List.of("access_token", "gong_account_email")));
    private static final List<String> OPTIONAL = List.of("refresh_token", "tenant_name", "site_name", "endpoint_url");
    /** Carbon's {@code SimpleOAuthDataSources}: only an access token (and maybe a refresh token). */
    private static final Set<DataSourceType> SIMPLE_OAUTH = Set.of(DataSourceType.GOOGLE_DRIVE, DataSourceType.INTERCOM,
            DataSourceType.DROPBOX, DataSourceType.ONEDRIVE, DataSourceType.BOX, DataSourceType.GMAIL,
            DataSourceType.OUTLOOK, DataSourceType.SLACK, DataSourceType.GOOGLE_CLOUD_STORAGE, DataSourceType.SHAREPOINT);

    private final ProviderCatalog catalog;
    private final IdentityClient identity;
    private final CredentialVerifiers verifiers;
    private final DataSources dataSources;
    private final OAuthFlows flows;
    private final PublicUrls urls;
    private final java.util.function.Consumer<DataSource> onConnected;

    /** @param onConnected told about every new or updated connection (the sync engine starts its crawl) */
    public ConnectApi(ProviderCatalog catalog, IdentityClient identity, CredentialVerifiers verifiers,
                      DataSources dataSources, OAuthFlows flows, PublicUrls urls,
                      java.util.function.Consumer<DataSource> onConnected) {
        this.onConnected = onConnected;
        this.catalog = catalog;
        this.identity = identity;
        this.verifiers = verifiers;
        this.dataSources = dataSources;
        this.flows = flows;
        this.urls = urls;
    }

    record ConnectDataSourceResponse(DataSourceResponse dataSource, Optional<String> syncUrl) {}

    public List<ApiRoute> routes() {
        return List.of(ApiRoute.post("/integrations/connect", Access.CUSTOMER, RateTier.TIER_2, this::connect));
    }

    private record Given(DataSourceType source, Map<String, String> fields, ObjectNode settings) {}

    private Object connect(Call call) {
        Given given = call.body(b -> {
            Given auth = b.object("authentication", ConnectApi::authentication, null);
            if (b.raw("authentication").isEmpty()) b.requiredObjectNode("authentication");
            ObjectNode settings = b.raw("sync_options").filter(v -> v.isObject()).map(v -> (ObjectNode) v.deepCopy())
                    .orElse(Json.object());
            return auth == null ? null : new Given(auth.source(), auth.fields(), settings);
        });
        Caller.CustomerScoped caller = call.customer();
        Optional<OAuthService> oauthService = OAuthService.of(given.source());
        NewConnection connection = oauthService.isPresent() ? oauth(caller, oauthService.get(), given)
                : keyBased(caller, given);
        DataSource ds = dataSources.connect(connection).dataSource();
        onConnected.accept(ds);
        Optional<String> syncUrl = OAuthService.of(ds.type()).map(service -> {
            var payload = Json.object().put("data_source_id", ds.id());
            return urls.base(call.ctx()) + "/integrations/sync/" + flows.start(OAuthFlows.Kind.SYNC_URL,
                    caller.organizationId(), caller.customer().id(), service, payload, OAuthUrlApi.SYNC_URL_TTL).state();
        });
        return new ConnectDataSourceResponse(DataSourceResponse.of(ds, caller.customer().suppliedId()), syncUrl);
    }

    private static Given authentication(BodyReader a) {
        DataSourceType source = a.requiredEnum("source", DataSourceType.class);
        List<String> required = SIMPLE_OAUTH.contains(source) ? List.of("access_token") : REQUIRED.get(source);
        if (required == null) {
            return a.problem("source", "Input should be a data source that /integrations/connect supports, not " + source,
                    "enum", Json.tree(source.name()), null);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String f : required) {
            String v = a.requiredString(f);
            if (v != null) fields.put(f, v.strip());
        }
        for (String f : OPTIONAL) a.optionalString(f).filter(v -> !v.isBlank()).ifPresent(v -> fields.put(f, v.strip()));
        return new Given(source, fields, Json.object());
    }

    private NewConnection oauth(Caller.CustomerScoped caller, OAuthService service, Given g) {
        ProviderSpec spec = catalog.spec(service);
        Map<String, String> f = g.fields();
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> connectFields = new LinkedHashMap<>();
        switch (service) {
            case CONFLUENCE -> connectFields.put("confluence_subdomain", f.get("subdomain"));
            case ZENDESK -> values.put("subdomain", f.get("subdomain"));
            case SALESFORCE -> values.put("domain", f.get("domain"));
            case SERVICENOW -> values.put("instance", f.get("instance_subdomain"));
            case ONEDRIVE, SHAREPOINT, OUTLOOK -> Optional.ofNullable(f.get("tenant_name")).ifPresent(t -> {
                values.put("tenant", t);
                connectFields.put("microsoft_tenant", t);
            });
            case GONG -> connectFields.put("gong_account_email", f.get("gong_account_email"));
            default -> { }
        }
        Optional.ofNullable(f.get("site_name")).ifPresent(s -> connectFields.put("sharepoint_site_name", s));
        ObjectNode response = Json.object().put("access_token", f.get("access_token"));
        // What a token response would have said, for services identified from it.
        Optional.ofNullable(f.get("workspace_id")).ifPresent(w -> response.put("workspace_id", w));
        Optional.ofNullable(f.get("zotero_id")).ifPresent(z -> response.put("userID", z).put("username", f.get("username")));
        TemplateValues templateValues;
        try {
            templateValues = new TemplateValues(values);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        TokenSet tokens = new TokenSet(f.get("access_token"), Optional.ofNullable(f.get("refresh_token")), Optional.empty(),
                Optional.empty(), response);
        ProviderSpec.IdentitySpec id = spec.identity();
        String firstSegment = id.idPointer().replaceFirst("^/", "").split("/")[0];
        if (id.source() == ProviderSpec.IdentitySpec.Source.TOKEN_RESPONSE && response.at(id.idPointer()).isMissingNode()
                && !connectFields.containsKey(firstSegment) && id.bareToken().isEmpty()) {
            throw ApiError.badRequest("A bare " + service + " access token does not say which account it belongs to: "
                    + "connect " + service + " through /integrations/oauth_url instead");
        }
        AccountIdentity account;
        try {
            account = identity.identify(spec, templateValues, tokens, connectFields);
        } catch (OAuthException e) {
            throw e.kind() == OAuthException.Kind.UNREACHABLE || e.kind() == OAuthException.Kind.RATE_LIMITED
                    ? new ApiError(502, "Could not verify the " + service + " token: " + e.getMessage())
                    : ApiError.badRequest("The " + service + " token was refused: " + e.getMessage());
        }
        Map<String, String> extras = new LinkedHashMap<>();
        values.forEach((k, v) -> extras.put("template." + k, v));
        if (service == OAuthService.SERVICENOW) {
            extras.put("client_id", f.get("client_id"));
            extras.put("client_secret", f.get("client_secret"));
        }
        Credentials credentials = service == OAuthService.ZOTERO
                ? new Credentials.OAuth1Token(f.get("access_token"), f.get("access_token_secret"), extras)
                : new Credentials.OAuthTokens(f.get("access_token"), Optional.ofNullable(f.get("refresh_token")),
                        Optional.empty(), Optional.empty(), extras);
        ObjectNode metadata = account.metadata().deepCopy();
        account.email().ifPresent(e -> metadata.put("email", e));
        account.name().ifPresent(n -> metadata.put("name", n));
        connectFields.forEach(metadata::put);
        return new NewConnection(caller.organizationId(), caller.customer().id(), service.dataSourceType(),
                account.externalId(), metadata, g.settings(), Json.object(), credentials);
    }

    private NewConnection keyBased(Caller.CustomerScoped caller, Given g) {
        Map<String, String> f = g.fields();
        Verification v = switch (g.source()) {
            case FRESHDESK -> verifiers.freshdesk(f.get("domain"), f.get("api_key"));
            case GITBOOK -> verifiers.gitbook(f.get("organization_name"), f.get("access_token"));
            case S3 -> verifiers.s3(f.get("access_key"), f.get("access_key_secret"), Optional.ofNullable(f.get("endpoint_url")));
            case AZURE_BLOB_STORAGE -> verifiers.azureBlob(f.get("account_name"), f.get("account_key"));
            case GITHUB -> verifiers.github(f.get("username"), f.get("access_token"));
            case GURU -> verifiers.guru(f.get("username"), f.get("access_token"));
            default -> throw ApiError.badRequest("/integrations/connect does not support " + g.source());
        };
        return switch (v) {
            case Verification.Verified ok -> new NewConnection(caller.organizationId(), caller.customer().id(), g.source(),
                    ok.externalId(), Json.mapper().valueToTree(ok.metadata()), g.settings(), Json.object(),
                    new Credentials.Secrets(f));
            case Verification.Refused r -> throw ApiError.badRequest("The " + g.source() + " credentials were refused: " + r.message());
            case Verification.Unreachable u -> throw new ApiError(502, "Could not verify the " + g.source() + " credentials: " + u.message());
        };
    }
}
