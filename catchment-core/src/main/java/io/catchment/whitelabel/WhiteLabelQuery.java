package io.catchment.whitelabel;

import io.catchment.json.WireNamed;
import io.catchment.oauth.OAuthService;
import io.catchment.store.Page;
import io.catchment.store.SortDirection;
import java.util.List;

/** {@code /white_label/list}: optional filters (empty = no filter), ordering and paging. */
public record WhiteLabelQuery(List<Long> ids, List<OAuthService> services, OrderBy orderBy, SortDirection direction,
                              Page page) {

    public static final WhiteLabelQuery ALL = new WhiteLabelQuery(List.of(), List.of(), OrderBy.CREATED_AT,
            SortDirection.ASC, new Page(Page.MAX_LIMIT, 0, 0));

    /** Carbon's {@code WhiteLabelOrderByColumns}. */
    public enum OrderBy implements WireNamed {
        CREATED_AT("created_at"), DATA_SOURCE_TYPE("data_source_type");

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

    public WhiteLabelQuery {
        ids = List.copyOf(ids);
        services = List.copyOf(services);
    }
}
