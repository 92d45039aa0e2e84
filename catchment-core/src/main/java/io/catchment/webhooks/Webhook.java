package io.catchment.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An organization's webhook as it may be shown: never with its signing key, which only
 * {@link Webhooks#add} hands out (once) and {@link Webhooks#openKey} opens for the dispatcher.
 *
 * @param eventTypes the only events sent to it, in enum order; empty = every event (Carbon's behaviour)
 */
public record Webhook(long id, long organizationId, String url, WebhookStatus status, Optional<String> statusReason,
                      Optional<List<WebhookType>> eventTypes, Instant createdAt, Instant updatedAt) {

    public Webhook {
        eventTypes = eventTypes.map(List::copyOf);
    }

    /** Whether events of {@code type} are sent to this webhook (its status aside). */
    public boolean accepts(WebhookType type) {
        return eventTypes.map(types -> types.contains(type)).orElse(true);
    }
}
