package io.catchment.webhooks;

/**
 * Carbon's {@code WebhookStatus}. A webhook becomes {@link #FLAGGED} when its deliveries kept
 * failing; nothing more is sent to it (its {@code status_reason} says why).
 */
public enum WebhookStatus { ACTIVE, FLAGGED }
