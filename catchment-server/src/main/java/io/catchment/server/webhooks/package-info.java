/**
 * Carbon's webhook endpoints (API key only): {@code POST /add_webhook}, {@code POST /webhooks},
 * {@code DELETE /delete_webhook/{webhook_id}} ({@link io.catchment.server.webhooks.WebhooksApi}),
 * over {@link io.catchment.webhooks.Webhooks}, and the delivery log.
 *
 * <p>Shapes follow Carbon's {@code Webhook} (with {@code signing_key}, only in the answer to
 * {@code /add_webhook}) and {@code WebhookNoKey}. One field goes beyond Carbon: {@code event_types},
 * an optional list of event types a webhook receives; Carbon's SDK never sends it, and without it
 * every event is sent, as Carbon does. Answers show it (null = every event).
 *
 * <p>Errors: a body Carbon's model would reject (no {@code url}, a {@code url} longer than 2048
 * characters, an unknown event type) is a 422 with {@code loc}/{@code msg}/{@code type}; a URL that
 * cannot receive webhooks (not http or https, no host, credentials in it, or a host that is or
 * resolves to an internal address and is not allowlisted) is a 400 {@code {"detail"}} naming the
 * problem; another organization's webhook id is a 404, the same as one that does not exist.
 */
package io.catchment.server.webhooks;
