package io.catchment.search;

import java.util.Collection;
import java.util.List;

/**
 * The searchable copy of every file's chunks. The database holds the truth; an index can be
 * rebuilt from it. Replacing a file's chunks is atomic for readers: they see the old set or
 * the new set, never a mix, and never both.
 */
public interface ChunkIndex extends AutoCloseable {
    /** Makes {@code chunks} (all of one file) the file's only chunks in the index. */
    void replaceFile(long fileId, List<IndexedChunk> chunks);

    void deleteFiles(Collection<Long> fileIds);

    /** How many chunks the index holds for a file (0 when none). */
    int countForFile(long fileId);

    /** The best chunks for the query, best first, at most {@code query.k()}. */
    List<ChunkHit> search(ChunkQuery query);

    /** Removes every chunk (before a rebuild from the database). */
    void clear();

    @Override
    void close();
}
