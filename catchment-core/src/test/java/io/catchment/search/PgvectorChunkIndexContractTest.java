package io.catchment.search;

import io.catchment.store.Database;
import io.catchment.store.DatabaseSettings;
import io.catchment.testsupport.DatabaseKind;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The shared contract on PostgreSQL + pgvector. Each test's directory names a fresh database on
 * the harness's throwaway server (which fails the test, never skips it, when PostgreSQL or
 * pgvector is missing); reopening the same directory reopens that database through a new pool.
 */
class PgvectorChunkIndexContractTest extends ChunkIndexContract {
    private final Map<Path, DatabaseSettings> databases = new HashMap<>();
    private Database database;

    @Override
    protected ChunkIndex openIndex(Path dir) {
        closeDatabase();
        database = Database.open(databases.computeIfAbsent(dir, DatabaseKind.POSTGRESQL::settings));
        return new PgvectorChunkIndex(database);
    }

    @AfterEach
    void closeDatabase() {
        if (database != null) database.close();
        database = null;
    }
}
