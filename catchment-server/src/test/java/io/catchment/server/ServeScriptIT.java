package io.catchment.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.server.support.Client;
import io.catchment.server.support.Reply;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's start command for real: {@code bin/catchment serve} on the packaged jar with
 * embedded defaults, found JDK, first-run key, a Carbon call, then a graceful stop on SIGTERM.
 */
class ServeScriptIT {
    @TempDir
    Path dir;

    @Test
    void startsWithEmbeddedDefaultsAnswersAndStopsGracefully() throws Exception {
        Path repo = Path.of(System.getProperty("catchment.repo", "..")).toAbsolutePath().normalize();
        int port = freePort();
        Path log = dir.resolve("serve.log");
        ProcessBuilder pb = new ProcessBuilder(repo.resolve("bin/catchment").toString(), "serve",
                "--port", Integer.toString(port), "--data-dir", dir.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", "/nonexistent"); // the script must find a JDK by itself
        pb.environment().remove("CATCHMENT_DATABASE_URL");
        Process process = pb.start();
        try {
            Client anonymous = new Client("http://127.0.0.1:" + port, Map.of());
            waitForHealth(anonymous, process, log);

            String key = Files.readString(dir.resolve("data").resolve(FirstRun.KEY_FILE)).strip();
            assertThat(Files.readString(log)).contains(key);
            Reply token = anonymous.with("authorization", "Bearer " + key).with("customer-id", "it-user")
                    .get("/auth/v1/access_token");
            assertThat(token.status()).isEqualTo(200);
            assertThat(token.json().get("access_token").asText()).startsWith("cat_");
            assertThat(Files.exists(dir.resolve("data").resolve("catchment.mv.db"))).as("embedded H2 file").isTrue();

            Process cli = new ProcessBuilder(repo.resolve("bin/catchment").toString(), "org", "create", "--name", "Busy",
                    "--data-dir", dir.resolve("data").toString()).redirectErrorStream(true).start();
            String said = new String(cli.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(cli.waitFor()).as(said).isEqualTo(1);
            assertThat(said).contains("catchment: the embedded database in this data directory is in use")
                    .doesNotContain("\tat ");
        } finally {
            process.destroy(); // SIGTERM: the shutdown hook drains and closes
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stops within 30 s").isTrue();
        }
        String output = Files.readString(log);
        assertThat(output).contains("catchment stopped").doesNotContain("Exception");
        assertThat(output.split(java.util.regex.Pattern.quote(
                Files.readString(dir.resolve("data").resolve(FirstRun.KEY_FILE)).strip()), -1))
                .as("key printed once").hasSize(2);
    }

    private static void waitForHealth(Client client, Process process, Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new AssertionError("server exited early:\n" + Files.readString(log));
            try {
                if (client.get("/health").status() == 200) return;
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no healthy server within 60 s:\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
