/**
 * Jina AI: the {@code JINA_RERANKER_MULTILINGUAL_V2} reranker ({@code jina-reranker-v2-base-multilingual}).
 * Jina serves no embedding model Carbon names, so there is only the reranker here.
 *
 * <ul>
 *   <li><b>Endpoint</b>: {@code POST {baseUrl}/rerank}; {@code baseUrl} defaults to
 *       {@code https://api.jina.ai/v1}, and its path is kept (the endpoint is joined to it, not
 *       resolved against it).
 *   <li><b>Auth</b>: {@code Authorization: Bearer <api key>}; the key never appears in a message.
 *   <li><b>Request</b>: {@code model}, {@code query}, {@code documents} as plain strings,
 *       {@code top_n}, and {@code return_documents: false} (only indices and scores are read).
 *   <li><b>Limits</b>: Jina documents no document count per call; Catchment sends at most 1000,
 *       far more candidates than a search reranks. Documents longer than the model's context are
 *       Jina's to handle; Catchment sends chunks as they are.
 *   <li><b>Answer</b>: {@code results[]} of {@code index} and {@code relevance_score}, checked and
 *       returned best first whatever order they arrive in; one that cannot be read fails without retry.
 *   <li><b>Errors</b>: Jina answers {@code {"detail": ...}}; 401 and other 4xx fail at once, 429
 *       and 5xx are retried by {@link io.catchment.embed.remote.JsonApiClient}.
 * </ul>
 */
package io.catchment.embed.jina;
