package io.catchment.server.cli;

import io.catchment.store.DatabaseSettings;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the data lives; shared by every command. The password is read from the environment only. */
public final class DatabaseOptions {
    @Option(names = "--data-dir", defaultValue = "${env:CATCHMENT_DATA_DIR:-data}",
            description = "Data directory (H2 file, blobs, index). Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--database-url", defaultValue = "${env:CATCHMENT_DATABASE_URL}",
            description = "JDBC URL of a PostgreSQL database (jdbc:postgresql://host:port/db). Default: the embedded H2 file")
    String databaseUrl;

    @Option(names = "--database-user", defaultValue = "${env:CATCHMENT_DATABASE_USER}",
            description = "Database user (the password comes from CATCHMENT_DATABASE_PASSWORD)")
    String databaseUser;

    public Path dataDir() {
        return dataDir;
    }

    public DatabaseSettings settings() {
        if (databaseUrl == null || databaseUrl.isBlank()) return DatabaseSettings.embedded(dataDir);
        String password = Optional.ofNullable(System.getenv("CATCHMENT_DATABASE_PASSWORD")).orElse(null);
        return new DatabaseSettings(databaseUrl.strip(), databaseUser, password, 20);
    }
}
