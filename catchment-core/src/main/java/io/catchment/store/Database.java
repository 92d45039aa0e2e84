package io.catchment.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An open, migrated database: the pool, JDBI on top of it, and which vendor it is. */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final DatabaseVendor vendor;

    private Database(HikariDataSource dataSource, DatabaseVendor vendor) {
        this.dataSource = dataSource;
        this.vendor = vendor;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Opens the pool and brings the schema up to date (common migrations plus the vendor's own). */
    public static Database open(DatabaseSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setPoolName("catchment-db");
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        HikariDataSource ds = new HikariDataSource(config);
        try {
            DatabaseVendor vendor = settings.vendor();
            var result = Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration/common", vendor.migrationFolder())
                    .load()
                    .migrate();
            log.atInfo().addKeyValue("vendor", vendor).addKeyValue("applied", result.migrationsExecuted)
                    .addKeyValue("schema_version", result.targetSchemaVersion).log("database ready");
            return new Database(ds, vendor);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public DatabaseVendor vendor() {
        return vendor;
    }

    /** True when a connection can be taken and answers a trivial query (readiness). */
    public boolean isReachable() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
