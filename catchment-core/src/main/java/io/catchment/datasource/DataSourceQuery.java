package io.catchment.datasource;

import io.catchment.connector.DataSourceType;
import io.catchment.json.WireNamed;
import io.catchment.store.Page;
import io.catchment.store.SortDirection;
import java.util.List;
import io.catchment.files.TagFilter;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Carbon's {@code OrganizationUserDataSourceQueryInput}: an organization's data sources, or one
 * customer's ({@code customerId}), filtered by type, ids, revoked flag and a tag filter
 * (Carbon's tags_v2 blocks, or a flat map read as an AND of its pairs).
 */
public record DataSourceQuery(long organizationId, OptionalLong customerId, Optional<DataSourceType> type,
                              List<Long> ids, Optional<Boolean> revokedAccess, Optional<TagFilter> tags,
                              OrderBy orderBy, SortDirection direction, Page page) {
    public DataSourceQuery {
        ids = List.copyOf(ids);
    }

    /** Carbon's {@code OrganizationUserDataSourceOrderByColumns}. */
    public enum OrderBy implements WireNamed {
        CREATED_AT, UPDATED_AT;

        @Override
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
