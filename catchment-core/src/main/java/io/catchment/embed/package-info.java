/**
 * Embedding models behind one interface, {@link io.catchment.embed.EmbeddingModel}.
 *
 * <ul>
 *   <li>{@link io.catchment.embed.EmbeddingGenerator}: every {@code embedding_model} value the API
 *       accepts (Carbon's {@code EmbeddingGenerators} plus {@code ALL_MINILM_L6_V2}), with dimensions.
 *   <li>{@link io.catchment.embed.LocalMiniLmModel}: the bundled all-MiniLM-L6-v2 (quantized ONNX,
 *       offline, 384 dimensions, unit vectors), the server default.
 *   <li>{@link io.catchment.embed.EmbeddingModels}: the registry the rest of the server uses: which
 *       models this server runs, the default, and why a named model is unusable.
 * </ul>
 *
 * Carbon's remote models will arrive later, over their real HTTP APIs (the embedding-models feature).
 */
package io.catchment.embed;
