package io.catchment.server;

import io.catchment.search.ChunkIndex;
import io.catchment.search.LuceneChunkIndex;
import io.catchment.search.PgvectorChunkIndex;
import io.catchment.store.Database;
import java.nio.file.Path;

/** Picks the chunk index for the database: Lucene beside H2, pgvector inside PostgreSQL. */
final class ChunkIndexes {
    private ChunkIndexes() {}

    static ChunkIndex open(Database database, Path dataDir) {
        return switch (database.vendor()) {
            case H2 -> new LuceneChunkIndex(dataDir.resolve("index"));
            case POSTGRESQL -> new PgvectorChunkIndex(database); // shared by every process of the deployment
        };
    }
}
