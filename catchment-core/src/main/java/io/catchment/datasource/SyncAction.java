package io.catchment.datasource;

/** Carbon's {@code DataSourceLastSyncActions}: what last happened to the connection. */
public enum SyncAction { ADD, UPDATE, CANCEL, REVOKE }
