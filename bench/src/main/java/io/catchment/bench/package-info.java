/**
 * Benchmark programs (not tests): run with {@code bench/run --quick|--full [all|search|embedding]};
 * figures go to BENCHMARKS.md with the command and the date. Nothing here asserts timings.
 *
 * <ul>
 *   <li>{@link io.catchment.bench.SearchBench}: search latency and recall over the
 *       {@code ChunkIndex} SPI (Lucene and pgvector), on synthetic vectors.
 *   <li>{@link io.catchment.bench.EmbeddingBench}: the local all-MiniLM-L6-v2 model's throughput
 *       (embeddings per second for ~256-token chunks at several batch sizes, quantized and full
 *       precision), which the server's embedding batch size is chosen from.
 * </ul>
 */
package io.catchment.bench;
