package io.catchment.server.webhooks;

import io.catchment.server.api.Pagination;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiError;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.BodyReader;
import io.catchment.server.http.Call;
import io.catchment.server.http.RateTier;
import io.catchment.store.Page;
import io.catchment.store.SortDirection;
import io.catchment.webhooks.Delivery;
import io.catchment.webhooks.DeliveryLog;
import io.catchment.webhooks.DeliveryPage;
import io.catchment.webhooks.DeliveryQuery;
import io.catchment.webhooks.DeliveryStatus;
import io.catchment.webhooks.WebhookType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The delivery log, beyond Carbon (which has none): what was sent to the organization's webhooks
 * and how it went, newest first by default. {@code POST /webhooks/deliveries} takes
 * {@code {webhook_id?, status?, pagination?, order_dir?}}; {@code GET /webhooks/deliveries} takes
 * the same as query parameters, with {@code limit}, {@code offset} and {@code starting_id} flat.
 * Answers {@code {results, count}}; each result's {@code event_id} is the
 * {@code Carbon-Webhook-Id} header the receiver saw. Another organization's webhook id is a 404.
 */
public final class WebhookDeliveriesApi {
    private final DeliveryLog log;

    public WebhookDeliveriesApi(DeliveryLog log) {
        this.log = log;
    }

    /** One delivery as the API shows it (snake_case on the wire). */
    record DeliveryResponse(long id, long webhookId, long eventId, WebhookType webhookType, DeliveryStatus status,
                            int attempts, Optional<Integer> lastStatus, Optional<String> lastError,
                            Optional<Instant> nextAttemptAt, Optional<Instant> deliveredAt, Instant occurredAt,
                            Instant createdAt, Instant updatedAt) {
        static DeliveryResponse of(Delivery d) {
            return new DeliveryResponse(d.id(), d.webhookId(), d.eventId(), d.webhookType(), d.status(), d.attempts(),
                    d.lastStatus(), d.lastError(), d.nextAttemptAt(), d.deliveredAt(), d.occurredAt(), d.createdAt(),
                    d.updatedAt());
        }
    }

    record DeliveryList(List<DeliveryResponse> results, long count) {}

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post("/webhooks/deliveries", Access.ORGANIZATION, RateTier.UNTIERED,
                        call -> list(call, call.body(b -> query(b, Pagination.field(b))))),
                ApiRoute.get("/webhooks/deliveries", Access.ORGANIZATION, RateTier.UNTIERED,
                        call -> list(call, call.query(b -> query(b, Pagination.read(b))))));
    }

    private Object list(Call call, DeliveryQuery query) {
        long org = call.caller().organizationId();
        query.webhookId().ifPresent(id -> {
            if (!log.ownsWebhook(org, id)) throw ApiError.notFound("Webhook " + id + " not found in this organization");
        });
        DeliveryPage page = log.list(org, query);
        return new DeliveryList(page.results().stream().map(DeliveryResponse::of).toList(), page.count());
    }

    private static DeliveryQuery query(BodyReader b, Page page) {
        // Absent and null both mean "any"; a bad value is a 422 (the reader records the problem).
        Optional<Long> webhook = b.raw("webhook_id").isPresent()
                ? Optional.of(b.integer("webhook_id", 0, 1, Long.MAX_VALUE)) : Optional.empty();
        Optional<DeliveryStatus> status = b.raw("status").isPresent()
                ? Optional.ofNullable(b.enumValue("status", DeliveryStatus.class, null)) : Optional.empty();
        SortDirection direction = b.enumValue("order_dir", SortDirection.class, SortDirection.DESC);
        return new DeliveryQuery(webhook, status, direction, page);
    }
}
