package io.catchment.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.server.support.Client;
import io.catchment.store.Database;
import io.catchment.store.DatabaseSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import io.catchment.testsupport.DatabaseKind;

/**
 * The crash test, on both databases: 50 files are being ingested when the server process gets
 * SIGKILL. After a restart every file ends READY exactly once, with its chunks stored once in the
 * database and once in the index (Lucene beside H2, pgvector inside PostgreSQL).
 */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class IngestCrashIT {
    private static final int FILES = 50;

    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    DatabaseSettings settings;

    @Test
    void aKilledServerFinishesEveryFileExactlyOnceAfterRestart() throws Exception {
        Path data = dir.resolve("data");
        settings = kind.settings(data);
        int port = freePort();
        Client anonymous = new Client("http://127.0.0.1:" + port, Map.of());

        Process first = start(data, port, "first.log");
        waitHealthy(anonymous, first, data.resolve("first.log"));
        waitUntil(() -> Files.exists(data.resolve(FirstRun.KEY_FILE)), Duration.ofSeconds(10), "first-run key");
        String key = Files.readString(data.resolve(FirstRun.KEY_FILE)).strip();
        Client client = anonymous.with("authorization", "Bearer " + key).with("customer-id", "crash-user");

        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            var r = client.upload("/uploadfile?chunk_size=120&chunk_overlap=10", "file", "doc-" + i + ".txt",
                    text(i).getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            ids.add(r.json().get("id").asLong());
        }
        waitUntil(() -> countReady(client) >= 3, Duration.ofSeconds(120), "some files READY before the kill");
        int readyAtKill = countReady(client);
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close
        assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(readyAtKill).as("killed mid-ingestion").isLessThan(FILES);

        Process second = start(data, port, "second.log");
        try {
            waitHealthy(anonymous, second, data.resolve("second.log"));
            waitUntil(() -> countReady(client) == FILES, Duration.ofSeconds(240), "all files READY after restart");
            JsonNode all = client.post("/user_files_v2", Map.of("pagination", Map.of("limit", 100), "include_count", true)).json();
            assertThat(all.get("count").asInt()).as("no file created twice").isEqualTo(FILES);
        } finally {
            second.destroy();
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        Map<Long, Long> chunksPerFile = new HashMap<>();
        try (Database db = Database.open(settings)) {
            long files = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM files").mapTo(Long.class).one());
            assertThat(files).isEqualTo(FILES);
            db.jdbi().useHandle(h -> h.createQuery("""
                            SELECT file_id, COUNT(*) AS n, MAX(chunk_index) AS top, MIN(chunk_index) AS bottom
                            FROM file_chunks GROUP BY file_id""")
                    .map((rs, ctx) -> {
                        assertThat(rs.getLong("bottom")).isZero();
                        assertThat(rs.getLong("top") + 1).as("chunk indexes 0..n-1, none twice").isEqualTo(rs.getLong("n"));
                        return Map.entry(rs.getLong("file_id"), rs.getLong("n"));
                    })
                    .forEach(e -> chunksPerFile.put(e.getKey(), e.getValue())));
        }
        assertThat(chunksPerFile.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        try (Database db = Database.open(settings); var index = ChunkIndexes.open(db, data)) {
            for (long id : ids) {
                assertThat((long) index.countForFile(id)).as("index chunks of file %d", id).isEqualTo(chunksPerFile.get(id));
            }
        }
    }

    private static String text(int seed) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1200; i++) sb.append("term").append((i * 31 + seed) % 211).append(i % 17 == 16 ? ". " : " ");
        return sb.toString();
    }

    private static int countReady(Client client) {
        JsonNode r = client.post("/user_files_v2", Map.of("filters", Map.of("sync_statuses", List.of("READY")),
                "include_count", true)).json();
        return r.get("count").asInt();
    }

    private Process start(Path data, int port, String logName) throws IOException {
        Files.createDirectories(data);
        Path repo = Path.of(System.getProperty("catchment.repo", "..")).toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of(repo.resolve("bin/catchment").toString(), "serve", "--port",
                Integer.toString(port), "--data-dir", data.toString()));
        if (kind == DatabaseKind.POSTGRESQL) {
            command.addAll(List.of("--database-url", settings.jdbcUrl(), "--database-user", settings.user()));
        }
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(data.resolve(logName).toFile()).start();
    }

    private static void waitHealthy(Client client, Process process, Path log) throws Exception {
        waitUntil(() -> {
            if (!process.isAlive()) throw new AssertionError("server exited:\n" + Files.readString(log));
            try {
                return client.get("/health").status() == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        }, Duration.ofSeconds(60), "healthy server");
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void waitUntil(Check check, Duration timeout, String what) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (check.ok()) return;
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
