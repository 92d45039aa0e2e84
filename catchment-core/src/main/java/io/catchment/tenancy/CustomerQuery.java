package io.catchment.tenancy;

import io.catchment.json.WireNamed;
import io.catchment.store.Page;
import io.catchment.store.SortDirection;
import java.util.List;

/** {@code /list_users}: optional filters (empty = no filter), ordering, paging, and whether to count. */
public record CustomerQuery(List<String> suppliedIds, List<Long> ids, OrderBy orderBy, SortDirection direction,
                            Page page, boolean includeCount) {

    public enum OrderBy implements WireNamed {
        CREATED_AT("created_at"), UPDATED_AT("updated_at");

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

    public CustomerQuery {
        suppliedIds = List.copyOf(suppliedIds);
        ids = List.copyOf(ids);
    }
}
