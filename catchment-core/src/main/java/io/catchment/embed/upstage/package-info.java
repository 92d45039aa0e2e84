/**
 * Upstage's Solar embeddings, Carbon's {@code SOLAR_1_MINI} (4096 dimensions).
 *
 * <ul>
 *   <li><b>Endpoint</b>: {@code POST {base_url}/embeddings}, base {@code https://api.upstage.ai/v1}
 *       (the older {@code /v1/solar/embeddings} path is the same API);
 *       {@code Authorization: Bearer <key>}; body {@code {"model", "input": [...]}}; the answer is
 *       OpenAI's shape, {@code data[].index} and {@code data[].embedding}, placed by index. Errors
 *       are OpenAI-shaped too, {@code {"error": {"message", "type", "code"}}}.
 *   <li><b>Models</b>: documents go to {@code solar-embedding-1-large-passage}, queries to
 *       {@code solar-embedding-1-large-query}; one vector space. The aliases
 *       {@code embedding-passage} / {@code embedding-query} point at these today, but Upstage moves
 *       aliases to newer models, and its newer Solar Embedding 2 has 1024 dimensions, which would
 *       not fit an index of 4096: hence the pinned ids (Upstage retires Solar Embedding 1 on
 *       2026-12-31). Earlier names: {@code solar-1-mini-embedding-passage} / {@code -query}
 *       (Carbon's name for the model; discontinued June 2024).
 *   <li><b>Limits</b>: 100 texts per request, under 204,800 tokens in all, each text at most 4000
 *       tokens and never empty (Upstage recommends under 512). Tokens are Solar's; our cl100k
 *       limits keep a margin (2800 per text, 140,000 per request).
 *   <li><b>Long text</b>: longer than 2800 cl100k tokens is split into windows whose vectors are
 *       pooled, by {@link io.catchment.embed.remote.RemoteEmbeddingModel}. Blank texts are not sent.
 * </ul>
 * Retries (429 and 5xx), rate limits and error messages are
 * {@link io.catchment.embed.remote.JsonApiClient}'s.
 */
package io.catchment.embed.upstage;
