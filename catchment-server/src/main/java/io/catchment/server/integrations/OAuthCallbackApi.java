package io.catchment.server.integrations;

import io.catchment.datasource.DataSource;
import io.catchment.oauth.OAuthEngine;
import io.catchment.oauth.OAuthFlows;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.Call;
import io.catchment.json.Json;
import io.catchment.server.http.HttpApp;
import io.catchment.server.http.LinkSigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import io.catchment.server.http.RateTier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where providers send the user back: {@code GET /integrations/{slug}} completes the connection
 * and redirects to the result page ({@code /connect/result/…}, a signed link); every failure (denied consent, a tampered, reused or expired link, a
 * provider error) ends on an error page that says what happened and what to do, and creates
 * nothing. Also {@code GET /integrations/sync/{state}}, the sync URL's landing page.
 */
public final class OAuthCallbackApi {
    private final OAuthEngine engine;
    private final OAuthFlows flows;
    private final io.catchment.datasource.DataSources dataSources;
    private final LinkSigner signer;
    private final java.util.function.Consumer<io.catchment.datasource.DataSource> onConnected;

    public OAuthCallbackApi(OAuthEngine engine, OAuthFlows flows, io.catchment.datasource.DataSources dataSources,
                            LinkSigner signer,
                            java.util.function.Consumer<io.catchment.datasource.DataSource> onConnected) {
        this.onConnected = onConnected;
        this.engine = engine;
        this.flows = flows;
        this.dataSources = dataSources;
        this.signer = signer;
    }

    /** How long the result page's link works (long enough to reload it). */
    static final Duration RESULT_TTL = Duration.ofMinutes(15);

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/integrations/sync/{state}", Access.PUBLIC, RateTier.NONE, this::syncPage),
                ApiRoute.get("/integrations/{slug}", Access.PUBLIC, RateTier.NONE, this::callback),
                ApiRoute.get("/connect/result/{outcome}", Access.PUBLIC, RateTier.NONE, this::resultPage));
    }

    /**
     * What the result page shows, carried in its signed link: the callback redirects there (303),
     * so reloading the page never replays the code, and nobody can make the page say something else.
     */
    record Outcome(boolean connected, String service, String account, String action, String reason, String message) {}

    private Object callback(Call call) {
        Map<String, String> query = new LinkedHashMap<>();
        call.ctx().queryParamMap().forEach((k, v) -> {
            if (!v.isEmpty()) query.put(k, v.getFirst());
        });
        Outcome outcome = switch (engine.complete(call.ctx().pathParam("slug"), query)) {
            case OAuthEngine.Completion.Connected c -> connected(c, new Outcome(true, c.service().name(),
                    c.account().email().or(c.account()::name).orElse(c.account().externalId()),
                    c.connected().created() ? "ADD" : "UPDATE", "", ""));
            case OAuthEngine.Completion.Failed f -> new Outcome(false, f.service().map(Enum::name).orElse(""), "", "",
                    f.reason().name(), f.message());
        };
        String token = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Json.write(outcome).getBytes(StandardCharsets.UTF_8));
        call.ctx().header("Location", signer.sign("/connect/result/" + token, RESULT_TTL));
        call.ctx().header("Cache-Control", "no-store");
        return new HttpApp.Raw(303, "text/plain; charset=utf-8", new byte[0]);
    }

    private Outcome connected(OAuthEngine.Completion.Connected c, Outcome outcome) {
        onConnected.accept(c.connected().dataSource());
        return outcome;
    }

    private Object resultPage(Call call) {
        String token = call.ctx().pathParam("outcome");
        if (!signer.verify("/connect/result/" + token, call.ctx().queryParam("expires"), call.ctx().queryParam("signature"))) {
            return ConnectPages.error(400, "Link no longer valid", "This page's link is not valid or has expired.",
                    "Start the connection again from the application.");
        }
        Outcome o;
        try {
            o = Json.mapper().readValue(Base64.getUrlDecoder().decode(token), Outcome.class);
        } catch (java.io.IOException | IllegalArgumentException e) {
            return ConnectPages.error(400, "Invalid link", "This page's link is not valid.", "Start again from the application.");
        }
        if (o.connected()) return ConnectPages.success(o.service(), o.account(), o.action());
        return failure(OAuthEngine.Reason.valueOf(o.reason()), o.service().isEmpty() ? "the service" : o.service(), o.message());
    }

    private static HttpApp.Raw failure(OAuthEngine.Reason reason, String service, String message) {
        return switch (reason) {
            case DENIED -> ConnectPages.error(400, "Not connected", message,
                    "Nothing was connected. To connect " + service + ", start again and allow access.");
            case EXPIRED, STATE_USED -> ConnectPages.error(400, "Link no longer valid", message,
                    "Start the connection again from the application.");
            case INVALID_STATE, UNKNOWN_CALLBACK -> ConnectPages.error(400, "Invalid link", message,
                    "Start the connection again from the application.");
            case NO_APP -> ConnectPages.error(400, "Not connected", message,
                    "Ask the application's administrator to configure " + service + ".");
            case PROVIDER_ERROR -> ConnectPages.error(502, "Not connected", message,
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
