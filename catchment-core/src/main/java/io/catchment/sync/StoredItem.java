package io.catchment.sync;

import io.catchment.connector.SourceItem;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A crawled item as stored: the connector's {@link SourceItem}, our id, the file it became
 * ({@code fileId}) and the source version that file was made from.
 */
public record StoredItem(long id, long dataSourceId, SourceItem item, OptionalLong fileId,
                         Optional<String> syncedVersion, Instant syncedAt, Instant createdAt, Instant updatedAt) {

    /** The file needs fetching again: the source has a version we did not ingest. */
    public boolean changedSinceSync() {
        return fileId.isPresent() && item.version().isPresent() && !item.version().equals(syncedVersion);
    }
}
