package io.catchment.server.webhooks;

import io.catchment.webhooks.Webhooks;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Carbon's {@code Webhook}: the one answer that carries the {@code signing_key} (32 hex
 * characters, the HMAC key hex-encoded), since it is never shown again.
 */
record AddedWebhookResponse(long id, long organizationId, String url, String signingKey, String status,
                            Optional<String> statusReason, Optional<List<String>> eventTypes, Instant createdAt,
                            Instant updatedAt) {

    static AddedWebhookResponse of(Webhooks.Added added) {
        var w = added.webhook();
        return new AddedWebhookResponse(w.id(), w.organizationId(), w.url(), added.signingKey(), w.status().name(),
                w.statusReason(), WebhookResponse.names(w), w.createdAt(), w.updatedAt());
    }

    @Override
    public String toString() {
        return "AddedWebhookResponse[id=" + id + ", signingKey=<hidden>]"; // a record would print the key
    }
}
