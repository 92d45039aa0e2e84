package io.catchment.sync;

import io.catchment.connector.Connection;
import io.catchment.connector.Connector;
import io.catchment.connector.Connectors;
import io.catchment.connector.Fetched;
import io.catchment.connector.ItemFailure;
import io.catchment.datasource.DataSource;
import io.catchment.datasource.DataSources;
import io.catchment.files.StoredFile;
import io.catchment.http.SyncFailure;
import io.catchment.ingest.SourceContent;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The pipeline's fetch step for connector files: finds the file's item and connector, and lets the
 * connector download or export it. A revoked grant also puts the data source in SYNC_ERROR.
 */
public final class ConnectorContent implements SourceContent {
    private final DataSources dataSources;
    private final Connectors connectors;
    private final SourceItems items;
    private final ProviderDoors doors;

    public ConnectorContent(DataSources dataSources, Connectors connectors, SourceItems items, ProviderDoors doors) {
        this.dataSources = dataSources;
        this.connectors = connectors;
        this.items = items;
        this.doors = doors;
    }

    @Override
    public Result fetch(StoredFile file, Path target) {
        long dsId = file.dataSourceId().orElseThrow();
        Optional<DataSource> ds = dataSources.find(dsId);
        if (ds.isEmpty()) return new Result.Failed("The file's data source was deleted", false);
        Optional<Connector> connector = connectors.find(ds.get().type());
        if (connector.isEmpty()) return new Result.Failed("No connector for " + ds.get().type(), false);
        Optional<StoredItem> item = items.find(dsId, file.externalFileId());
        if (item.isEmpty()) return new Result.Failed("The file is no longer in " + ds.get().type(), false);
        try {
            Connection c = doors.open(ds.get(), connector.get());
            Fetched fetched = connector.get().fetch(c, item.get().item(), target);
            return new Result.Fetched(fetched.fileName(), fetched.mimeType());
        } catch (ItemFailure e) {
            return new Result.Failed(e.getMessage(), false);
        } catch (SyncFailure failure) {
            return switch (failure) {
                case SyncFailure.RateLimited e -> new Result.RateLimited(e.getMessage(), e.retryAfter());
                case SyncFailure.Auth e -> {
                    dataSources.markSyncError(dsId, e.getMessage());
                    yield new Result.Failed(e.getMessage(), false);
                }
                case SyncFailure.Config e -> new Result.Failed(e.getMessage(), false);
                case SyncFailure.Transient e -> new Result.Failed(e.getMessage(), true);
            };
        }
    }
}
