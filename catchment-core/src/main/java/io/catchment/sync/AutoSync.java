package io.catchment.sync;

import io.catchment.connector.Connectors;
import io.catchment.connector.DataSourceType;
import io.catchment.datasource.DataSource;
import io.catchment.datasource.DataSources;
import io.catchment.datasource.SyncStatus;
import io.catchment.tenancy.AutoSyncSources;
import io.catchment.tenancy.UserConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Who is due for an auto-sync: a data source with {@code enable_auto_sync} on, or (when the data
 * source does not say) whose user lists its type in {@code auto_sync_enabled_sources}, and whose
 * last sync is older than the user's {@code auto_sync_interval} hours (else the server default).
 * A due data source gets a change-feed read (or, without a feed, a crawl that compares versions).
 */
public final class AutoSync {
    private final DataSources dataSources;
    private final Connectors connectors;
    private final SyncStates states;
    private final Function<DataSource, UserConfiguration> settings;
    private final Duration defaultInterval;

    public AutoSync(DataSources dataSources, Connectors connectors, SyncStates states,
                    Function<DataSource, UserConfiguration> settings, Duration defaultInterval) {
        this.dataSources = dataSources;
        this.connectors = connectors;
        this.states = states;
        this.settings = settings;
        this.defaultInterval = defaultInterval;
    }

    /** Marks the due data sources (changes requested, QUEUED_FOR_SYNCING) and returns their ids. */
    public List<Long> due(Instant now) {
        List<DataSourceType> types = Arrays.stream(DataSourceType.values()).filter(connectors::supports).toList();
        List<Long> due = new ArrayList<>();
        for (DataSource ds : dataSources.syncable(types, 500)) {
            if (ds.syncStatus() == SyncStatus.SYNC_ERROR || ds.syncStatus() == SyncStatus.SYNCING) continue;
            UserConfiguration config = settings.apply(ds);
            if (!enabled(ds, config)) continue;
            Duration interval = config.autoSyncInterval().isPresent() && config.autoSyncInterval().getAsInt() > 0
                    ? Duration.ofHours(config.autoSyncInterval().getAsInt()) : defaultInterval;
            if (ds.lastSyncedAt().plus(interval).isAfter(now)) continue;
            states.request(ds.id(), SyncStates.Work.CHANGES);
            dataSources.markQueued(ds.id());
            due.add(ds.id());
        }
        return due;
    }

    private static boolean enabled(DataSource ds, UserConfiguration config) {
        return ds.enableAutoSync().orElseGet(() -> config.autoSyncEnabledSources().map(s -> switch (s) {
            case AutoSyncSources.All all -> true;
            case AutoSyncSources.Only only -> only.types().contains(ds.type().name());
        }).orElse(false));
    }
}
