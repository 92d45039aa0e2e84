package io.catchment.server.webhooks;

import io.catchment.webhooks.Webhook;
import io.catchment.webhooks.WebhookType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Carbon's {@code WebhookNoKey}, plus Catchment's {@code event_types} (null = every event). Every
 * listed webhook is shown this way, so no listing can carry a signing key.
 */
record WebhookResponse(long id, long organizationId, String url, String status, Optional<String> statusReason,
                       Optional<List<String>> eventTypes, Instant createdAt, Instant updatedAt) {

    static WebhookResponse of(Webhook w) {
        return new WebhookResponse(w.id(), w.organizationId(), w.url(), w.status().name(), w.statusReason(),
                names(w), w.createdAt(), w.updatedAt());
    }

    static Optional<List<String>> names(Webhook w) {
        return w.eventTypes().map(types -> types.stream().map(WebhookType::name).toList());
    }
}
