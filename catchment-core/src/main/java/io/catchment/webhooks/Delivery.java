package io.catchment.webhooks;

import java.time.Instant;
import java.util.Optional;

/**
 * One row of the delivery log. Receivers see {@code eventId} as the {@code Carbon-Webhook-Id}
 * header, so the log and the receiver's records can be matched.
 *
 * @param lastStatus    the HTTP status of the last answer (empty when there was none: refused
 *                      target, timeout, connection error)
 * @param lastError     why the last attempt failed (empty after a success)
 * @param nextAttemptAt when a PENDING delivery is tried next
 */
public record Delivery(long id, long webhookId, long eventId, WebhookType webhookType, DeliveryStatus status,
                       int attempts, Optional<Integer> lastStatus, Optional<String> lastError,
                       Optional<Instant> nextAttemptAt, Optional<Instant> deliveredAt, Instant occurredAt,
                       Instant createdAt, Instant updatedAt) {}
