package io.catchment.testsupport;

import io.catchment.store.DatabaseSettings;
import io.catchment.testing.postgres.PostgresServer;
import java.nio.file.Path;

/**
 * The two databases every storage test runs on. H2 is the real embedded file in a temp
 * folder; PostgreSQL is a fresh database on the harness's throwaway server (which fails
 * loudly, saying why, when PostgreSQL or pgvector is missing).
 */
public enum DatabaseKind {
    H2, POSTGRESQL;

    public DatabaseSettings settings(Path tempDir) {
        return switch (this) {
            case H2 -> DatabaseSettings.embedded(tempDir);
            case POSTGRESQL -> new DatabaseSettings(PostgresServer.shared().newDatabase("catchment"),
                    PostgresServer.shared().user(), "", 8);
        };
    }
}
