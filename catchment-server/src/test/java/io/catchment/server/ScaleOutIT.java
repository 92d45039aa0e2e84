package io.catchment.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.server.support.Client;
import io.catchment.testing.postgres.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out with the real jar: an API process and a worker process share one PostgreSQL
 * (named by --database-url); an organization made with the CLI works on the API process.
 */
class ScaleOutIT {
    @TempDir
    Path dir;

    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) p.destroy();
        for (Process p : processes) p.waitFor(30, TimeUnit.SECONDS);
    }

    @Test
    void apiAndWorkerProcessesShareOnePostgres() throws Exception {
        String url = PostgresServer.shared().newDatabase("scaleout");
        String user = PostgresServer.shared().user();

        String created = runCli("org", "create", "--name", "Scaled", "--database-url", url, "--database-user", user);
        Matcher key = Pattern.compile("(?m)^api_key=(\\S+)$").matcher(created);
        assertThat(key.find()).as(created).isTrue();

        int apiPort = freePort();
        int workerPort = freePort();
        start("api", apiPort, url, user);
        start("worker", workerPort, url, user);
        Client api = new Client("http://127.0.0.1:" + apiPort, Map.of());
        Client worker = new Client("http://127.0.0.1:" + workerPort, Map.of());
        waitHealthy(api);
        waitHealthy(worker);

        var org = api.with("authorization", "Bearer " + key.group(1)).get("/organization");
        assertThat(org.status()).isEqualTo(200);
        assertThat(org.json().get("name").asText()).isEqualTo("Scaled");
        assertThat(worker.with("authorization", "Bearer " + key.group(1)).get("/organization").status())
                .as("a worker serves only health and metrics").isEqualTo(404);
        assertThat(Files.exists(dir.resolve("api").resolve(FirstRun.KEY_FILE)))
                .as("an existing organization means no first-run key").isFalse();
    }

    private String runCli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(repo().resolve("bin/catchment").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    private void start(String role, int port, String url, String user) throws IOException {
        Path data = dir.resolve(role);
        Files.createDirectories(data);
        processes.add(new ProcessBuilder(repo().resolve("bin/catchment").toString(), "serve", "--role", role,
                "--port", Integer.toString(port), "--data-dir", data.toString(), "--database-url", url,
                "--database-user", user)
                .redirectErrorStream(true).redirectOutput(data.resolve("serve.log").toFile()).start());
    }

    private static void waitHealthy(Client client) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            try {
                if (client.get("/health").status() == 200) return;
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no healthy server within 60 s");
    }

    private static Path repo() {
        return Path.of(System.getProperty("catchment.repo", "..")).toAbsolutePath().normalize();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
