/**
 * OpenAI and Azure OpenAI embeddings: text-embedding-ada-002 (1536 dimensions) and
 * text-embedding-3-small / -large, shortened with the {@code dimensions} parameter to the size the
 * Carbon model name says ({@code OPENAI_ADA_LARGE_256} is text-embedding-3-large at 256).
 *
 * <ul>
 *   <li><b>OpenAI</b> ({@link io.catchment.embed.openai.OpenAiEmbeddings}):
 *       {@code POST {base_url}/embeddings} (default {@code https://api.openai.com/v1}),
 *       {@code Authorization: Bearer <key>} and {@code OpenAI-Organization} when set; body
 *       {@code {"model", "input": [...], "encoding_format": "float", "dimensions"?}}.
 *       Limits: 2048 inputs, 300,000 tokens per request.
 *   <li><b>Azure OpenAI</b> ({@link io.catchment.embed.openai.AzureOpenAiEmbeddings}):
 *       {@code POST {endpoint}/openai/deployments/{deployment}/embeddings?api-version=...},
 *       {@code api-key: <key>}; the same body without {@code model} (the deployment decides).
 *       Limits: 2048 inputs per request (16 before api-version 2024-02-01), and at most 100,000
 *       tokens per request so that one request fits in a typical deployment's per-minute quota.
 * </ul>
 * {@code dimensions} is sent for every text-embedding-3 model, never for ada-002 (which answers
 * 400 to it). Inputs longer than 8191 tokens (cl100k, the models' own tokenizer) are split into
 * windows whose vectors are pooled, by {@link io.catchment.embed.remote.RemoteEmbeddingModel}.
 * Answers are placed by each embedding's {@code index}, not by array order; a malformed answer
 * fails without retry. Retries, rate limits and error messages are
 * {@link io.catchment.embed.remote.JsonApiClient}'s.
 */
package io.catchment.embed.openai;
