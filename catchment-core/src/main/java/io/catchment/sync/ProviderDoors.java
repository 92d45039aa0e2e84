package io.catchment.sync;

import io.catchment.connector.Connection;
import io.catchment.connector.Connector;
import io.catchment.datasource.Credentials;
import io.catchment.datasource.DataSource;
import io.catchment.datasource.DataSources;
import io.catchment.http.Authenticator;
import io.catchment.http.HttpPolicy;
import io.catchment.http.ProviderHttp;
import io.catchment.http.RateLimitSignal;
import io.catchment.http.SyncFailure;
import io.catchment.oauth.OAuthService;
import io.catchment.oauth.ProviderCatalog;
import io.catchment.oauth.ProviderTokens;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Opens a {@link Connection} for a data source: its credentials (bearer tokens the engine refreshes,
 * or the connector's key signer), the catalogue's API base, and a concurrency limit shared by every
 * crawl, change read and download of that data source in this process.
 */
public final class ProviderDoors {
    private final DataSources dataSources;
    private final ProviderTokens tokens;
    private final ProviderCatalog catalog;
    private final HttpClient http;
    private final HttpPolicy policy;
    private final Clock clock;
    private final int perSource;
    private final Map<Long, Semaphore> permits = new ConcurrentHashMap<>();

    public ProviderDoors(DataSources dataSources, ProviderTokens tokens, ProviderCatalog catalog, HttpClient http,
                         HttpPolicy policy, Clock clock, int perSourceConcurrency) {
        this.dataSources = dataSources;
        this.tokens = tokens;
        this.catalog = catalog;
        this.http = http;
        this.policy = policy;
        this.clock = clock;
        this.perSource = perSourceConcurrency;
    }

    public Connection open(DataSource ds, Connector connector) throws SyncFailure {
        if (ds.revokedAccess()) throw new SyncFailure.Auth("Access was revoked; connect the account again");
        Credentials credentials = dataSources.credentials(ds.id())
                .orElseThrow(() -> new SyncFailure.Auth("The connection has no stored credentials; connect again"));
        Authenticator auth;
        Optional<String> apiBase = Optional.empty();
        switch (credentials) {
            case Credentials.OAuthTokens t -> {
                auth = new OAuthBearer(tokens, ds.id());
                Optional<OAuthService> service = OAuthService.of(ds.type());
                if (service.isPresent()) {
                    apiBase = Optional.of(ProviderTokens.templateValues(t.extras())
                            .fill(catalog.spec(service.get()).apiBaseUrl()).replaceAll("/+$", ""));
                }
            }
            case Credentials.Secrets s -> auth = connector.keyAuthenticator(ds, s.fields()).orElseThrow(
                    () -> new SyncFailure.Config(ds.type() + " connections authenticate with OAuth, not keys"));
            case Credentials.OAuth1Token t -> throw new SyncFailure.Config(ds.type() + " cannot sync over OAuth 1 here");
        }
        Semaphore limit = permits.computeIfAbsent(ds.id(), id -> new Semaphore(perSource));
        ProviderHttp door = new ProviderHttp(http, auth, connector.rateLimits().or(RateLimitSignal.STANDARD), policy, limit,
                clock, "data_source=" + ds.id() + " " + ds.type());
        return new Connection(ds, door, apiBase);
    }
}
