package io.catchment.datasource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.connector.DataSourceType;
import java.time.Instant;
import java.util.Optional;

/**
 * One connected account. {@code syncSettings} holds the ingest options every file synced through
 * it gets (chunk_size, embedding_model, ...), as the connect request gave them. Credentials are
 * not here: {@link DataSources#credentials} opens them when needed.
 */
public record DataSource(
        long id,
        long organizationId,
        long customerId,
        DataSourceType type,
        String externalId,
        ObjectNode metadata,
        SyncStatus syncStatus,
        SyncAction lastSyncAction,
        boolean revokedAccess,
        Optional<Boolean> enableAutoSync,
        ObjectNode syncSettings,
        ObjectNode tags,
        Optional<Instant> tokenExpiresAt,
        Optional<String> syncErrorMessage,
        Instant lastSyncedAt,
        Optional<Instant> sourceItemsSyncedAt,
        Optional<Instant> filesSyncedAt,
        Instant createdAt,
        Instant updatedAt) {}
