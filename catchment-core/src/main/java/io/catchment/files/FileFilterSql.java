package io.catchment.files;

import io.catchment.store.SqlWhere;
import java.util.ArrayList;
import java.util.List;

/** Translates {@link FileFilters} (including tags_v2) into SQL over {@code files f}. */
final class FileFilterSql {
    private FileFilterSql() {}

    static SqlWhere where(long customerId, FileFilters f) {
        SqlWhere w = new SqlWhere();
        w.and("f.customer_id = " + w.param(customerId));
        w.in("f.source", f.sources());
        f.nameContains().ifPresent(n -> w.and("LOWER(f.name) LIKE " + w.param("%" + escapeLike(n.toLowerCase()) + "%")
                + " ESCAPE '\\'"));
        f.tags().ifPresent(t -> w.and(tags(w, t)));
        w.in("f.id", f.ids());
        w.in("f.external_file_id", f.externalFileIds());
        w.in("f.sync_status", f.statuses().stream().map(Enum::name).toList());
        w.in("f.data_source_id", f.dataSourceIds());
        w.in("f.embedding_model", f.embeddingModels());
        w.in("f.request_id", f.requestIds());
        w.in("f.upload_id", f.uploadIds());
        w.in("f.external_url", f.externalUrls());
        if (!f.parentFileIds().isEmpty()) {
            // include_all_children widens "direct children" to the whole subtree (two levels are
            // enough until folders arrive with connectors; recursive CTEs differ between vendors).
            String parents = w.list(f.parentFileIds());
            w.and(f.includeAllChildren()
                    ? "(f.parent_id IN " + parents + " OR f.parent_id IN (SELECT c.id FROM files c WHERE c.parent_id IN "
                            + w.list(f.parentFileIds()) + "))"
                    : "f.parent_id IN " + parents);
        }
        if (f.rootFilesOnly()) w.and("f.parent_id IS NULL");
        if (f.nonSyncedOnly()) w.and("f.sync_status <> 'READY'");
        f.syncErrorMessage().ifPresent(m -> w.and(m.isEmpty() ? "f.sync_error_message IS NULL"
                : "LOWER(f.sync_error_message) LIKE " + w.param("%" + escapeLike(m.toLowerCase()) + "%") + " ESCAPE '\\'"));
        return w;
    }

    /** tags_v2 as EXISTS / NOT EXISTS over {@code file_tags}. */
    static String tags(SqlWhere w, TagFilter filter) {
        return switch (filter) {
            case TagFilter.And and -> group(w, and.all(), " AND ");
            case TagFilter.Or or -> group(w, or.any(), " OR ");
            case TagFilter.Leaf leaf -> (leaf.negate() ? "NOT " : "")
                    + "EXISTS (SELECT 1 FROM file_tags t WHERE t.file_id = f.id AND t.tag_key = " + w.param(leaf.key())
                    + " AND t.tag_value IN " + w.list(leaf.values()) + ")";
        };
    }

    private static String group(SqlWhere w, List<TagFilter> parts, String op) {
        if (parts.isEmpty()) return "TRUE";
        List<String> sql = new ArrayList<>();
        for (TagFilter p : parts) sql.add(tags(w, p));
        return "(" + String.join(op, sql) + ")";
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
