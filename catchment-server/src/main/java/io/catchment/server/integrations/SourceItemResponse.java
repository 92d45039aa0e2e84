package io.catchment.server.integrations;

import io.catchment.datasource.DataSource;
import io.catchment.sync.StoredItem;
import java.time.Instant;
import java.util.Optional;

/** Carbon's {@code ExternalSourceItem}. */
record SourceItemResponse(long id, String externalId, String source, String name, Instant syncedAt,
                          boolean isSelectable, boolean isExpandable, long organizationId,
                          String organizationSuppliedUserId, long organizationUserId, long organizationUserDataSourceId,
                          Optional<Long> organizationUserFileToSyncId, Optional<String> parentExternalId, String itemType,
                          String rootExternalId, Optional<String> externalUrl, Optional<String> fileFormat,
                          Instant createdAt, Instant updatedAt) {

    static SourceItemResponse of(StoredItem s, DataSource ds, String suppliedUserId) {
        var i = s.item();
        return new SourceItemResponse(s.id(), i.externalId(), ds.type().name(), i.name(), s.syncedAt(), i.selectable(),
                i.expandable(), ds.organizationId(), suppliedUserId, ds.customerId(), ds.id(),
                s.fileId().isPresent() ? Optional.of(s.fileId().getAsLong()) : Optional.empty(), i.parentExternalId(),
                i.itemType(), i.rootExternalId(), i.externalUrl(), i.fileFormat(), s.createdAt(), s.updatedAt());
    }
}
