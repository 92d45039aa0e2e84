package io.catchment.store;

import java.nio.file.Path;

/** Where the metadata database lives. The password, if any, comes with the URL or the environment. */
public record DatabaseSettings(String jdbcUrl, String user, String password, int maxPoolSize) {

    public DatabaseSettings {
        DatabaseVendor.fromJdbcUrl(jdbcUrl); // fail early on an unsupported URL
        if (maxPoolSize < 1) throw new IllegalArgumentException("maxPoolSize must be >= 1");
    }

    /**
     * The embedded default: an H2 file under the data directory, in PostgreSQL mode.
     * DB_CLOSE_ON_EXIT=FALSE leaves closing to our shutdown hook, after in-flight work has
     * drained. The file belongs to one process at a time (H2's AUTO_SERVER cannot be combined
     * with that); scale-out uses PostgreSQL.
     */
    public static DatabaseSettings embedded(Path dataDir) {
        String file = dataDir.toAbsolutePath().resolve("catchment").toString();
        return new DatabaseSettings(
                "jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE"
                        // Every commit reaches the file before the call returns: a killed process loses nothing
                        // it reported as stored (H2's default keeps up to 500 ms of commits in memory).
                        + ";WRITE_DELAY=0",
                "sa", "", 10);
    }

    public DatabaseVendor vendor() {
        return DatabaseVendor.fromJdbcUrl(jdbcUrl);
    }
}
