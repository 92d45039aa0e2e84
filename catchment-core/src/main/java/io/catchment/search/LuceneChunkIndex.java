package io.catchment.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;

/**
 * The embedded chunk index: one Lucene index in a directory of its own, one writer shared by all
 * ingestion workers (IndexWriter is thread-safe) and near-real-time searchers from a
 * {@link SearcherManager}.
 *
 * <p>Every write is committed and then made visible to readers before it returns, so a returned
 * call survives a crash and the next read sees it. Concurrent writers share commits
 * ({@link GroupCommit}); a lone writer pays one fsync per call. Committing less often (accepting a
 * rebuild window after a crash) can come later without changing the interface. After a crash,
 * reopening shows the last commit.
 *
 * <p>Callers stop writing before {@link #close()}; a call after it fails with Lucene's
 * {@code AlreadyClosedException} (an {@link IllegalStateException}).
 */
public final class LuceneChunkIndex implements ChunkIndex {
    private final Path path;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final GroupCommit commits;
    /** Analyzes query text exactly as the writer analyzes content; thread-safe, reused across queries. */
    private final Analyzer analyzer = ChunkFields.newAnalyzer();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Opens the index in {@code path}, creating it if absent.
     *
     * @throws IllegalStateException if the index there is corrupt, unreadable or in use by
     *     another writer; the directory can then be deleted and the index rebuilt from the database
     */
    public LuceneChunkIndex(Path path) {
        this.path = path;
        OpenedIndex opened = OpenedIndex.open(path);
        this.directory = opened.directory();
        this.writer = opened.writer();
        this.searchers = opened.searchers();
        this.commits = new GroupCommit(writer);
    }

    @Override
    public void replaceFile(long fileId, List<IndexedChunk> chunks) {
        List<Document> docs = new ArrayList<>(chunks.size());
        for (IndexedChunk chunk : chunks) {
            if (chunk.fileId() != fileId) {
                throw new IllegalArgumentException("Chunk of file " + chunk.fileId() + " passed to replace file " + fileId);
            }
            docs.add(ChunkDocuments.toDocument(chunk));
        }
        Term file = ChunkDocuments.fileTerm(fileId);
        try {
            // Delete-by-term and add in one operation: a refreshed reader sees the old set or the new one.
            // Never updateDocuments with no documents: in Lucene 10.6 that trips an accounting
            // assertion when the writer closes.
            long sequenceNumber = docs.isEmpty() ? writer.deleteDocuments(file) : writer.updateDocuments(file, docs);
            commitAndRefresh(sequenceNumber);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not index file " + fileId + " in " + path, e);
        }
    }

    @Override
    public void deleteFiles(Collection<Long> fileIds) {
        if (fileIds.isEmpty()) return;
        Term[] terms = fileIds.stream().map(ChunkDocuments::fileTerm).toArray(Term[]::new);
        try {
            commitAndRefresh(writer.deleteDocuments(terms));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete files " + fileIds + " from " + path, e);
        }
    }

    @Override
    public int countForFile(long fileId) {
        return read(searcher -> searcher.count(StoredChunks.fileQuery(fileId)));
    }

    @Override
    public List<ChunkHit> search(ChunkQuery query) {
        return read(searcher -> LuceneSearch.run(searcher, analyzer, query));
    }

    /** Deletes every chunk, durably: a rebuild from the database starts from an empty index. */
    @Override
    public void clear() {
        try {
            commitAndRefresh(writer.deleteAll());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not clear the index in " + path, e);
        }
    }

    /** The file's chunks ordered by chunk index, with text, metadata and vector as indexed. */
    public List<IndexedChunk> chunksOfFile(long fileId) {
        return read(searcher -> StoredChunks.ofFile(searcher, fileId));
    }

    /** How many chunks the index holds over all files. */
    public long size() {
        return read(searcher -> (long) searcher.getIndexReader().numDocs());
    }

    /** Commits what is buffered and releases the directory. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try (directory; writer; searchers; analyzer) {
            // Closed in reverse order: analyzer, searchers, then the writer (which commits), then the directory.
        } catch (IOException e) {
            throw new UncheckedIOException("Could not close the index in " + path, e);
        }
    }

    /**
     * Commit, then refresh: every write returns durable and visible. (A refresh shows all the
     * writer holds, so another thread's write may show a moment before its own commit ends.)
     */
    private void commitAndRefresh(long sequenceNumber) throws IOException {
        commits.awaitDurable(sequenceNumber);
        searchers.maybeRefreshBlocking();
    }

    /** Runs a read on the current searcher; since every write refreshes, it sees all completed writes. */
    private <T> T read(SearcherFunction<T> action) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return action.apply(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the index in " + path, e);
        }
    }

    @FunctionalInterface
    private interface SearcherFunction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }
}
