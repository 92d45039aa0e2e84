/**
 * Credentials for model providers (embedding models and rerankers): what each provider needs,
 * read from the server's environment, from an organization's stored settings (sealed with
 * {@link io.catchment.crypto.SecretBox}) or from a request's {@code custom_credentials}.
 * Secrets appear only masked outside this package's records.
 */
package io.catchment.embed.credentials;
