package io.catchment.server;

import io.catchment.files.FileLifecycle;
import io.catchment.files.StoredFile;
import io.catchment.ingest.Indexer;
import io.catchment.search.ChunkIndex;
import io.catchment.store.Database;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** {@code catchment index rebuild}: the index is derived data; this derives it again. */
public final class IndexRebuild {
    private IndexRebuild() {}

    public record Result(long files, long chunks) {}

    public static Result run(Database database, Path dataDir, PrintWriter progress) {
        var lifecycle = new FileLifecycle(database.jdbi(), Clock.systemUTC());
        try (ChunkIndex index = ChunkIndexes.open(database, dataDir)) {
            index.clear();
            Indexer indexer = new Indexer(lifecycle, index);
            long files = 0;
            long chunks = 0;
            long after = 0;
            while (true) {
                List<StoredFile> batch = lifecycle.readyAfter(after, 500);
                if (batch.isEmpty()) break;
                for (StoredFile f : batch) {
                    indexer.reindex(f);
                    files++;
                    chunks += index.countForFile(f.id());
                    after = f.id();
                }
                progress.println("indexed " + files + " files, " + chunks + " chunks");
                progress.flush();
            }
            return new Result(files, chunks);
        }
    }
}
