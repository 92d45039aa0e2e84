/**
 * Cohere: the {@code COHERE_MULTILINGUAL_V3} embedding model and the
 * {@code COHERE_RERANK_MULTILINGUAL_V3} reranker, over Cohere's API v2.
 *
 * <ul>
 *   <li><b>Endpoints</b>: {@code POST {baseUrl}/v2/embed} and {@code POST {baseUrl}/v2/rerank};
 *       {@code baseUrl} defaults to {@code https://api.cohere.com} and may carry a path (a proxy).
 *   <li><b>Auth</b>: {@code Authorization: Bearer <api key>}; the key never appears in a message.
 *   <li><b>Embed</b>: {@code embed-multilingual-v3.0}, 1024 dimensions. Each call sends
 *       {@code model}, {@code texts}, {@code input_type} ({@code search_document} for documents,
 *       {@code search_query} for queries: v3 models refuse a call without it),
 *       {@code embedding_types: ["float"]} and {@code truncate: "END"}; the answer is read from
 *       {@code embeddings.float}. At most 96 texts per call.
 *   <li><b>Long input</b>: the model reads 512 tokens of Cohere's own tokenizer, which Catchment
 *       cannot count. Texts are cut into windows of 400 cl100k tokens (a margin for the difference
 *       between the two tokenizers), embedded one by one and pooled by
 *       {@link io.catchment.embed.remote.RemoteEmbeddingModel}; {@code truncate: "END"} stays on so
 *       that a window the margin did not cover loses its last few tokens instead of failing the call.
 *   <li><b>Rerank</b>: {@code rerank-multilingual-v3.0}, at most 1000 documents per call (Cohere's
 *       documented ceiling), sent as plain strings with {@code top_n}. Cohere cuts long documents
 *       to its own context ({@code max_tokens_per_doc}, 4096 by default), which is far beyond a
 *       chunk. Results are checked and returned best first whatever order they arrive in.
 *   <li><b>Errors</b>: Cohere answers {@code {"message": ...}}; 401 and other 4xx fail at once,
 *       429 (trial keys are limited per minute) and 5xx are retried by
 *       {@link io.catchment.embed.remote.JsonApiClient}. An answer that cannot be read fails
 *       without retry.
 * </ul>
 */
package io.catchment.embed.cohere;
