package io.catchment.tenancy;

import java.util.List;

/** Which data source types auto-sync: all of them, or a listed set (empty = none). */
public sealed interface AutoSyncSources {
    record All() implements AutoSyncSources {}

    record Only(List<String> types) implements AutoSyncSources {
        public Only {
            types = List.copyOf(types);
        }
    }

    AutoSyncSources ALL = new All();
}
