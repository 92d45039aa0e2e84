/**
 * A webhook receiver for tests: {@link io.catchment.testing.webhooks.FakeWebhookReceiver}, a real
 * HTTP server that records what it is sent and answers as scripted.
 */
package io.catchment.testing.webhooks;
