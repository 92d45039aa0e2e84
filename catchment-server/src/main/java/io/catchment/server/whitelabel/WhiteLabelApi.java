package io.catchment.server.whitelabel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import io.catchment.oauth.OAuthService;
import io.catchment.server.api.Success;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiError;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.Call;
import io.catchment.server.http.RateTier;
import io.catchment.tenancy.Organization;
import io.catchment.tenancy.Organizations;
import io.catchment.tenancy.UserConfiguration;
import io.catchment.whitelabel.Creation;
import io.catchment.whitelabel.Deletion;
import io.catchment.whitelabel.WhiteLabelInput;
import io.catchment.whitelabel.WhiteLabelPage;
import io.catchment.whitelabel.WhiteLabels;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code /white_label/*} and {@code GET /auth/v1/white_labeling} (see package-info). */
public final class WhiteLabelApi {
    /** More inputs than services can only repeat a service; the cap keeps a bad request small. */
    static final int MAX_INPUTS = 100;
    static final int MAX_IDS = 1000;

    private final WhiteLabels whiteLabels;
    private final Organizations organizations;

    public WhiteLabelApi(WhiteLabels whiteLabels, Organizations organizations) {
        this.whiteLabels = whiteLabels;
        this.organizations = organizations;
    }

    record WhiteLabelList(List<WhiteLabelResponse> results, long count) {}

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post("/white_label/create", Access.ORGANIZATION, RateTier.UNTIERED, this::create),
                ApiRoute.post("/white_label/list", Access.ORGANIZATION, RateTier.UNTIERED, this::list),
                ApiRoute.post("/white_label/update", Access.ORGANIZATION, RateTier.UNTIERED, this::update),
                ApiRoute.post("/white_label/delete", Access.ORGANIZATION, RateTier.UNTIERED, this::delete),
                ApiRoute.get("/auth/v1/white_labeling", Access.CUSTOMER, RateTier.UNTIERED, this::whiteLabeling));
    }

    /**
     * All or nothing. A service the organization already has an app for, or one named twice, is a
     * 400 naming it: {@code /white_label/update} names an app by its data source type alone, so
     * there is one per type (and a create that silently replaced one would lose its secret).
     */
    private Object create(Call call) {
        List<WhiteLabelInput> inputs = call.bodyList(MAX_INPUTS,
                b -> WhiteLabelInputReader.read(b, WhiteLabelInputReader.Mode.CREATE));
        long org = call.caller().organizationId();
        return switch (whiteLabels.create(org, inputs)) {
            case Creation.Created created -> created.whiteLabels().stream().map(WhiteLabelResponse::of).toList();
            case Creation.Conflict conflict when !conflict.repeated().isEmpty() -> throw ApiError.badRequest(
                    "Each data source type can appear once: " + names(conflict.repeated())
                            + " appears more than once in the request. Nothing was created.");
            case Creation.Conflict conflict -> throw ApiError.badRequest(
                    "This organization already has a white label for " + names(conflict.existing())
                            + ". Change it with /white_label/update, or delete it first. Nothing was created.");
        };
    }

    private Object list(Call call) {
        WhiteLabelPage page = whiteLabels.list(call.caller().organizationId(), call.body(ListWhiteLabelsRequest::read));
        return new WhiteLabelList(page.results().stream().map(WhiteLabelResponse::of).toList(), page.count());
    }

    private Object update(Call call) {
        WhiteLabelInput input = call.body(b -> WhiteLabelInputReader.read(b, WhiteLabelInputReader.Mode.UPDATE));
        return whiteLabels.update(call.caller().organizationId(), input).map(WhiteLabelResponse::of)
                .orElseThrow(() -> ApiError.notFound("This organization has no white label for " + input.service()
                        + "; create one with /white_label/create"));
    }

    /** All or nothing: an id that is not one of the organization's white labels is a 404 naming it. */
    private Object delete(Call call) {
        List<Long> ids = call.body(b -> {
            List<Long> given = b.requiredLongList("ids");
            if (given.size() > MAX_IDS) {
                b.problem("ids", "List should have at most " + MAX_IDS + " items after validation, not " + given.size(),
                        "too_long", Json.tree(given.size()), null);
            }
            return given;
        });
        return switch (whiteLabels.delete(call.caller().organizationId(), ids)) {
            case Deletion.Deleted deleted -> Success.OK;
            case Deletion.NotFound missing -> throw ApiError.notFound("White labels not found in this organization: "
                    + missing.ids().stream().sorted().map(String::valueOf).collect(Collectors.joining(", "))
                    + ". Nothing was deleted.");
        };
    }

    /**
     * The organization's branding flag, which services it has its own app for, the customer's
     * effective limits over the organization's custom limits, and the organization's per-source
     * settings ({@code data_source_configs}, shown as {@code connector_settings} as on
     * {@code /organization}).
     */
    private Object whiteLabeling(Call call) {
        var caller = call.customer();
        Organization org = organizations.find(caller.organizationId())
                .orElseThrow(() -> new IllegalStateException("organization " + caller.organizationId() + " vanished"));
        Set<OAuthService> own = whiteLabels.services(org.id());
        Map<String, Boolean> integrations = new LinkedHashMap<>();
        for (OAuthService s : OAuthService.values()) integrations.put(s.name(), own.contains(s));
        ObjectNode limits = org.customLimits().deepCopy();
        UserConfiguration effective = org.globalUserConfig().overlay(caller.customer().configuration());
        List<OptionalInt> values = effective.limits();
        for (int i = 0; i < values.size(); i++) {
            String key = UserConfiguration.LIMIT_KEYS.get(i);
            values.get(i).ifPresent(v -> limits.put(key, v));
        }
        return new WhiteLabelingResponse(org.removeBranding(), integrations, limits, org.dataSourceConfigs());
    }

    private static String names(Collection<OAuthService> services) {
        return services.stream().map(Enum::name).sorted().collect(Collectors.joining(", "));
    }
}
