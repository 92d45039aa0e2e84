package io.catchment.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import io.catchment.webhooks.Event;
import io.catchment.webhooks.ObjectType;
import io.catchment.webhooks.Outbox;
import io.catchment.webhooks.WebhookType;
import io.catchment.store.Database;
import io.catchment.store.DatabaseVendor;
import io.catchment.store.Rows;
import io.catchment.store.SqlWhere;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The {@code files} and {@code file_tags} tables: creating, finding, listing and tagging files. */
public final class FileStore {
    private final Jdbi jdbi;
    private final DatabaseVendor vendor;
    private final Clock clock;
    private final Outbox outbox;

    public FileStore(Database database, Clock clock) {
        this.outbox = new Outbox(clock);
        this.jdbi = database.jdbi();
        this.vendor = database.vendor();
        this.clock = clock;
    }

    public StoredFile create(NewFile f, FileStatus initial) {
        return jdbi.inTransaction(h -> {
            StoredFile stored = insert(h, f, initial);
            created(h, List.of(stored));
            return stored;
        });
    }

    /** Many files in one transaction (a connector's sync brings thousands at once), in order. */
    public List<StoredFile> createAll(List<NewFile> files, java.util.function.Function<NewFile, FileStatus> initial) {
        return jdbi.inTransaction(h -> {
            List<StoredFile> out = new java.util.ArrayList<>(files.size());
            for (NewFile f : files) out.add(insert(h, f, initial.apply(f)));
            if (!out.isEmpty()) created(h, out);
            return out;
        });
    }

    private StoredFile insert(Handle h, NewFile f, FileStatus initial) {
        {
            var now = Rows.timestamp(clock.instant());
            long id = h.createUpdate("""
                            INSERT INTO files (organization_id, customer_id, data_source_id, source, external_file_id,
                                external_url, name, parent_id, file_format, sync_status, tags, file_metadata, options,
                                embedding_model, raw_blob, file_size, request_id, upload_id, source_created_at,
                                created_at, updated_at)
                            VALUES (:org, :customer, :dataSource, :source, :externalId, :externalUrl, :name, :parent,
                                :format, :status, :tags, :metadata, :options, :model, :blob, :size, :requestId,
                                :uploadId, :sourceCreated, :now, :now)""")
                    .bind("org", f.organizationId())
                    .bind("customer", f.customerId())
                    .bind("dataSource", f.dataSourceId().isPresent() ? f.dataSourceId().getAsLong() : null)
                    .bind("source", f.source())
                    .bind("externalId", f.externalFileId())
                    .bind("externalUrl", f.externalUrl().orElse(null))
                    .bind("name", f.name())
                    .bind("parent", f.parentId().isPresent() ? f.parentId().getAsLong() : null)
                    .bind("format", f.fileFormat().orElse(null))
                    .bind("status", initial.name())
                    .bind("tags", Json.write(f.tags()))
                    .bind("metadata", Json.write(f.fileMetadata()))
                    .bind("options", Json.write(f.options()))
                    .bind("model", f.options().embeds() ? f.options().embeddingModel().orElse(null) : null)
                    .bind("blob", f.blob().map(b -> b.key()).orElse(null))
                    .bind("size", f.blob().map(b -> b.size()).orElse(null))
                    .bind("requestId", f.requestId().orElse(null))
                    .bind("uploadId", f.uploadId().orElse(null))
                    .bind("sourceCreated", f.sourceCreatedAt().map(Rows::timestamp).orElse(null))
                    .bind("now", now)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            writeTagRows(h, id, f.tags());
            return select(h, id).orElseThrow();
        }
    }

    /** FILES_CREATED: the new files' ids, with the request and upload they came with. */
    private void created(Handle h, List<StoredFile> made) {
        StoredFile first = made.getFirst();
        ObjectNode info = Json.object();
        first.requestId().ifPresent(r -> info.put("request_id", r));
        first.uploadId().ifPresent(u -> info.put("upload_id", u));
        outbox.record(h, Event.ofList(first.organizationId(), first.customerId(), WebhookType.FILES_CREATED,
                ObjectType.FILE_LIST, made.stream().map(StoredFile::id).toList()).with(info));
    }

    /** An event about files that is no single row's change (a sync request fully queued, files skipped). */
    public void record(Event event) {
        jdbi.useTransaction(h -> outbox.record(h, event));
    }

    /** FILE_SYNC_LIMIT_REACHED: files were refused because of a limit (max_files, max_files_per_upload). */
    public void limitReached(long organizationId, long customerId, String reason) {
        jdbi.useTransaction(h -> outbox.record(h, new Event(organizationId, customerId, WebhookType.FILE_SYNC_LIMIT_REACHED,
                ObjectType.NONE, com.fasterxml.jackson.databind.node.NullNode.getInstance(), Json.object().put("reason", reason))));
    }

    public Optional<StoredFile> find(long id) {
        return jdbi.withHandle(h -> select(h, id));
    }

    /** The file if it belongs to this customer (other customers' files do not exist for them). */
    public Optional<StoredFile> findForCustomer(long customerId, long id) {
        return find(id).filter(f -> f.customerId() == customerId);
    }

    public FilePage list(long customerId, FileQuery q) {
        FileListingSql.Statement page = FileListingSql.page(vendor, customerId, q);
        FileListingSql.Statement count = FileListingSql.count(customerId, q);
        return jdbi.withHandle(h -> new FilePage(
                h.createQuery(page.sql()).bindMap(page.params()).map((rs, ctx) -> FileRows.map(rs)).list(),
                h.createQuery(count.sql()).bindMap(count.params()).mapTo(Long.class).one()));
    }

    /** Every file of the customer matching the filters (for bulk operations such as deletes). */
    public List<StoredFile> matching(long customerId, FileFilters filters) {
        SqlWhere w = FileFilterSql.where(customerId, filters);
        return jdbi.withHandle(h -> h.createQuery("SELECT f.* FROM files f WHERE " + w.sql() + " ORDER BY f.id")
                .bindMap(w.params()).map((rs, ctx) -> FileRows.map(rs)).list());
    }

    /** The customer's files with these ids (others' files and missing ids are left out). */
    public java.util.Map<Long, StoredFile> byIds(long customerId, java.util.Collection<Long> ids) {
        java.util.Map<Long, StoredFile> out = new java.util.HashMap<>();
        if (ids.isEmpty()) return out;
        jdbi.useHandle(h -> h.createQuery("SELECT * FROM files WHERE customer_id = :c AND id IN (<ids>)")
                .bind("c", customerId).bindList("ids", List.copyOf(ids)).map((rs, ctx) -> FileRows.map(rs))
                .forEach(f -> out.put(f.id(), f)));
        return out;
    }

    /** Ids of the customer's files matching the filters (a search's file restriction). */
    public java.util.Set<Long> matchingIds(long customerId, FileFilters filters) {
        SqlWhere w = FileFilterSql.where(customerId, filters);
        return new java.util.HashSet<>(jdbi.withHandle(h -> h.createQuery("SELECT f.id FROM files f WHERE " + w.sql())
                .bindMap(w.params()).mapTo(Long.class).list()));
    }

    /** How many of the customer's READY files carry vectors of this model. */
    public long readyFilesWithModel(long customerId, String model) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT COUNT(*) FROM files WHERE customer_id = :c AND embedding_model = :m AND sync_status = 'READY'""")
                .bind("c", customerId).bind("m", model).mapTo(Long.class).one());
    }

    /** The embedding models the customer's READY files use (for explaining an empty search). */
    public List<String> modelsInUse(long customerId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT DISTINCT embedding_model FROM files
                        WHERE customer_id = :c AND embedding_model IS NOT NULL AND sync_status = 'READY' ORDER BY 1""")
                .bind("c", customerId).mapTo(String.class).list());
    }

    public long countForCustomer(long customerId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM files WHERE customer_id = :c")
                .bind("c", customerId).mapTo(Long.class).one());
    }

    /** Characters in the customer's processed files, leaving one file out (the one being checked). */
    public long charactersForCustomer(long customerId, long exceptFileId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT COALESCE(SUM(num_characters), 0) FROM files
                        WHERE customer_id = :c AND id <> :f AND sync_status = 'READY'""")
                .bind("c", customerId).bind("f", exceptFileId).mapTo(Long.class).one());
    }

    /** Characters in the other processed files of the same upload request. */
    public long charactersForUpload(long customerId, String uploadId, long exceptFileId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT COALESCE(SUM(num_characters), 0) FROM files
                        WHERE customer_id = :c AND upload_id = :u AND id <> :f AND sync_status = 'READY'""")
                .bind("c", customerId).bind("u", uploadId).bind("f", exceptFileId).mapTo(Long.class).one());
    }

    /** Adds or replaces the given keys (Carbon's upsert); other keys stay. */
    public StoredFile upsertTags(long id, ObjectNode tags) {
        return jdbi.inTransaction(h -> {
            StoredFile f = lock(h, id);
            ObjectNode merged = f.tags().deepCopy();
            merged.setAll(tags);
            return saveTags(h, id, merged);
        });
    }

    public StoredFile removeTags(long id, Collection<String> keys) {
        return jdbi.inTransaction(h -> {
            StoredFile f = lock(h, id);
            ObjectNode kept = f.tags().deepCopy();
            kept.remove(keys);
            return saveTags(h, id, kept);
        });
    }

    /** Whether any file still refers to this blob (raw or parsed), so it may not be deleted. */
    public boolean blobInUse(String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM files WHERE raw_blob = :k OR parsed_blob = :k")
                .bind("k", key).mapTo(Long.class).one()) > 0;
    }

    /** Every file a data source brought in, by external id (folders included). */
    public java.util.Map<String, StoredFile> forDataSource(long dataSourceId) {
        java.util.Map<String, StoredFile> out = new java.util.LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT * FROM files WHERE data_source_id = :ds ORDER BY id")
                .bind("ds", dataSourceId).map((rs, ctx) -> FileRows.map(rs)).forEach(f -> out.put(f.externalFileId(), f)));
        return out;
    }

    /** Counts of a data source's files by status, for progress in the API. */
    public java.util.Map<FileStatus, Long> statusCounts(long dataSourceId) {
        java.util.Map<FileStatus, Long> out = new java.util.EnumMap<>(FileStatus.class);
        jdbi.useHandle(h -> h.createQuery("SELECT sync_status, COUNT(*) AS n FROM files WHERE data_source_id = :ds GROUP BY sync_status")
                .bind("ds", dataSourceId)
                .map((rs, ctx) -> java.util.Map.entry(FileStatus.valueOf(rs.getString("sync_status")), rs.getLong("n")))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    static Optional<StoredFile> select(Handle h, long id) {
        return h.createQuery("SELECT * FROM files WHERE id = :id").bind("id", id).map((rs, ctx) -> FileRows.map(rs)).findOne();
    }

    static StoredFile lock(Handle h, long id) {
        return h.createQuery("SELECT * FROM files WHERE id = :id FOR UPDATE").bind("id", id)
                .map((rs, ctx) -> FileRows.map(rs)).findOne()
                .orElseThrow(() -> new IllegalArgumentException("No file " + id));
    }

    private StoredFile saveTags(Handle h, long id, ObjectNode tags) {
        h.createUpdate("UPDATE files SET tags = :tags, updated_at = :now WHERE id = :id")
                .bind("tags", Json.write(tags)).bind("now", Rows.timestamp(clock.instant())).bind("id", id).execute();
        h.createUpdate("DELETE FROM file_tags WHERE file_id = :id").bind("id", id).execute();
        writeTagRows(h, id, tags);
        return select(h, id).orElseThrow();
    }

    private static void writeTagRows(Handle h, long id, ObjectNode tags) {
        var batch = h.prepareBatch("INSERT INTO file_tags (file_id, tag_key, tag_value) VALUES (:id, :k, :v)");
        for (Map.Entry<String, String> row : Tags.rows(tags)) {
            batch.bind("id", id).bind("k", row.getKey()).bind("v", row.getValue()).add();
        }
        if (batch.size() > 0) batch.execute();
    }
}
