package io.catchment.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catchment.testsupport.DatabaseKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(DatabaseKind.class)
class DatabaseTest {
    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    /** The scripts Flyway should apply on this vendor: the common ones and the vendor's own. */
    private long migrationScripts() {
        return scripts("db/migration/common") + scripts("db/migration/" + kind.name().toLowerCase(java.util.Locale.ROOT));
    }

    private static long scripts(String folder) {
        try (var files = java.nio.file.Files.list(Path.of(DatabaseTest.class.getClassLoader().getResource(folder).toURI()))) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.+\\.sql")).count();
        } catch (Exception e) {
            throw new AssertionError("cannot list " + folder, e);
        }
    }

    @Test
    void migratesOnceAndReopensWithoutChanges() {
        DatabaseSettings settings = kind.settings(dir);
        try (Database db = Database.open(settings)) {
            assertThat(db.vendor().name()).isEqualTo(kind.name());
            assertThat(db.isReachable()).isTrue();
            int applied = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"type\" = 'SQL' AND \"success\"").mapTo(Integer.class).one());
            assertThat(applied).isEqualTo(migrationScripts());
        }
        try (Database again = Database.open(settings)) {
            int applied = again.jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"type\" = 'SQL'").mapTo(Integer.class).one());
            assertThat(applied).as("re-opening applies nothing new").isEqualTo(migrationScripts());
        }
    }

    @Test
    void postgresHasPgvectorAndH2DoesNotNeedIt() {
        try (Database db = Database.open(kind.settings(dir))) {
            if (db.vendor() == DatabaseVendor.POSTGRESQL) {
                String version = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT extversion FROM pg_extension WHERE extname = 'vector'").mapTo(String.class).one());
                assertThat(version).startsWith("0.");
            } else {
                int tasks = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM scheduled_tasks")
                        .mapTo(Integer.class).one());
                assertThat(tasks).isZero();
            }
        }
    }

    @Test
    void reportsUnreachableAfterClose() {
        Database db = Database.open(kind.settings(dir));
        db.close();
        assertThat(db.isReachable()).isFalse();
    }

    @Test
    void rejectsUnsupportedUrls() {
        assertThatThrownBy(() -> new DatabaseSettings("jdbc:mysql://x/y", "u", "p", 1))
                .hasMessageContaining("Unsupported database URL");
    }
}
