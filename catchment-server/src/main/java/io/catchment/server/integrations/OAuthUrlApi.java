package io.catchment.server.integrations;

import io.catchment.datasource.DataSource;
import io.catchment.datasource.DataSources;
import io.catchment.embed.EmbeddingModels;
import io.catchment.files.IngestOptions;
import io.catchment.json.Json;
import io.catchment.oauth.OAuthEngine;
import io.catchment.oauth.OAuthException;
import io.catchment.oauth.OAuthFlows;
import io.catchment.server.files.IngestOptionsReader;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiError;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.Call;
import io.catchment.server.http.Caller;
import io.catchment.server.http.RateTier;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /integrations/oauth_url}: the provider's authorize URL for a new connection, or,
 * when the customer already connected this service and {@code connecting_new_account} is false,
 * a sync URL to Catchment's own page that skips OAuth (one use, expires).
 */
public final class OAuthUrlApi {
    /** How long a sync URL stays usable. */
    static final Duration SYNC_URL_TTL = Duration.ofMinutes(30);

    private final OAuthEngine engine;
    private final OAuthFlows flows;
    private final DataSources dataSources;
    private final EmbeddingModels models;
    private final PublicUrls urls;

    public OAuthUrlApi(OAuthEngine engine, OAuthFlows flows, DataSources dataSources, EmbeddingModels models, PublicUrls urls) {
        this.engine = engine;
        this.flows = flows;
        this.dataSources = dataSources;
        this.models = models;
        this.urls = urls;
    }

    record OuthUrlResponse(String oauthUrl) {}

    public List<ApiRoute> routes() {
        return List.of(ApiRoute.post("/integrations/oauth_url", Access.CUSTOMER, RateTier.TIER_2, this::oauthUrl));
    }

    private Object oauthUrl(Call call) {
        record Read(OAuthUrlRequest request, IngestOptions options) {}
        Read read = call.body(b -> new Read(OAuthUrlRequest.read(b, engine.catalog()), IngestOptionsReader.read(b, models)));
        Caller.CustomerScoped caller = call.customer();
        OAuthUrlRequest req = read.request();
        IngestOptionsReader.requireServable(read.options(), models, caller.organizationId());
        if (!req.connectingNewAccount()) {
            Optional<DataSource> existing = existing(caller, req);
            if (existing.isPresent()) return new OuthUrlResponse(syncUrl(call, caller, req, existing.get()));
        }
        try {
            URI url = engine.begin(new OAuthEngine.BeginRequest(caller.organizationId(), caller.customer().id(),
                    req.service(), req.scopes(), req.values(), req.connectFields(), req.syncSettings(),
                    req.dataSourceTags(), urls.base(call.ctx()), req.serviceNowApp(), caller.apiKeyId()));
            return new OuthUrlResponse(url.toString());
        } catch (OAuthEngine.MissingClientApp e) {
            throw ApiError.badRequest(e.getMessage());
        } catch (OAuthException e) {
            throw new ApiError(502, req.service() + " could not start the connection: " + e.getMessage());
        }
    }

    /** The data source named by data_source_id, else the customer's most recent one of this service. */
    private Optional<DataSource> existing(Caller.CustomerScoped caller, OAuthUrlRequest req) {
        List<DataSource> connected = dataSources.connected(caller.customer().id(), req.service().dataSourceType());
        if (req.dataSourceId().isPresent()) {
            return connected.stream().filter(d -> d.id() == req.dataSourceId().getAsLong()).findFirst();
        }
        return connected.stream().findFirst();
    }

    private String syncUrl(Call call, Caller.CustomerScoped caller, OAuthUrlRequest req, DataSource existing) {
        var payload = Json.object().put("data_source_id", existing.id()).put("api_key_id", caller.apiKeyId());
        payload.set("sync_settings", req.syncSettings());
        OAuthFlows.Started started = flows.start(OAuthFlows.Kind.SYNC_URL, caller.organizationId(),
                caller.customer().id(), req.service(), payload, SYNC_URL_TTL);
        return urls.base(call.ctx()) + "/integrations/sync/" + started.state();
    }
}
