/**
 * Benchmark programs (not tests): run with
 * {@code bench/run --quick|--full [all|search|embedding|ingestion|sync|api]}; figures go to
 * BENCHMARKS.md with the command, the date and the machine's load. Nothing here asserts timings.
 *
 * <ul>
 *   <li>{@link io.catchment.bench.SearchBench}: search latency and recall over the
 *       {@code ChunkIndex} SPI (Lucene and pgvector), on synthetic vectors, with LangChain4j's
 *       {@code InMemoryEmbeddingStore} as the baseline ({@link io.catchment.bench.InMemoryBaseline}).
 *   <li>{@link io.catchment.bench.EmbeddingBench}: the local all-MiniLM-L6-v2 model's throughput
 *       (embeddings per second for ~256-token chunks at several batch sizes, quantized and full
 *       precision), which the server's embedding batch size is chosen from.
 *   <li>{@link io.catchment.bench.IngestionBench}: a generated corpus ({@link io.catchment.bench.Corpus})
 *       uploaded through the HTTP API of an in-process server until READY, against a LangChain4j
 *       pipeline and the model alone, with a JFR profile ({@link io.catchment.bench.Profile}).
 *   <li>{@link io.catchment.bench.SyncBench}: full and incremental sync of a fake Google Drive,
 *       in seconds and provider requests.
 *   <li>{@link io.catchment.bench.ApiBench}: {@code /user_files_v2} and {@code /integrations/oauth_url}
 *       under 50 concurrent clients, and the process's memory.
 * </ul>
 *
 * <p>The in-process server ({@link io.catchment.bench.BenchServer}) and the fakes of
 * catchment-testing are the tests' harnesses reused; the benchmark talks to the server only over
 * HTTP, except to count chunks and to bulk-insert file rows through its database handle.
 */
package io.catchment.bench;
