/**
 * The sync engine, shared by every content connector: crawls a data source's tree into source
 * items ({@link io.catchment.sync.SourceItems}), reads change feeds, and reconciles the user's
 * selections with files ({@link io.catchment.sync.Reconciler}), which the ingestion pipeline then
 * fetches ({@link io.catchment.sync.ConnectorContent}) and processes. State lives in the database:
 * a checkpoint after every page, a lease per data source, flags for requested work
 * ({@link io.catchment.sync.SyncStates}); {@link io.catchment.sync.SyncJobs} runs it on the job
 * workers and schedules auto-syncs ({@link io.catchment.sync.AutoSync}). The API talks to
 * {@link io.catchment.sync.SyncService}.
 */
package io.catchment.sync;
