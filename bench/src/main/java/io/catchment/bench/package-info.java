/**
 * Benchmark programs (not tests): run with {@code bench/run --quick|--full}; figures go to
 * BENCHMARKS.md with the command and the date. Nothing here asserts timings.
 */
package io.catchment.bench;
