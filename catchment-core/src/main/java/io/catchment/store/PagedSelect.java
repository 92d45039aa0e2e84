package io.catchment.store;

import java.util.List;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Carbon's listings: one page of rows in a stable order (after {@code starting_id} when given, a
 * keyset cursor on the id) and how many rows the filter matches in all, cursor aside.
 */
public final class PagedSelect {
    private PagedSelect() {}

    public record Result<T>(List<T> rows, long count) {}

    /**
     * @param columns what to select ({@code "*"}, {@code "d.*, e.webhook_type"})
     * @param from the {@code FROM} part, joins included, without {@code WHERE}
     * @param idColumn the unique id that breaks ties and carries the cursor
     * @param orderColumn the column to order by before the id, or empty to order by the id alone
     * @param filter builds the filter afresh: the page's copy gets the cursor, the count's does not
     */
    public static <T> Result<T> run(Handle h, String columns, String from, String idColumn, String orderColumn,
                                    Supplier<SqlWhere> filter, SortDirection direction, Page page, RowMapper<T> mapper) {
        SqlWhere paged = filter.get();
        if (page.startingId() > 0) {
            paged.and(idColumn + " " + direction.afterCursor() + " " + paged.param(page.startingId()));
        }
        String dir = direction.sql();
        String order = (orderColumn.isEmpty() ? "" : orderColumn + " " + dir + ", ") + idColumn + " " + dir;
        List<T> rows = h.createQuery("SELECT " + columns + " " + from + " WHERE " + paged.sql() + " ORDER BY " + order
                        + " LIMIT " + page.limit() + " OFFSET " + page.offset())
                .bindMap(paged.params()).map(mapper).list();
        SqlWhere counted = filter.get();
        long count = h.createQuery("SELECT COUNT(*) " + from + " WHERE " + counted.sql())
                .bindMap(counted.params()).mapTo(Long.class).one();
        return new Result<>(rows, count);
    }
}
