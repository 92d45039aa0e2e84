package io.catchment.files;

import io.catchment.json.WireNamed;
import io.catchment.store.Page;
import io.catchment.store.SortDirection;

/** A page of one customer's files: filters, ordering (Carbon's default: updated_at asc), paging. */
public record FileQuery(FileFilters filters, OrderBy orderBy, SortDirection direction, Page page) {

    /** Carbon's {@code OrganizationUserFilesToSyncOrderByTypes}. */
    public enum OrderBy implements WireNamed {
        CREATED_AT("created_at"), UPDATED_AT("updated_at"), NAME("name"), LAST_SYNC("last_sync"),
        FILE_SIZE("file_size"), ID("id");

        private final String column;

        OrderBy(String column) {
            this.column = column;
        }

        public String column() {
            return column;
        }

        @Override
        public String wireName() {
            return column;
        }
    }
}
