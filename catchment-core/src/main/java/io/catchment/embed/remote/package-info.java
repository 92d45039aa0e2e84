/**
 * What every remote embedding or rerank adapter shares, so that each adapter is only the
 * provider's request and response format.
 *
 * <ul>
 *   <li>{@link io.catchment.embed.remote.JsonApiClient}: JSON over HTTP with a timeout, a
 *       concurrency limit per provider and API key, retries on 429 (honouring {@code Retry-After}
 *       and {@code retry-after-ms}), 5xx and network failures with exponential backoff and jitter,
 *       and provider error bodies turned into one-line messages with no secrets in them.
 *   <li>{@link io.catchment.embed.remote.RemoteEmbeddingModel}: an
 *       {@link io.catchment.embed.EmbeddingModel} over a {@link io.catchment.embed.remote.BatchEmbedder}:
 *       splits inputs longer than the model reads into token windows and pools their vectors,
 *       packs batches within the provider's count and token limits, checks dimensions and returns
 *       unit vectors.
 * </ul>
 */
package io.catchment.embed.remote;
