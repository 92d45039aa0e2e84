package io.catchment.ingest;

import io.catchment.files.ChunkRow;
import io.catchment.files.FileLifecycle;
import io.catchment.files.FileStatus;
import io.catchment.files.StoredFile;
import io.catchment.search.ChunkIndex;
import io.catchment.search.IndexedChunk;
import java.util.Collection;
import java.util.List;

/**
 * Keeps the chunk index in step with the database. The pipeline writes a file's new chunks to
 * the index just before it commits them with READY, so a file is searchable the moment it is
 * READY. If the commit then finds the work stale (the file changed or went away), the index is
 * put back to what the database says. The sweeper repairs READY files whose indexed
 * generation lags (a crash between the two writes).
 */
public final class Indexer {
    private final FileLifecycle lifecycle;
    private final ChunkIndex index;

    public Indexer(FileLifecycle lifecycle, ChunkIndex index) {
        this.lifecycle = lifecycle;
        this.index = index;
    }

    /** Writes chunks about to be committed for this file (they replace whatever the index held). */
    public void replace(StoredFile file, List<ChunkRow> chunks) {
        index.replaceFile(file.id(), chunks.stream().map(c -> toIndexed(file, c)).toList());
    }

    /** Indexes a READY file from the database if the index lags behind it. */
    public void ensureIndexed(StoredFile file) {
        if (file.indexedGeneration() != file.generation()) reindex(file);
    }

    /** Makes the index hold exactly the database's chunks for the file (none unless READY). */
    public void reindex(StoredFile file) {
        List<IndexedChunk> chunks = file.status() == FileStatus.READY
                ? lifecycle.chunks(file.id()).stream().map(c -> toIndexed(file, c)).toList()
                : List.of();
        index.replaceFile(file.id(), chunks);
        lifecycle.markIndexed(file.id(), file.generation());
    }

    public void remove(Collection<Long> fileIds) {
        index.deleteFiles(fileIds);
    }

    private static IndexedChunk toIndexed(StoredFile file, ChunkRow c) {
        return new IndexedChunk(file.organizationId(), file.customerId(), file.id(), c.index(), c.content(),
                c.embeddingModel(), c.embedding(), c.metadata());
    }
}
