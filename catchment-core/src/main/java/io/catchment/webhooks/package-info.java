/**
 * Webhooks: organizations' endpoints ({@code Webhooks}), the outbox that state changes write their
 * events to in their own transaction ({@link io.catchment.webhooks.Outbox}), and the dispatcher that
 * signs them as Carbon does and delivers them with retries, flagging a webhook that keeps failing.
 */
package io.catchment.webhooks;
