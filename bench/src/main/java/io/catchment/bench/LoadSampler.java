package io.catchment.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Samples the system's 1-minute load average while a backend is measured, so a reader can tell a
 * quiet machine from one shared with other work (the timings mean little on the latter).
 */
final class LoadSampler implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;
    private double sum;
    private double max;
    private int samples;

    LoadSampler() {
        thread = Thread.ofPlatform().daemon().name("bench-load-sampler").start(this::sample);
    }

    private void sample() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        while (running) {
            double load = os.getSystemLoadAverage();
            if (load >= 0) {
                synchronized (this) {
                    sum += load;
                    max = Math.max(max, load);
                    samples++;
                }
            }
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    synchronized String summary() {
        if (samples == 0) return "System load average: not available.";
        return String.format(Locale.ROOT, "Load average (1 min) meanwhile: mean %.1f, max %.1f (%d cores).", sum / samples, max,
                Runtime.getRuntime().availableProcessors());
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
