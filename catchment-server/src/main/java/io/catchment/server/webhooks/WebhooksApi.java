package io.catchment.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.json.Json;
import io.catchment.server.api.Pagination;
import io.catchment.server.api.Success;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiError;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.BodyReader;
import io.catchment.server.http.Call;
import io.catchment.server.http.Problem;
import io.catchment.server.http.RateTier;
import io.catchment.server.http.ValidationFailed;
import io.catchment.store.SortDirection;
import io.catchment.webhooks.WebhookQuery;
import io.catchment.webhooks.WebhookType;
import io.catchment.webhooks.Webhooks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@code /add_webhook}, {@code /webhooks} and {@code /delete_webhook/{webhook_id}} (see package-info). */
public final class WebhooksApi {
    /** Filter lists are bound as SQL parameters; PostgreSQL takes at most 65535 per statement. */
    static final int MAX_IDS = 1000;
    /** More entries than there are types can only repeat one; the cap keeps a bad request small. */
    static final int MAX_EVENT_TYPES = 100;

    private final Webhooks webhooks;

    public WebhooksApi(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    record WebhookList(List<WebhookResponse> results, long count) {}

    private record AddRequest(String url, Optional<List<WebhookType>> eventTypes) {}

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post("/add_webhook", Access.ORGANIZATION, RateTier.UNTIERED, this::add),
                ApiRoute.post("/webhooks", Access.ORGANIZATION, RateTier.UNTIERED, this::list),
                ApiRoute.delete("/delete_webhook/{webhook_id}", Access.ORGANIZATION, RateTier.UNTIERED, this::delete));
    }

    private Object add(Call call) {
        AddRequest request = call.body(WebhooksApi::addRequest);
        return switch (webhooks.add(call.caller().organizationId(), request.url(), request.eventTypes())) {
            case Webhooks.Added added -> AddedWebhookResponse.of(added);
            case Webhooks.Refused refused -> throw ApiError.badRequest(refused.reason());
        };
    }

    private Object list(Call call) {
        Webhooks.Listing page = webhooks.list(call.caller().organizationId(), call.body(WebhooksApi::query));
        return new WebhookList(page.results().stream().map(WebhookResponse::of).toList(), page.count());
    }

    private Object delete(Call call) {
        long id = pathId(call);
        if (!webhooks.delete(call.caller().organizationId(), id)) {
            throw ApiError.notFound("Webhook " + id + " not found in this organization");
        }
        return Success.OK;
    }

    // ---- requests

    /** Carbon's {@code AddWebhookProps} ({@code url}) plus Catchment's optional {@code event_types}. */
    private static AddRequest addRequest(BodyReader b) {
        String url = b.requiredString("url");
        if (url.length() > Webhooks.MAX_URL) {
            b.problem("url", "String should have at most " + Webhooks.MAX_URL + " characters", "string_too_long",
                    Json.tree(url.substring(0, 100) + "…"), null);
        }
        return new AddRequest(url, eventTypes(b));
    }

    /** Absent or null: every event. Otherwise a non-empty list of {@link WebhookType} names. */
    private static Optional<List<WebhookType>> eventTypes(BodyReader b) {
        Optional<JsonNode> given = b.raw("event_types");
        if (given.isEmpty()) return Optional.empty();
        JsonNode v = given.get();
        if (!v.isArray()) return b.problem("event_types", "Input should be a valid list", "list_type", v, Optional.empty());
        if (v.isEmpty()) {
            // An empty list would be a webhook that never receives anything; omit the field for "every event".
            return b.problem("event_types", "List should have at least 1 item after validation, not 0", "too_short", v,
                    Optional.empty());
        }
        if (v.size() > MAX_EVENT_TYPES) {
            return b.problem("event_types", "List should have at most " + MAX_EVENT_TYPES
                    + " items after validation, not " + v.size(), "too_long", Json.tree(v.size()), Optional.empty());
        }
        List<WebhookType> types = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            Optional<WebhookType> type = e.isTextual() ? named(e.textValue()) : Optional.empty();
            if (type.isPresent()) types.add(type.get());
            else b.problemAt(List.of("event_types", i), TYPE_MESSAGE, "enum", e, null);
        }
        return Optional.of(types);
    }

    /** Carbon's {@code WebhookQueryInput}: pagination, order_by (updated_at), order_dir (asc), filters.ids. */
    private static WebhookQuery query(BodyReader b) {
        var page = Pagination.field(b);
        var orderBy = b.enumValue("order_by", WebhookQuery.OrderBy.class, WebhookQuery.OrderBy.UPDATED_AT);
        var direction = b.enumValue("order_dir", SortDirection.class, SortDirection.ASC);
        List<Long> ids = b.nullableObject("filters", WebhooksApi::ids, List.of());
        return new WebhookQuery(ids, orderBy, direction, page);
    }

    private static List<Long> ids(BodyReader b) {
        List<Long> ids = b.optionalLongList("ids").orElse(List.of());
        if (ids.size() > MAX_IDS) {
            b.problem("ids", "List should have at most " + MAX_IDS + " items after validation, not " + ids.size(),
                    "too_long", Json.tree(ids.size()), null);
        }
        return ids;
    }

    private static long pathId(Call call) {
        String raw = call.ctx().pathParam("webhook_id");
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new ValidationFailed(List.of(new Problem(List.of("path", "webhook_id"),
                    "Input should be a valid integer, unable to parse string as an integer", "int_parsing",
                    Json.tree(raw))));
        }
    }

    private static Optional<WebhookType> named(String name) {
        return Arrays.stream(WebhookType.values()).filter(t -> t.name().equals(name)).findFirst();
    }

    /** pydantic's enum message: "Input should be 'A', 'B' or 'C'". */
    static final String TYPE_MESSAGE;

    static {
        List<String> names = Arrays.stream(WebhookType.values()).map(t -> "'" + t.name() + "'").toList();
        TYPE_MESSAGE = "Input should be " + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
    }
}
