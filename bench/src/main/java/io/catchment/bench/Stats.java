package io.catchment.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds: nearest-rank percentiles and the mean. */
final class Stats {
    private final long[] sorted;

    Stats(long[] samples) {
        if (samples.length == 0) throw new IllegalArgumentException("no samples");
        this.sorted = samples.clone();
        Arrays.sort(sorted);
    }

    /** Nearest-rank percentile: the smallest sample with at least {@code p}% of samples at or below it. */
    double percentile(double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    double mean() {
        double sum = 0;
        for (long s : sorted) sum += s;
        return sum / sorted.length;
    }
}
