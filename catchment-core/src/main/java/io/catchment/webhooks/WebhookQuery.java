package io.catchment.webhooks;

import io.catchment.json.WireNamed;
import io.catchment.store.Page;
import io.catchment.store.SortDirection;
import java.util.List;

/** {@code POST /webhooks}: an optional id filter (empty = none), ordering and paging. */
public record WebhookQuery(List<Long> ids, OrderBy orderBy, SortDirection direction, Page page) {

    /** Carbon's defaults: {@code updated_at}, ascending, 10 from the start. */
    public static final WebhookQuery DEFAULT = new WebhookQuery(List.of(), OrderBy.UPDATED_AT, SortDirection.ASC,
            Page.DEFAULT);

    /** Carbon's {@code WebhookOrderByColumns}. */
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

    public WebhookQuery {
        ids = List.copyOf(ids);
    }
}
