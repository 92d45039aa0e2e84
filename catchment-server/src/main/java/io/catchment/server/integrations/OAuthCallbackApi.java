package io.catchment.server.integrations;

import io.catchment.datasource.DataSource;
import io.catchment.datasource.DataSources;
import io.catchment.json.Json;
import io.catchment.oauth.OAuthEngine;
import io.catchment.oauth.OAuthFlows;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.Call;
import io.catchment.server.http.HttpApp;
import io.catchment.server.http.LinkSigner;
import io.catchment.server.http.RateTier;
import io.catchment.server.web.Branding;
import io.catchment.server.web.ConnectPages;
import io.catchment.server.web.Page;
import io.catchment.server.web.Pages;
import io.catchment.tenancy.AccessTokens;
import io.catchment.tenancy.Organizations;
import io.catchment.tenancy.TokenPair;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where providers send the user back: {@code GET /integrations/{slug}} completes the connection
 * and redirects to the result page ({@code /connect/result/…}, a signed link); every failure (denied
 * consent, a tampered, reused or expired link, a provider error) ends on an error page that says
 * what happened and what to do, and creates nothing. {@code GET /integrations/sync/{state}}, the sync
 * URL, redeems its one-use state and lands on the same result page with the file picker open.
 *
 * <p>The picker calls the public API with the customer's access token. The token never rides in a
 * URL: the result link carries a one-use hand-off state, and the first load of the page redeems it
 * for a token placed in the page itself; a reload finds the token in the tab's session storage.
 */
public final class OAuthCallbackApi {
    /** How long the result page's link (and the picker hand-off in it) works. */
    static final Duration RESULT_TTL = Duration.ofMinutes(15);
    /** The services whose files can be picked one by one (Carbon's enable_file_picker list). */
    static final Set<String> PICKER_SERVICES = Set.of("BOX", "DROPBOX", "GOOGLE_DRIVE", "ONEDRIVE", "SHAREPOINT");

    private final OAuthEngine engine;
    private final OAuthFlows flows;
    private final DataSources dataSources;
    private final Organizations organizations;
    private final AccessTokens accessTokens;
    private final LinkSigner signer;
    private final Pages pages;
    private final Consumer<DataSource> onConnected;

    public OAuthCallbackApi(OAuthEngine engine, OAuthFlows flows, DataSources dataSources, Organizations organizations,
                            AccessTokens accessTokens, LinkSigner signer, Pages pages, Consumer<DataSource> onConnected) {
        this.engine = engine;
        this.flows = flows;
        this.dataSources = dataSources;
        this.organizations = organizations;
        this.accessTokens = accessTokens;
        this.signer = signer;
        this.pages = pages;
        this.onConnected = onConnected;
    }

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/integrations/sync/{state}", Access.PUBLIC, RateTier.NONE, this::syncUrl),
                ApiRoute.get("/integrations/{slug}", Access.PUBLIC, RateTier.NONE, this::callback),
                ApiRoute.get("/connect/result/{outcome}", Access.PUBLIC, RateTier.NONE, this::resultPage));
    }

    /**
     * What the result page shows, carried in its signed link: the callback redirects there (303),
     * so reloading the page never replays the code, and nobody can make the page say something else.
     *
     * @param organizationId whose branding to show (0: unknown, the default look)
     * @param picker the picker hand-off state ("" when there is no picker)
     */
    record Outcome(boolean connected, String service, String account, String action, String reason, String message,
                   long organizationId, long dataSourceId, String picker, boolean openPicker) {
        static Outcome failed(String service, String reason, String message) {
            return new Outcome(false, service, "", "", reason, message, 0, 0, "", false);
        }
    }

    private Object callback(Call call) {
        Map<String, String> query = new LinkedHashMap<>();
        call.ctx().queryParamMap().forEach((k, v) -> {
            if (!v.isEmpty()) query.put(k, v.getFirst());
        });
        Outcome outcome = switch (engine.complete(call.ctx().pathParam("slug"), query)) {
            case OAuthEngine.Completion.Connected c -> {
                DataSource ds = c.connected().dataSource();
                onConnected.accept(ds);
                boolean picker = pickerEnabled(ds) && c.apiKeyId().isPresent();
                yield new Outcome(true, c.service().name(),
                        c.account().email().or(c.account()::name).orElse(c.account().externalId()),
                        c.connected().created() ? "ADD" : "UPDATE", "", "", ds.organizationId(), ds.id(),
                        picker ? handOff(ds, c.apiKeyId().getAsLong()) : "",
                        picker && ds.syncSettings().path("automatically_open_file_picker").asBoolean(false));
            }
            case OAuthEngine.Completion.Failed f -> Outcome.failed(f.service().map(Enum::name).orElse(""),
                    f.reason().name(), f.message());
        };
        return redirectToResult(call, outcome);
    }

    private Object syncUrl(Call call) {
        return switch (flows.claim(call.ctx().pathParam("state"))) {
            case OAuthFlows.Claim.Claimed c when c.flow().kind() == OAuthFlows.Kind.SYNC_URL -> {
                long id = c.flow().payload().path("data_source_id").asLong();
                Optional<DataSource> found = dataSources.find(id).filter(ds -> !ds.revokedAccess());
                if (found.isEmpty()) {
                    yield error(call, c.flow().organizationId(), 400, "Not connected",
                            "This account is no longer connected.", "Connect it again from the application.");
                }
                DataSource ds = found.get();
                boolean picker = pickerEnabled(ds) && c.flow().payload().hasNonNull("api_key_id");
                yield redirectToResult(call, new Outcome(true, ds.type().name(),
                        ds.metadata().path("email").asText(ds.externalId()), "SYNC", "", "", ds.organizationId(), ds.id(),
                        picker ? handOff(ds, c.flow().payload().get("api_key_id").asLong()) : "", picker));
            }
            case OAuthFlows.Claim.Claimed c -> error(call, 0, 400, "Invalid link", "This is not a sync link.",
                    "Start again from the application.");
            case OAuthFlows.Claim.AlreadyUsed u -> error(call, 0, 400, "Link no longer valid",
                    "This link was already used.", "Ask the application for a new one.");
            case OAuthFlows.Claim.Expired e -> error(call, 0, 400, "Link no longer valid", "This link expired.",
                    "Ask the application for a new one.");
            case OAuthFlows.Claim.Unknown u -> error(call, 0, 400, "Invalid link", "This link is not valid.",
                    "Ask the application for a new one.");
        };
    }

    private static boolean pickerEnabled(DataSource ds) {
        return PICKER_SERVICES.contains(ds.type().name()) && ds.syncSettings().path("enable_file_picker").asBoolean(true);
    }

    /** A one-use state the result page trades for the customer's access token. */
    private String handOff(DataSource ds, long apiKeyId) {
        return flows.start(OAuthFlows.Kind.PICKER, ds.organizationId(), ds.customerId(), oauthService(ds),
                Json.object().put("data_source_id", ds.id()).put("api_key_id", apiKeyId), RESULT_TTL).state();
    }

    private io.catchment.oauth.OAuthService oauthService(DataSource ds) {
        return io.catchment.oauth.OAuthService.valueOf(ds.type().name());
    }

    private HttpApp.Raw redirectToResult(Call call, Outcome outcome) {
        String token = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Json.write(outcome).getBytes(StandardCharsets.UTF_8));
        call.ctx().header("Location", signer.sign("/connect/result/" + token, RESULT_TTL));
        call.ctx().header("Cache-Control", "no-store");
        call.ctx().header("Referrer-Policy", "no-referrer");
        return new HttpApp.Raw(303, "text/plain; charset=utf-8", new byte[0]);
    }

    private Object resultPage(Call call) {
        String token = call.ctx().pathParam("outcome");
        if (!signer.verify("/connect/result/" + token, call.ctx().queryParam("expires"), call.ctx().queryParam("signature"))) {
            return error(call, 0, 400, "Link no longer valid", "This page's link is not valid or has expired.",
                    "Start the connection again from the application.");
        }
        Outcome o;
        try {
            o = Json.mapper().readValue(Base64.getUrlDecoder().decode(token), Outcome.class);
        } catch (java.io.IOException | IllegalArgumentException e) {
            return error(call, 0, 400, "Invalid link", "This page's link is not valid.", "Start again from the application.");
        }
        if (!o.connected()) {
            return pages.respond(call, failure(branding(0), OAuthEngine.Reason.valueOf(o.reason()), o.service(), o.message()));
        }
        Optional<ConnectPages.Picker> picker = o.picker().isEmpty() ? Optional.empty()
                : Optional.of(new ConnectPages.Picker(o.dataSourceId(), o.service(), o.openPicker(), redeem(o.picker())));
        return pages.respond(call, ConnectPages.success(branding(o.organizationId()), o.service(), o.account(), o.action(), picker));
    }

    /** The customer's tokens, on the one load that redeems the hand-off. */
    private Optional<TokenPair> redeem(String handOff) {
        return switch (flows.claim(handOff)) {
            case OAuthFlows.Claim.Claimed c when c.flow().kind() == OAuthFlows.Kind.PICKER ->
                    Optional.of(accessTokens.mint(c.flow().customerId(), c.flow().payload().path("api_key_id").asLong()));
            default -> Optional.empty();
        };
    }

    private Branding branding(long organizationId) {
        return organizations.find(organizationId).map(Branding::of).orElse(Branding.DEFAULT);
    }

    private HttpApp.Raw error(Call call, long organizationId, int status, String title, String message, String whatToDo) {
        return pages.respond(call, ConnectPages.error(branding(organizationId), status, title, message, whatToDo));
    }

    private static Page failure(Branding branding, OAuthEngine.Reason reason, String service, String message) {
        String name = io.catchment.server.web.ServiceNames.display(service);
        return switch (reason) {
            case DENIED -> ConnectPages.error(branding, 400, "Not connected", message,
                    "Nothing was connected. To connect " + name + ", start again and allow access.");
            case EXPIRED, STATE_USED -> ConnectPages.error(branding, 400, "Link no longer valid", message,
                    "Start the connection again from the application.");
            case INVALID_STATE, UNKNOWN_CALLBACK -> ConnectPages.error(branding, 400, "Invalid link", message,
                    "Start the connection again from the application.");
            case NO_APP -> ConnectPages.error(branding, 400, "Not connected", message,
                    "Ask the application's administrator to configure " + name + ".");
            case PROVIDER_ERROR -> ConnectPages.error(branding, 502, "Not connected", message,
                    "Try again in a moment; if it keeps failing, contact the application's support.");
        };
    }
}
