/**
 * Rerankers for {@code POST /embeddings} {@code rerank}: a cross-encoder scores each candidate
 * chunk against the query, and the best {@code k} are returned in that order.
 *
 * <ul>
 *   <li>{@link io.catchment.rerank.RerankModel}: the models Carbon accepts, and who serves them.
 *   <li>{@link io.catchment.rerank.Reranker}: one reranker; adapters live with their provider
 *       ({@code io.catchment.embed.cohere}, {@code io.catchment.embed.jina}).
 *   <li>{@link io.catchment.rerank.RerankerSource}: which reranker an organization may use.
 * </ul>
 * No cross-encoder ships inside a Maven artifact, so there is no local reranker.
 */
package io.catchment.rerank;
