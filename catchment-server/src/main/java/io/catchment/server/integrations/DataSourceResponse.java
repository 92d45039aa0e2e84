package io.catchment.server.integrations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.datasource.DataSource;
import java.time.Instant;
import io.catchment.files.FileStatus;
import java.util.Map;
import java.util.Optional;

/**
 * Carbon's {@code OrganizationUserDataSourceAPI}. {@code token} is always null: credentials never
 * leave the server (Carbon returned token details here).
 */
record DataSourceResponse(long id, String dataSourceExternalId, String dataSourceType, Optional<ObjectNode> token,
                          String syncStatus, Optional<Instant> sourceItemsSyncedAt, long organizationUserId,
                          long organizationId, String organizationSuppliedUserId, boolean revokedAccess,
                          Instant lastSyncedAt, String lastSyncAction, Optional<Boolean> enableAutoSync,
                          Instant createdAt, Instant updatedAt, Optional<Instant> filesSyncedAt,
                          ObjectNode dataSourceMetadata, ObjectNode tags, Optional<String> syncErrorMessage,
                          Optional<SyncProgress> syncProgress) {

    /**
     * How far the connection's files are (not in Carbon's schema; Carbon left progress invisible):
     * files waiting (queued, rate-limited, OCR), being processed, ready, and failed.
     */
    record SyncProgress(long filesQueued, long filesSyncing, long filesReady, long filesFailed, long filesTotal) {
        static SyncProgress of(Map<FileStatus, Long> counts) {
            long queued = 0, syncing = 0, ready = 0, failed = 0, total = 0;
            for (var e : counts.entrySet()) {
                total += e.getValue();
                switch (e.getKey()) {
                    case QUEUED_FOR_SYNC, QUEUED_FOR_OCR, RATE_LIMITED, DELAYED, EVALUATING_RESYNC -> queued += e.getValue();
                    case SYNCING -> syncing += e.getValue();
                    case READY, READY_TO_SYNC -> ready += e.getValue();
                    case SYNC_ERROR, SYNC_ABORTED -> failed += e.getValue();
                }
            }
            return new SyncProgress(queued, syncing, ready, failed, total);
        }
    }

    static DataSourceResponse of(DataSource d, String suppliedCustomerId) {
        return of(d, suppliedCustomerId, Optional.empty());
    }

    static DataSourceResponse of(DataSource d, String suppliedCustomerId, Optional<SyncProgress> progress) {
        return new DataSourceResponse(d.id(), d.externalId(), d.type().name(), Optional.empty(), d.syncStatus().name(),
                d.sourceItemsSyncedAt(), d.customerId(), d.organizationId(), suppliedCustomerId, d.revokedAccess(),
                d.lastSyncedAt(), d.lastSyncAction().name(), d.enableAutoSync(), d.createdAt(), d.updatedAt(),
                d.filesSyncedAt(), d.metadata(), d.tags(), d.syncErrorMessage(), progress);
    }
}
