package io.catchment.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * The Lucene objects behind a {@link LuceneChunkIndex}, opened in order and released again when a
 * later step fails, so a failed open leaves neither a held write lock nor a new commit behind.
 */
record OpenedIndex(Directory directory, IndexWriter writer, SearcherManager searchers) {

    /** @throws IllegalStateException if the index is corrupt, unreadable or locked by another writer */
    static OpenedIndex open(Path path) {
        Directory directory = openDirectory(path);
        IndexWriter writer = openWriter(path, directory);
        return new OpenedIndex(directory, writer, openSearchers(path, writer, directory));
    }

    private static Directory openDirectory(Path path) {
        try {
            Files.createDirectories(path);
            return FSDirectory.open(path); // memory-mapped on 64-bit JVMs
        } catch (IOException e) {
            throw failure(path, e);
        }
    }

    private static IndexWriter openWriter(Path path, Directory directory) {
        try {
            return new IndexWriter(directory, new IndexWriterConfig(ChunkFields.newAnalyzer())
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setCodec(new WideVectorCodec()));
        } catch (IOException | RuntimeException e) {
            closeQuietly(directory);
            throw failure(path, e);
        }
    }

    /** Opening the first reader reads every segment, so this is where damaged segment files show. */
    private static SearcherManager openSearchers(Path path, IndexWriter writer, Directory directory) {
        try {
            return new SearcherManager(writer, null);
        } catch (IOException | RuntimeException e) {
            closeQuietly(writer::rollback, directory); // roll back, not close: a failed open must not commit
            throw failure(path, e);
        }
    }

    private static IllegalStateException failure(Path path, Exception cause) {
        String why = cause instanceof LockObtainFailedException
                ? "is in use by another index instance or process"
                : "is corrupt or unreadable; delete it and rebuild the index from the database";
        return new IllegalStateException("Lucene index at " + path + " " + why + " (" + cause.getMessage() + ")", cause);
    }

    private static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // Already failing to open; the original error is the one worth reporting.
            }
        }
    }
}
