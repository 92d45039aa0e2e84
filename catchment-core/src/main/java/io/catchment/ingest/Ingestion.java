package io.catchment.ingest;

import io.catchment.blob.BlobStore;
import io.catchment.blob.BlobStore.StoredBlob;
import io.catchment.files.ChunkRow;
import io.catchment.files.FileLifecycle;
import io.catchment.files.FileStatus;
import io.catchment.files.FileStore;
import io.catchment.files.IngestOptions;
import io.catchment.files.NewFile;
import io.catchment.files.StoredFile;
import io.catchment.tenancy.UserConfiguration;
import java.io.IOException;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's front door, for uploads now and connectors later: records a file in its
 * first state and queues the work, in that order (a crash in between is repaired by the
 * sweeper, which queues every file still waiting).
 */
public final class Ingestion {
    private static final Logger log = LoggerFactory.getLogger(Ingestion.class);

    private final FileStore files;
    private final FileLifecycle lifecycle;
    private final IngestJobs jobs;
    private final Indexer indexer;
    private final BlobStore blobs;
    private final Clock clock;

    public Ingestion(FileStore files, FileLifecycle lifecycle, IngestJobs jobs, Indexer indexer, BlobStore blobs,
                     Clock clock) {
        this.files = files;
        this.lifecycle = lifecycle;
        this.jobs = jobs;
        this.indexer = indexer;
        this.blobs = blobs;
        this.clock = clock;
    }

    /**
     * Accepts a file unless the customer's limits forbid it. {@code filesInUpload} is how many
     * files the request that brought this one carries (for {@code max_files_per_upload}).
     */
    public Submission submit(NewFile file, UserConfiguration limits, int filesInUpload) {
        if (exceeded(limits.maxFilesPerUpload(), filesInUpload)) {
            return refused(file, "This upload has " + filesInUpload + " files, more than the limit of "
                    + limits.maxFilesPerUpload().getAsInt() + " per upload (max_files_per_upload)");
        }
        if (exceeded(limits.maxFiles(), files.countForCustomer(file.customerId()) + 1)) {
            return refused(file, "File limit reached: this user may store at most "
                    + limits.maxFiles().getAsInt() + " files (max_files)");
        }
        StoredFile stored = files.create(file, initialStatus(file.options(), file.fileFormat()));
        queue(stored);
        log.atInfo().addKeyValue("file_id", stored.id()).addKeyValue("customer", stored.customerId())
                .addKeyValue("status", stored.status()).log("file accepted");
        return new Submission.Accepted(stored);
    }

    /**
     * Accepts a connector's new files in one transaction, as many as the customer's
     * {@code max_files} allows (in order); the rest are refused and left out of the result.
     */
    public List<StoredFile> submitAll(List<NewFile> batch, UserConfiguration limits) {
        if (batch.isEmpty()) return List.of();
        List<NewFile> accepted = batch;
        if (limits.maxFiles().isPresent() && limits.maxFiles().getAsInt() >= 0) {
            long room = Math.max(0, limits.maxFiles().getAsInt() - files.countForCustomer(batch.getFirst().customerId()));
            if (room < batch.size()) {
                files.limitReached(batch.getFirst().organizationId(), batch.getFirst().customerId(), (batch.size() - room)
                        + " files were not synced: this user may store at most " + limits.maxFiles().getAsInt()
                        + " files (max_files)");
                log.atInfo().addKeyValue("customer", batch.getFirst().customerId()).addKeyValue("refused", batch.size() - room)
                        .log("files not synced: max_files reached");
                accepted = batch.subList(0, (int) room);
            }
        }
        List<StoredFile> stored = files.createAll(accepted, f -> initialStatus(f.options(), f.fileFormat()));
        stored.forEach(this::queue);
        log.atInfo().addKeyValue("files", stored.size()).addKeyValue("customer", batch.getFirst().customerId())
                .log("files accepted");
        return stored;
    }

    private Submission refused(NewFile file, String reason) {
        files.limitReached(file.organizationId(), file.customerId(), reason);
        return new Submission.Refused(reason);
    }

    /** Processes the file again, with (possibly) new options. */
    public StoredFile resync(StoredFile file, IngestOptions options) {
        // A connector's file is fetched from its source again: that is what a resync of it is for.
        if (file.dataSourceId().isPresent() && !file.contentsDeleted() && file.fileFormat().isPresent()) {
            return refetch(file, options);
        }
        return requeue(file, options, Optional.empty());
    }

    /** Fetches a connector's file from its source again (it changed there) and processes it. */
    public StoredFile refetch(StoredFile file, IngestOptions options) {
        StoredFile requeued = lifecycle.requeueFromSource(file.id(), options, initialStatus(options, file.fileFormat()));
        queue(requeued);
        return requeued;
    }

    /** Replaces the file's content (upload_text's overwrite_file_id) and processes it again. */
    public StoredFile overwrite(StoredFile file, StoredBlob content, IngestOptions options) {
        return requeue(file, options, Optional.of(content));
    }

    /**
     * Gives a file chunks (and vectors) made by the caller. With {@code overwrite} they replace
     * every chunk; otherwise they replace chunks with the same numbers and join the rest. The
     * file is READY, and searchable, when this returns.
     */
    public StoredFile replaceChunks(StoredFile file, Optional<String> model, List<ChunkRow> given, boolean overwrite) {
        java.util.Map<Integer, ChunkRow> merged = new java.util.TreeMap<>();
        if (!overwrite) lifecycle.chunks(file.id()).forEach(c -> merged.put(c.index(), c));
        given.forEach(c -> merged.put(c.index(), c));
        List<ChunkRow> rows = List.copyOf(merged.values());
        StoredFile started = lifecycle.beginOwnChunks(file.id(), model);
        indexer.replace(started, rows);
        if (!lifecycle.complete(started.id(), started.generation(), rows)) {
            throw new IllegalStateException("file " + file.id() + " changed while its chunks were replaced; try again");
        }
        return files.find(file.id()).orElseThrow();
    }

    /** Deletes files (or only their contents, keeping the records) and everything derived from them. */
    public void delete(List<StoredFile> targets, boolean preserveRecords) {
        delete(targets, preserveRecords, true);
    }

    /** As {@link #delete(List, boolean)}; {@code announce}: FILE_DELETED webhooks (Carbon's send_webhook). */
    public void delete(List<StoredFile> targets, boolean preserveRecords, boolean announce) {
        if (targets.isEmpty()) return;
        List<Long> ids = targets.stream().map(StoredFile::id).toList();
        Set<String> blobKeys = new HashSet<>();
        for (StoredFile f : targets) {
            f.rawBlob().ifPresent(blobKeys::add);
            f.parsedBlob().ifPresent(blobKeys::add);
        }
        if (preserveRecords) lifecycle.dropContents(ids);
        else lifecycle.delete(ids, announce);
        indexer.remove(ids);
        for (String key : blobKeys) {
            if (files.blobInUse(key)) continue; // content-addressed: another file has the same bytes
            try {
                blobs.delete(key);
            } catch (IOException e) {
                log.atWarn().addKeyValue("blob", key).setCause(e).log("could not delete blob; it stays as garbage");
            }
        }
        log.atInfo().addKeyValue("files", ids.size()).addKeyValue("preserved", preserveRecords).log("files deleted");
    }

    private StoredFile requeue(StoredFile file, IngestOptions options, Optional<StoredBlob> content) {
        StoredFile requeued = lifecycle.requeue(file.id(), options, content, initialStatus(options, file.fileFormat()));
        queue(requeued);
        return requeued;
    }

    private void queue(StoredFile file) {
        if (file.status().isQueued()) jobs.enqueue(file, java.time.Duration.ZERO);
    }

    private static FileStatus initialStatus(IngestOptions options, Optional<String> format) {
        if (options.skipFileProcessing()) return FileStatus.READY_TO_SYNC;
        boolean ocrFormat = format.flatMap(FileFormat::fromFormatName)
                .map(f -> f.isImage() || f == FileFormat.PDF).orElse(false);
        return options.useOcr() && ocrFormat ? FileStatus.QUEUED_FOR_OCR : FileStatus.QUEUED_FOR_SYNC;
    }

    private static boolean exceeded(OptionalInt limit, long value) {
        return limit.isPresent() && limit.getAsInt() >= 0 && value > limit.getAsInt();
    }
}
