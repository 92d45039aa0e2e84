package io.catchment.datasource;

/** Carbon's {@code DataSourceSyncStatuses}. */
public enum SyncStatus { QUEUED_FOR_SYNCING, SYNCING, READY, SYNC_ERROR }
