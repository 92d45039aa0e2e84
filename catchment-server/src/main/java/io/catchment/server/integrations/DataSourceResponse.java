package io.catchment.server.integrations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.datasource.DataSource;
import java.time.Instant;
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
                          ObjectNode dataSourceMetadata, ObjectNode tags, Optional<String> syncErrorMessage) {

    static DataSourceResponse of(DataSource d, String suppliedCustomerId) {
        return new DataSourceResponse(d.id(), d.externalId(), d.type().name(), Optional.empty(), d.syncStatus().name(),
                d.sourceItemsSyncedAt(), d.customerId(), d.organizationId(), suppliedCustomerId, d.revokedAccess(),
                d.lastSyncedAt(), d.lastSyncAction().name(), d.enableAutoSync(), d.createdAt(), d.updatedAt(),
                d.filesSyncedAt(), d.metadata(), d.tags(), d.syncErrorMessage());
    }
}
