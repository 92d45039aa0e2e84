package io.catchment.server.integrations;

import io.catchment.datasource.DataSource;
import io.catchment.oauth.OAuthEngine;
import io.catchment.oauth.OAuthFlows;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.Call;
import io.catchment.server.http.HttpApp;
import io.catchment.server.http.RateTier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where providers send the user back: {@code GET /integrations/{slug}} completes the connection
 * and shows the success page; every failure (denied consent, a tampered, reused or expired link, a
 * provider error) ends on an error page that says what happened and what to do, and creates
 * nothing. Also {@code GET /integrations/sync/{state}}, the sync URL's landing page.
 */
public final class OAuthCallbackApi {
    private final OAuthEngine engine;
    private final OAuthFlows flows;
    private final io.catchment.datasource.DataSources dataSources;

    public OAuthCallbackApi(OAuthEngine engine, OAuthFlows flows, io.catchment.datasource.DataSources dataSources) {
        this.engine = engine;
        this.flows = flows;
        this.dataSources = dataSources;
    }

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/integrations/sync/{state}", Access.PUBLIC, RateTier.NONE, this::syncPage),
                ApiRoute.get("/integrations/{slug}", Access.PUBLIC, RateTier.NONE, this::callback));
    }

    private Object callback(Call call) {
        Map<String, String> query = new LinkedHashMap<>();
        call.ctx().queryParamMap().forEach((k, v) -> {
            if (!v.isEmpty()) query.put(k, v.getFirst());
        });
        return switch (engine.complete(call.ctx().pathParam("slug"), query)) {
            case OAuthEngine.Completion.Connected c -> ConnectPages.success(c.service().name(),
                    c.account().email().or(c.account()::name).orElse(c.account().externalId()),
                    c.connected().created() ? "ADD" : "UPDATE");
            case OAuthEngine.Completion.Failed f -> failure(f);
        };
    }

    private static HttpApp.Raw failure(OAuthEngine.Completion.Failed f) {
        String service = f.service().map(Enum::name).orElse("the service");
        return switch (f.reason()) {
            case DENIED -> ConnectPages.error(400, "Not connected", f.message(),
                    "Nothing was connected. To connect " + service + ", start again and allow access.");
            case EXPIRED, STATE_USED -> ConnectPages.error(400, "Link no longer valid", f.message(),
                    "Start the connection again from the application.");
            case INVALID_STATE, UNKNOWN_CALLBACK -> ConnectPages.error(400, "Invalid link", f.message(),
                    "Start the connection again from the application.");
            case NO_APP -> ConnectPages.error(400, "Not connected", f.message(),
                    "Ask the application's administrator to configure " + service + ".");
            case PROVIDER_ERROR -> ConnectPages.error(502, "Not connected", f.message(),
                    "Try again in a moment; if it keeps failing, contact the application's support.");
        };
    }

    private Object syncPage(Call call) {
        return switch (flows.claim(call.ctx().pathParam("state"))) {
            case OAuthFlows.Claim.Claimed c when c.flow().kind() == OAuthFlows.Kind.SYNC_URL -> {
                long id = c.flow().payload().path("data_source_id").asLong();
                DataSource ds = dataSources.find(id).orElse(null);
                if (ds == null || ds.revokedAccess()) {
                    yield ConnectPages.error(400, "Not connected", "This account is no longer connected.",
                            "Connect it again from the application.");
                }
                yield ConnectPages.page(200, "Connected", "Your " + ds.type() + " account "
                        + ds.metadata().path("email").asText(ds.externalId()) + " is connected.",
                        "Choose more files from the application.");
            }
            case OAuthFlows.Claim.Claimed c -> ConnectPages.error(400, "Invalid link", "This is not a sync link.",
                    "Start again from the application.");
            case OAuthFlows.Claim.AlreadyUsed u -> ConnectPages.error(400, "Link no longer valid",
                    "This link was already used.", "Ask the application for a new one.");
            case OAuthFlows.Claim.Expired e -> ConnectPages.error(400, "Link no longer valid", "This link expired.",
                    "Ask the application for a new one.");
            case OAuthFlows.Claim.Unknown u -> ConnectPages.error(400, "Invalid link", "This link is not valid.",
                    "Ask the application for a new one.");
        };
    }
}
