package io.catchment.files;

import io.catchment.blob.BlobStore.StoredBlob;
import io.catchment.json.Json;
import io.catchment.store.Rows;
import io.catchment.webhooks.Event;
import io.catchment.webhooks.ObjectType;
import io.catchment.webhooks.Outbox;
import io.catchment.webhooks.WebhookType;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A file's state changes and its chunks. Every change made on behalf of queued work names the
 * generation it was queued for and does nothing when the file has moved on, so a retried,
 * duplicated or stale job can never overwrite newer state.
 */
public final class FileLifecycle {
    private final Jdbi jdbi;
    private final Clock clock;
    private final Outbox outbox;

    public FileLifecycle(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.outbox = new Outbox(clock);
    }

    /** Queues the file again (resync, overwrite): a new generation, fresh attempts, no error. */
    public StoredFile requeue(long id, IngestOptions options, Optional<StoredBlob> newContent, FileStatus status) {
        return jdbi.inTransaction(h -> {
            StoredFile current = FileStore.lock(h, id);
            h.createUpdate("""
                            UPDATE files SET generation = generation + 1, attempts = 0, sync_status = :status,
                                sync_error_message = NULL, options = :options, embedding_model = :model,
                                raw_blob = :blob, file_size = :size, contents_deleted = FALSE, updated_at = :now
                            WHERE id = :id""")
                    .bind("status", status.name())
                    .bind("options", Json.write(options))
                    .bind("model", options.embeds() ? options.embeddingModel().orElse(null) : null)
                    .bind("blob", newContent.map(StoredBlob::key).or(current::rawBlob).orElse(null))
                    .bind("size", newContent.map(StoredBlob::size).orElse(
                            current.statistics().fileSize().isPresent() ? current.statistics().fileSize().getAsLong() : null))
                    .bind("now", now())
                    .bind("id", id)
                    .execute();
            return FileStore.select(h, id).orElseThrow();
        });
    }

    /**
     * Queues a connector's file to be fetched from its source again (it changed there): a new
     * generation without stored content, so the pipeline downloads it first.
     */
    public StoredFile requeueFromSource(long id, IngestOptions options, FileStatus status) {
        return jdbi.inTransaction(h -> {
            FileStore.lock(h, id);
            h.createUpdate("""
                            UPDATE files SET generation = generation + 1, attempts = 0, sync_status = :status,
                                sync_error_message = NULL, options = :options, embedding_model = :model, raw_blob = NULL,
                                parsed_blob = NULL, contents_deleted = FALSE, updated_at = :now
                            WHERE id = :id""")
                    .bind("status", status.name()).bind("options", Json.write(options))
                    .bind("model", options.embeds() ? options.embeddingModel().orElse(null) : null)
                    .bind("now", now()).bind("id", id).execute();
            return FileStore.select(h, id).orElseThrow();
        });
    }

    /** The content a connector fetched for this generation, with the format it turned out to have. */
    public void recordFetched(long id, long generation, StoredBlob blob, Optional<String> format) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE files SET raw_blob = :blob, file_size = :size, file_format = COALESCE(:format, file_format),
                            updated_at = :now WHERE id = :id AND generation = :gen""")
                .bind("blob", blob.key()).bind("size", blob.size()).bind("format", format.orElse(null))
                .bind("now", now()).bind("id", id).bind("gen", generation).execute());
    }

    /** The source asked us to wait: RATE_LIMITED, and this attempt does not count towards the limit. */
    public void rateLimited(long id, long generation, String message) {
        jdbi.useTransaction(h -> {
            int n = h.createUpdate("""
                        UPDATE files SET sync_status = 'RATE_LIMITED', sync_error_message = :message,
                            attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, updated_at = :now
                        WHERE id = :id AND generation = :gen""")
                .bind("message", message).bind("now", now()).bind("id", id).bind("gen", generation).execute();
            if (n == 1) outbox.recordForFile(h, WebhookType.RATE_LIMIT_ERROR, id, io.catchment.json.Json.object().put("error", message));
        });
    }

    /** Renames or moves a file without processing it again (the source's item was renamed or moved). */
    public void rename(long id, String name, java.util.OptionalLong parentId, Optional<String> externalUrl) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE files SET name = :name, parent_id = :parent, external_url = COALESCE(:url, external_url),
                            updated_at = :now WHERE id = :id""")
                .bind("name", name).bind("parent", parentId.isPresent() ? parentId.getAsLong() : null)
                .bind("url", externalUrl.orElse(null)).bind("now", now()).bind("id", id).execute());
    }

    /**
     * Starts a change of chunks that come from the caller rather than the pipeline
     * ({@code /upload_chunks_and_embeddings}): a new generation, SYNCING, the given model.
     */
    public StoredFile beginOwnChunks(long id, Optional<String> model) {
        return jdbi.inTransaction(h -> {
            FileStore.lock(h, id);
            h.createUpdate("""
                            UPDATE files SET generation = generation + 1, attempts = 0, sync_status = 'SYNCING',
                                sync_error_message = NULL, embedding_model = :model, updated_at = :now WHERE id = :id""")
                    .bind("model", model.orElse(null)).bind("now", now()).bind("id", id).execute();
            return FileStore.select(h, id).orElseThrow();
        });
    }

    /** Claims queued work: SYNCING and one more attempt, if the generation still stands. */
    public Optional<StoredFile> start(long id, long generation) {
        return jdbi.inTransaction(h -> {
            int n = h.createUpdate("""
                            UPDATE files SET sync_status = 'SYNCING', attempts = attempts + 1, updated_at = :now
                            WHERE id = :id AND generation = :gen
                              AND sync_status IN ('QUEUED_FOR_SYNC', 'QUEUED_FOR_OCR', 'SYNCING', 'RATE_LIMITED', 'DELAYED')""")
                    .bind("now", now()).bind("id", id).bind("gen", generation).execute();
            if (n == 1) outbox.recordForFile(h, WebhookType.FILE_SYNCING, id, NullNode.getInstance());
            return n == 1 ? FileStore.select(h, id) : Optional.empty();
        });
    }

    public void fail(long id, long generation, String message) {
        jdbi.useTransaction(h -> {
            if (setStatus(h, id, generation, FileStatus.SYNC_ERROR, Optional.of(message)) == 0) return;
            outbox.recordForFile(h, WebhookType.FILE_ERROR, id, io.catchment.json.Json.object().put("error", message));
            allProcessed(h, id);
        });
    }

    /** Back to the queue after a transient failure, with the reason kept visible. */
    public void retryLater(long id, long generation, String reason) {
        setStatus(id, generation, FileStatus.QUEUED_FOR_SYNC, Optional.of(reason));
    }

    public void recordParsed(long id, long generation, String parsedBlob, long characters, String mimeType) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE files SET parsed_blob = :blob, num_characters = :chars, mime_type = :mime, updated_at = :now
                        WHERE id = :id AND generation = :gen""")
                .bind("blob", parsedBlob).bind("chars", characters).bind("mime", mimeType).bind("now", now())
                .bind("id", id).bind("gen", generation).execute());
    }

    /**
     * Replaces the file's chunks and marks it READY (and indexed) in one transaction: readers
     * of the database see the old chunks or the new ones, never a mix. False when the
     * generation is stale.
     */
    public boolean complete(long id, long generation, List<ChunkRow> chunks) {
        return jdbi.inTransaction(h -> {
            if (!holds(h, id, generation)) return false;
            h.createUpdate("DELETE FROM file_chunks WHERE file_id = :id").bind("id", id).execute();
            var batch = h.prepareBatch("""
                    INSERT INTO file_chunks (file_id, chunk_index, content, tokens, metadata, embedding_model, embedding)
                    VALUES (:id, :idx, :content, :tokens, :metadata, :model, :embedding)""");
            long tokens = 0;
            long embeddings = 0;
            for (ChunkRow c : chunks) {
                tokens += c.tokens();
                if (c.embedding().isPresent()) embeddings++;
                batch.bind("id", id).bind("idx", c.index()).bind("content", c.content()).bind("tokens", c.tokens())
                        .bind("metadata", Json.write(c.metadata())).bind("model", c.embeddingModel().orElse(null))
                        .bind("embedding", c.embedding().map(Vectors::toBytes).orElse(null)).add();
            }
            if (batch.size() > 0) batch.execute();
            h.createUpdate("""
                            UPDATE files SET sync_status = 'READY', sync_error_message = NULL, last_sync = :now,
                                num_tokens = :tokens, num_embeddings = :embeddings, indexed_generation = generation,
                                updated_at = :now WHERE id = :id""")
                    .bind("now", now()).bind("tokens", tokens).bind("embeddings", embeddings).bind("id", id).execute();
            outbox.recordForFile(h, WebhookType.FILE_READY, id, NullNode.getInstance());
            allProcessed(h, id);
            return true;
        });
    }

    /** Statuses a file waits or works in; the others are final. */
    private static final String NOT_FINAL = "'QUEUED_FOR_SYNC', 'QUEUED_FOR_OCR', 'SYNCING', 'RATE_LIMITED', 'DELAYED', "
            + "'EVALUATING_RESYNC'";

    /**
     * ALL_FILES_PROCESSED once every file of the file's request ({@code request_id}) is final. The
     * customer's row is locked so two last files finishing at once see each other; the event's key
     * (request, newest file, generations) keeps it to one per round of processing.
     */
    private void allProcessed(Handle h, long fileId) {
        var file = FileStore.select(h, fileId).orElseThrow();
        // A request (request_id, e.g. a sync) or else an upload (upload_id) is what "all files" means.
        boolean byRequest = file.requestId().isPresent();
        if (!byRequest && file.uploadId().isEmpty()) return;
        String request = byRequest ? file.requestId().get() : file.uploadId().get();
        String column = byRequest ? "request_id" : "upload_id";
        h.createQuery("SELECT id FROM customers WHERE id = :c FOR UPDATE").bind("c", file.customerId()).mapTo(Long.class).one();
        var stats = h.createQuery("SELECT COUNT(*) AS n, MAX(id) AS top, SUM(generation) AS gens, "
                        + "SUM(CASE WHEN sync_status IN (" + NOT_FINAL + ") THEN 1 ELSE 0 END) AS pending "
                        + "FROM files WHERE customer_id = :c AND " + column + " = :r")
                .bind("c", file.customerId()).bind("r", request)
                .map((rs, ctx) -> new long[] {rs.getLong("n"), rs.getLong("top"), rs.getLong("gens"), rs.getLong("pending")})
                .one();
        if (stats[3] > 0) return;
        var info = io.catchment.json.Json.object().put(column, request).put("files", stats[0]);
        outbox.recordOnce(h, new Event(file.organizationId(), file.customerId(), WebhookType.ALL_FILES_PROCESSED,
                ObjectType.UPLOAD_REQUEST_ID, io.catchment.json.Json.tree(request), info),
                "ALL_FILES_PROCESSED:" + file.customerId() + ":" + column + ":" + request + ":" + stats[1] + ":" + stats[2]);
    }

    /** Records that the chunk index holds this generation's chunks. */
    public void markIndexed(long id, long generation) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE files SET indexed_generation = :gen WHERE id = :id AND generation = :gen")
                .bind("gen", generation).bind("id", id).execute());
    }

    public List<ChunkRow> chunks(long fileId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM file_chunks WHERE file_id = :id ORDER BY chunk_index")
                .bind("id", fileId)
                .map((rs, ctx) -> {
                    byte[] e = rs.getBytes("embedding");
                    var metadata = Json.toMap(Json.readObject(rs.getString("metadata")));
                    return new ChunkRow(rs.getInt("chunk_index"), rs.getString("content"), rs.getInt("tokens"), metadata,
                            Optional.ofNullable(rs.getString("embedding_model")),
                            Optional.ofNullable(e).map(Vectors::fromBytes));
                }).list());
    }

    public Optional<StoredFile> find(long id) {
        return jdbi.withHandle(h -> FileStore.select(h, id));
    }

    /** Files the pipeline still owes work, oldest first (the sweeper re-queues their jobs). */
    public List<StoredFile> pending(int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM files WHERE sync_status IN ('QUEUED_FOR_SYNC', 'QUEUED_FOR_OCR', 'SYNCING', 'RATE_LIMITED')
                        ORDER BY id LIMIT :limit""")
                .bind("limit", limit).map((rs, ctx) -> FileRows.map(rs)).list());
    }

    /** READY files with ids above {@code afterId}, in id order (for rebuilding the index in batches). */
    public List<StoredFile> readyAfter(long afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM files WHERE sync_status = 'READY' AND id > :after ORDER BY id LIMIT :limit")
                .bind("after", afterId).bind("limit", limit).map((rs, ctx) -> FileRows.map(rs)).list());
    }

    /** READY files whose chunks the index does not hold yet (a crash between commit and index). */
    public List<StoredFile> unindexed(int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM files WHERE sync_status = 'READY' AND indexed_generation <> generation
                        ORDER BY id LIMIT :limit""")
                .bind("limit", limit).map((rs, ctx) -> FileRows.map(rs)).list());
    }

    /** Deletes file records (chunks and tags go with them). */
    public void delete(Collection<Long> ids) {
        delete(ids, true);
    }

    /** Deletes the files; {@code announce}: with a FILE_DELETED event for each, in the same transaction. */
    public void delete(Collection<Long> ids, boolean announce) {
        if (ids.isEmpty()) return;
        jdbi.useTransaction(h -> {
            if (announce) for (long id : ids) outbox.recordForFile(h, WebhookType.FILE_DELETED, id, NullNode.getInstance());
            for (List<Long> part : partition(List.copyOf(ids))) {
                h.createUpdate("DELETE FROM files WHERE id IN (<ids>)").bindList("ids", part).execute();
            }
        });
    }

    /** {@code preserve_file_record}: the record stays (READY_TO_SYNC), its contents and chunks go. */
    public void dropContents(Collection<Long> ids) {
        if (ids.isEmpty()) return;
        jdbi.useTransaction(h -> {
            for (List<Long> part : partition(List.copyOf(ids))) {
                h.createUpdate("DELETE FROM file_chunks WHERE file_id IN (<ids>)").bindList("ids", part).execute();
                h.createUpdate("""
                                UPDATE files SET sync_status = 'READY_TO_SYNC', contents_deleted = TRUE, raw_blob = NULL,
                                    parsed_blob = NULL, num_embeddings = 0, generation = generation + 1, updated_at = :now
                                WHERE id IN (<ids>)""")
                        .bind("now", now()).bindList("ids", part).execute();
            }
        });
    }

    private void setStatus(long id, long generation, FileStatus status, Optional<String> message) {
        jdbi.useHandle(h -> setStatus(h, id, generation, status, message));
    }

    private int setStatus(Handle h, long id, long generation, FileStatus status, Optional<String> message) {
        return h.createUpdate("""
                        UPDATE files SET sync_status = :status, sync_error_message = :message, updated_at = :now
                        WHERE id = :id AND generation = :gen""")
                .bind("status", status.name()).bind("message", message.orElse(null)).bind("now", now())
                .bind("id", id).bind("gen", generation).execute();
    }

    private static boolean holds(Handle h, long id, long generation) {
        return h.createQuery("SELECT generation FROM files WHERE id = :id FOR UPDATE").bind("id", id)
                .mapTo(Long.class).findOne().map(g -> g == generation).orElse(false);
    }

    private java.time.OffsetDateTime now() {
        return Rows.timestamp(clock.instant());
    }

    private static List<List<Long>> partition(List<Long> ids) {
        int size = 500;
        return java.util.stream.IntStream.range(0, (ids.size() + size - 1) / size)
                .mapToObj(i -> ids.subList(i * size, Math.min(ids.size(), (i + 1) * size))).toList();
    }
}
