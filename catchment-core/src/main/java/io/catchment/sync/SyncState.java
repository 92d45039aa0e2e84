package io.catchment.sync;

import io.catchment.connector.Checkpoint;
import java.util.Optional;

/**
 * One data source's sync bookkeeping: the work asked for, an unfinished crawl's checkpoint, the
 * change feed's cursor (and the one taken before the current crawl, which replaces it when the
 * crawl completes), and how many provider pages this sync has read.
 */
public record SyncState(long dataSourceId, boolean crawlRequested, boolean changesRequested, boolean reconcileRequested,
                        long reconcileVersion, boolean cancelRequested, long crawlGeneration, boolean crawling,
                        Optional<Checkpoint> crawlCheckpoint, Optional<Checkpoint> pendingCursor,
                        Optional<Checkpoint> changeCursor, Optional<String> lastError, long pages) {

    public boolean hasWork() {
        return crawling || crawlRequested || changesRequested || reconcileRequested;
    }
}
