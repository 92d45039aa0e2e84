package io.catchment.sync;

import io.catchment.connector.SourceItem;
import io.catchment.json.Json;
import io.catchment.store.Rows;
import io.catchment.store.SqlWhere;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The crawled tree of each data source ({@code source_items}). */
public final class SourceItems {
    private static final String COLUMNS = """
            id, data_source_id, external_id, parent_external_id, root_external_id, name, item_type, is_selectable,
            is_expandable, file_format, external_url, version, size, source_created_at, source_modified_at, metadata,
            file_id, synced_version, synced_at, created_at, updated_at""";

    private final Jdbi jdbi;
    private final Clock clock;

    public SourceItems(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Inserts or updates items (by external id) and marks them seen by crawl {@code generation}. */
    public void upsert(Handle h, long dataSourceId, Collection<SourceItem> items, long generation) {
        if (items.isEmpty()) return;
        var now = Rows.timestamp(clock.instant());
        PreparedBatch batch = h.prepareBatch("""
                MERGE INTO source_items t
                USING (VALUES (CAST(:ds AS BIGINT), CAST(:ext AS VARCHAR))) AS s (data_source_id, external_id)
                ON t.data_source_id = s.data_source_id AND t.external_id = s.external_id
                WHEN MATCHED THEN UPDATE SET parent_external_id = :parent, root_external_id = :root, name = :name,
                    item_type = :type, is_selectable = :selectable, is_expandable = :expandable, file_format = :format,
                    external_url = :url, version = :version, size = :size, source_created_at = :created,
                    source_modified_at = :modified, metadata = :metadata, crawl_generation = :gen, synced_at = :now,
                    updated_at = :now
                WHEN NOT MATCHED THEN INSERT (data_source_id, external_id, parent_external_id, root_external_id, name,
                    item_type, is_selectable, is_expandable, file_format, external_url, version, size,
                    source_created_at, source_modified_at, metadata, crawl_generation, synced_at, created_at, updated_at)
                    VALUES (s.data_source_id, s.external_id, :parent, :root, :name, :type, :selectable, :expandable,
                    :format, :url, :version, :size, :created, :modified, :metadata, :gen, :now, :now, :now)""");
        for (SourceItem i : items) {
            batch.bind("ds", dataSourceId).bind("ext", i.externalId())
                    .bind("parent", i.parentExternalId().orElse(null)).bind("root", i.rootExternalId())
                    .bind("name", i.name()).bind("type", i.itemType()).bind("selectable", i.selectable())
                    .bind("expandable", i.expandable()).bind("format", i.fileFormat().orElse(null))
                    .bind("url", i.externalUrl().orElse(null)).bind("version", i.version().orElse(null))
                    .bind("size", i.size().isPresent() ? i.size().getAsLong() : null)
                    .bind("created", i.createdAt().map(Rows::timestamp).orElse(null))
                    .bind("modified", i.modifiedAt().map(Rows::timestamp).orElse(null))
                    .bind("metadata", Json.write(i.metadata())).bind("gen", generation).bind("now", now).add();
        }
        batch.execute();
    }

    /** Removes items and returns the files they had become (for deletion). */
    public List<Long> remove(Handle h, long dataSourceId, Collection<String> externalIds) {
        List<Long> files = new ArrayList<>();
        for (List<String> part : partition(List.copyOf(externalIds))) {
            files.addAll(h.createQuery("SELECT file_id FROM source_items WHERE data_source_id = :ds "
                            + "AND file_id IS NOT NULL AND external_id IN (<ids>)")
                    .bind("ds", dataSourceId).bindList("ids", part).mapTo(Long.class).list());
            h.createUpdate("DELETE FROM source_items WHERE data_source_id = :ds AND external_id IN (<ids>)")
                    .bind("ds", dataSourceId).bindList("ids", part).execute();
        }
        return files;
    }

    /** The ids and every id below them (a removed folder takes its contents with it). */
    public java.util.Set<String> withDescendants(Handle h, long dataSourceId, Collection<String> externalIds) {
        java.util.Set<String> all = new java.util.LinkedHashSet<>(externalIds);
        List<String> frontier = List.copyOf(externalIds);
        while (!frontier.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (List<String> part : partition(frontier)) {
                next.addAll(h.createQuery("SELECT external_id FROM source_items WHERE data_source_id = :ds "
                                + "AND parent_external_id IN (<ids>)")
                        .bind("ds", dataSourceId).bindList("ids", part).mapTo(String.class).list());
            }
            next.removeIf(id -> !all.add(id));
            frontier = next;
        }
        return all;
    }

    /** External ids of items the crawl {@code generation} did not see: gone at the source. */
    public List<String> unseen(Handle h, long dataSourceId, long generation) {
        return h.createQuery("SELECT external_id FROM source_items WHERE data_source_id = :ds AND crawl_generation < :gen")
                .bind("ds", dataSourceId).bind("gen", generation).mapTo(String.class).list();
    }

    public List<StoredItem> all(long dataSourceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM source_items WHERE data_source_id = :ds ORDER BY id")
                .bind("ds", dataSourceId).map((rs, ctx) -> row(rs)).list());
    }

    public Optional<StoredItem> find(long dataSourceId, String externalId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM source_items WHERE data_source_id = :ds AND external_id = :ext")
                .bind("ds", dataSourceId).bind("ext", externalId).map((rs, ctx) -> row(rs)).findOne());
    }

    public long count(long dataSourceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM source_items WHERE data_source_id = :ds")
                .bind("ds", dataSourceId).mapTo(Long.class).one());
    }

    /** An item and the file it became, from which version. */
    public record Link(long itemId, long fileId, Optional<String> version) {}

    public void linkFiles(Collection<Link> links) {
        if (links.isEmpty()) return;
        jdbi.useTransaction(h -> {
            PreparedBatch batch = h.prepareBatch("UPDATE source_items SET file_id = :file, synced_version = :version WHERE id = :id");
            for (Link l : links) {
                batch.bind("file", l.fileId()).bind("version", l.version().orElse(null)).bind("id", l.itemId()).add();
            }
            batch.execute();
        });
    }

    public void unlinkFiles(long dataSourceId, Collection<Long> fileIds) {
        if (fileIds.isEmpty()) return;
        jdbi.useHandle(h -> {
            for (List<Long> part : partition(List.copyOf(fileIds))) {
                h.createUpdate("UPDATE source_items SET file_id = NULL, synced_version = NULL "
                                + "WHERE data_source_id = :ds AND file_id IN (<ids>)")
                        .bind("ds", dataSourceId).bindList("ids", part).execute();
            }
        });
    }

    public ItemPage query(ItemQuery q) {
        SqlWhere w = new SqlWhere();
        w.and("data_source_id = " + w.param(q.dataSourceId()));
        q.parentId().ifPresent(p -> w.and("parent_external_id = " + w.param(p)));
        w.in("external_id", q.externalIds()).in("id", q.ids()).in("file_format", q.fileFormats()).in("item_type", q.itemTypes());
        // A substring match: % and _ in the name are themselves, not wildcards.
        q.name().ifPresent(n -> w.and("LOWER(name) LIKE " + w.param("%" + likeLiteral(n.toLowerCase(java.util.Locale.ROOT)) + "%")
                + " ESCAPE '!'"));
        if (q.rootFilesOnly()) w.and("parent_external_id IS NULL");
        String dir = q.direction().sql();
        String order = switch (q.order()) {
            case NAME -> "name " + dir + ", id " + dir;
            case ID -> "id " + dir;
            case DIRECTORIES_FIRST -> "is_expandable DESC, name " + dir + ", id " + dir;
        };
        if (q.page().startingId() > 0) w.and("id " + q.direction().afterCursor() + " " + w.param(q.page().startingId()));
        return jdbi.withHandle(h -> {
            long count = h.createQuery("SELECT COUNT(*) FROM source_items WHERE " + w.sql()).bindMap(w.params())
                    .mapTo(Long.class).one();
            List<StoredItem> items = h.createQuery("SELECT " + COLUMNS + " FROM source_items WHERE " + w.sql()
                            + " ORDER BY " + order + " LIMIT " + q.page().limit() + " OFFSET " + q.page().offset())
                    .bindMap(w.params()).map((rs, ctx) -> row(rs)).list();
            return new ItemPage(items, count);
        });
    }

    public record ItemPage(List<StoredItem> items, long count) {}

    static StoredItem row(ResultSet rs) throws SQLException {
        long size = rs.getLong("size");
        OptionalLong optSize = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(size);
        long file = rs.getLong("file_id");
        OptionalLong fileId = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(file);
        SourceItem item = new SourceItem(rs.getString("external_id"), Optional.ofNullable(rs.getString("parent_external_id")),
                rs.getString("root_external_id"), rs.getString("name"), rs.getString("item_type"),
                rs.getBoolean("is_selectable"), rs.getBoolean("is_expandable"), Optional.ofNullable(rs.getString("file_format")),
                Optional.ofNullable(rs.getString("external_url")), Optional.ofNullable(rs.getString("version")), optSize,
                Rows.optionalInstant(rs, "source_created_at"), Rows.optionalInstant(rs, "source_modified_at"),
                Json.readObject(rs.getString("metadata")));
        return new StoredItem(rs.getLong("id"), rs.getLong("data_source_id"), item, fileId,
                Optional.ofNullable(rs.getString("synced_version")), Rows.instant(rs, "synced_at"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
    }

    private static String likeLiteral(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    static <T> List<List<T>> partition(List<T> values) {
        int size = 500;
        List<List<T>> parts = new ArrayList<>();
        for (int i = 0; i < values.size(); i += size) parts.add(values.subList(i, Math.min(values.size(), i + size)));
        return parts;
    }
}
