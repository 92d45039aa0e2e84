package io.catchment.files;

import io.catchment.store.DatabaseVendor;
import io.catchment.store.SqlWhere;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of one page of a customer's files and of their count ({@link FileStore#list}), kept apart
 * from running it so a test can check the plans both databases choose.
 *
 * <p>For the orders with a {@code (customer_id, column, id)} index (V11) the page should be read from
 * that index in order, stopping after the page, instead of reading and sorting every file of the
 * customer on each call (at 100k files: about 30 ms and 10 MB of garbage a call). PostgreSQL does so
 * by itself. H2 needs two nudges: the ORDER BY names {@code customer_id} first (constant under the
 * WHERE, so the order is the same), because H2 only walks an index in order when the ORDER BY starts
 * with the index's leading column; and a {@code USE INDEX} hint, because H2 otherwise prefers the
 * narrower index of the customer foreign key. The hint is left out when the filter names files or
 * data sources, which have better indexes of their own.
 */
final class FileListingSql {
    private FileListingSql() {}

    record Statement(String sql, Map<String, Object> params) {}

    static Statement page(DatabaseVendor vendor, long customerId, FileQuery q) {
        SqlWhere w = FileFilterSql.where(customerId, q.filters());
        if (q.page().startingId() > 0) {
            w.and("f.id " + q.direction().afterCursor() + " " + w.param(q.page().startingId()));
        }
        String from = "files f";
        Optional<String> index = orderedIndex(q.orderBy());
        if (vendor == DatabaseVendor.H2 && index.isPresent() && q.filters().ids().isEmpty()
                && q.filters().dataSourceIds().isEmpty()) {
            from += " USE INDEX (" + index.get() + ")";
        }
        String dir = q.direction().sql();
        String order = "f.customer_id " + dir + (q.orderBy() == FileQuery.OrderBy.ID ? "" : ", f." + q.orderBy().column() + " " + dir)
                + ", f.id " + dir;
        return new Statement("SELECT f.* FROM " + from + " WHERE " + w.sql() + " ORDER BY " + order
                + " LIMIT " + q.page().limit() + " OFFSET " + q.page().offset(), w.params());
    }

    static Statement count(long customerId, FileQuery q) {
        SqlWhere w = FileFilterSql.where(customerId, q.filters());
        return new Statement("SELECT COUNT(*) FROM files f WHERE " + w.sql(), w.params());
    }

    /** The index whose order is {@code (customer_id, order, id)}, where there is one. */
    static Optional<String> orderedIndex(FileQuery.OrderBy order) {
        return switch (order) {
            case UPDATED_AT -> Optional.of("files_customer_updated");
            case CREATED_AT -> Optional.of("files_customer_created");
            case NAME -> Optional.of("files_customer_name");
            case ID -> Optional.of("files_customer");
            case LAST_SYNC, FILE_SIZE -> Optional.empty();
        };
    }
}
