package io.catchment.connector;

import java.util.List;

/**
 * What a provider's change feed reported since a cursor.
 */
public sealed interface ChangePage {
    /**
     * Items created or changed (new name, parent or version) and ids removed, with the cursor to
     * ask from next. {@code more}: another page is available now; otherwise the feed is caught up
     * and {@code cursor} is the one to keep until the next sync.
     */
    record Changes(List<SourceItem> changed, List<String> removed, Checkpoint cursor, boolean more) implements ChangePage {
        public Changes {
            changed = List.copyOf(changed);
            removed = List.copyOf(removed);
        }
    }

    /** The cursor is no longer valid (Dropbox reset, Graph 410, an expired token): crawl again and compare. */
    record Reset(String reason) implements ChangePage {}
}
