package io.catchment.server;

import io.catchment.http.HttpPolicy;
import java.time.Duration;

/**
 * How the sync engine runs.
 *
 * @param autoSyncInterval how often a data source with auto-sync on is synced when its user set no
 *     {@code auto_sync_interval} (Carbon: 3 to 24 hours by plan)
 * @param sweepEvery how often the job workers look for due auto-syncs and lost sync work
 * @param http retries, waits and size limits of provider calls
 * @param perSourceConcurrency provider calls in flight at once for one data source (per process)
 */
public record SyncConfig(Duration autoSyncInterval, Duration sweepEvery, HttpPolicy http, int perSourceConcurrency) {
    public static SyncConfig defaults() {
        return new SyncConfig(Duration.ofHours(6), Duration.ofMinutes(1), HttpPolicy.defaults(), 4);
    }

    public SyncConfig withSweepEvery(Duration every) {
        return new SyncConfig(autoSyncInterval, every, http, perSourceConcurrency);
    }

    public SyncConfig withHttp(HttpPolicy policy) {
        return new SyncConfig(autoSyncInterval, sweepEvery, policy, perSourceConcurrency);
    }

    public SyncConfig withAutoSyncInterval(Duration interval) {
        return new SyncConfig(interval, sweepEvery, http, perSourceConcurrency);
    }
}
