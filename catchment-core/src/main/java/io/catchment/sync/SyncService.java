package io.catchment.sync;

import io.catchment.connector.Connectors;
import io.catchment.datasource.DataSource;
import io.catchment.datasource.DataSources;
import io.catchment.files.FileStatus;
import io.catchment.files.FileStore;
import java.util.Collection;
import java.util.Map;

/**
 * What the API asks of the sync engine: crawl a data source's items, cancel, sync picked items,
 * browse items, and show progress. Every request is recorded in the database first and then
 * queued, so a crash in between is repaired by the sweeper.
 */
public final class SyncService {
    private final DataSources dataSources;
    private final Connectors connectors;
    private final SyncStates states;
    private final Selections selections;
    private final SourceItems items;
    private final FileStore files;
    private final SyncJobs jobs;
    private final ProviderDoors doors;

    public SyncService(DataSources dataSources, Connectors connectors, SyncStates states, Selections selections,
                       SourceItems items, FileStore files, SyncJobs jobs, ProviderDoors doors) {
        this.doors = doors;
        this.dataSources = dataSources;
        this.connectors = connectors;
        this.states = states;
        this.selections = selections;
        this.items = items;
        this.files = files;
        this.jobs = jobs;
    }

    public boolean supports(DataSource ds) {
        return connectors.supports(ds.type());
    }

    /** After a connection is made: crawl its items unless the connect request said {@code sync_source_items: false}. */
    public void connected(DataSource ds) {
        if (!supports(ds)) return;
        if (ds.syncSettings().path("sync_source_items").asBoolean(true)) crawl(ds);
    }

    /** {@code /integrations/items/sync}: crawl the item tree again (new, changed, gone items). */
    public void crawl(DataSource ds) {
        states.request(ds.id(), SyncStates.Work.CRAWL);
        queue(ds);
    }

    /** {@code /integrations/items/sync/cancel}. */
    public void cancel(DataSource ds) {
        states.requestCancel(ds.id());
        dataSources.markCancelled(ds.id());
    }

    /** {@code /integrations/files/sync} and friends: the items (a folder: everything below it) are synced with these settings. */
    public void syncItems(DataSource ds, Collection<String> externalIds, SyncSettings settings) {
        selections.select(ds.id(), externalIds, settings);
        boolean unknown = externalIds.stream().anyMatch(id -> items.find(ds.id(), id).isEmpty());
        // An id we have not crawled (new at the source, or no crawl yet) needs the tree first.
        states.request(ds.id(), unknown ? SyncStates.Work.CRAWL : SyncStates.Work.RECONCILE);
        dataSources.markUpdated(ds.id());
        queue(ds);
    }

    /** Auto-sync now: read the change feed (or crawl and compare) and bring files in line. */
    public void refresh(DataSource ds) {
        states.request(ds.id(), SyncStates.Work.CHANGES);
        queue(ds);
    }

    /** The tenant's sites, for connectors that have them (SharePoint); empty for the others. */
    public java.util.Optional<io.catchment.connector.SiteDirectory.SitePage> sites(DataSource ds, java.util.Optional<String> cursor)
            throws io.catchment.http.SyncFailure {
        var connector = connectors.find(ds.type());
        if (connector.isEmpty() || !(connector.get() instanceof io.catchment.connector.SiteDirectory directory)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(directory.sites(doors.open(ds, connector.get()), cursor));
    }

    public SourceItems.ItemPage items(ItemQuery query) {
        return items.query(query);
    }

    /** The data source's files by status: progress for the API. */
    public Map<FileStatus, Long> fileCounts(DataSource ds) {
        return files.statusCounts(ds.id());
    }

    private void queue(DataSource ds) {
        dataSources.markQueued(ds.id());
        jobs.enqueue(ds.id(), java.time.Duration.ZERO);
    }
}
