package io.catchment.server.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.catchment.server.Catchment;
import io.catchment.server.ServerConfig;
import io.catchment.tenancy.Organization;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs Carbon's own TypeScript SDK ({@code carbon-typescript-sdk}, the Node project in
 * {@code <repo>/compat}) against a real Catchment on a loopback port: code written for Carbon
 * must work by changing only the base URL. Needs Node.js and npm on the PATH; without them this
 * test fails (it never skips), because a green build must mean the SDK was actually exercised.
 */
class CompatSdkTest {
    private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration NPM_TEST_TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    @Test
    void carbonTypescriptSdkWorksAgainstCatchment() throws Exception {
        Path compat = repoRoot().resolve("compat");
        String npm = executable("npm");
        executable("node");

        if (!Files.isDirectory(compat.resolve("node_modules").resolve("carbon-typescript-sdk"))) {
            Result ci = run(List.of(npm, "ci", "--no-audit", "--no-fund"), compat, Map.of(), NPM_CI_TIMEOUT);
            if (ci.exitCode() != 0) {
                fail("`npm ci` in " + compat + " failed (exit " + ci.exitCode() + "); run .ci/install-deps or `npm ci` "
                        + "there by hand. Output:\n" + ci.output());
            }
        }

        // files.uploadFromUrl is tested against a node:http server on loopback, which the fetcher refuses
        // (SSRF protection) unless allowlisted; everything else (169.254.169.254, 10.0.0.0/8, ...) stays refused.
        ServerConfig config = ServerConfig.embedded(dir, 0).withHost("127.0.0.1")
                .withUrlAllowlist(Set.of("127.0.0.1", "localhost"));
        try (Catchment server = Catchment.start(config, Clock.systemUTC())) {
            Organization org = server.organizations().create("compat org");
            String apiKey = server.apiKeys().create(org.id(), "compat").secret();
            String url = "http://127.0.0.1:" + server.port();

            // The SDK's axios honours HTTP(S)_PROXY; a loopback server must never be reached through one.
            String noProxy = Optional.ofNullable(System.getenv("NO_PROXY"))
                    .or(() -> Optional.ofNullable(System.getenv("no_proxy")))
                    .filter(v -> !v.isBlank()).map(v -> v + ",").orElse("") + "127.0.0.1,localhost";
            Result result = run(List.of(npm, "test"), compat, Map.of("CATCHMENT_URL", url, "CATCHMENT_API_KEY", apiKey,
                    "NO_PROXY", noProxy, "no_proxy", noProxy, "NO_COLOR", "1"), NPM_TEST_TIMEOUT);

            assertThat(result.exitCode())
                    .withFailMessage(() -> "`npm test` in " + compat + " against " + url + " exited with "
                            + result.exitCode() + ":\n" + result.output())
                    .isZero();
            assertThat(result.output())
                    .withFailMessage(() -> "`npm test` ran no test:\n" + result.output())
                    .containsPattern("(?m)^# pass [1-9]");
        }
    }

    record Result(int exitCode, String output) {}

    /**
     * Runs a command with stdout and stderr merged, copying each line into the test log as it
     * arrives; past the timeout the whole process tree is killed and the result is exit code -1.
     */
    private static Result run(List<String> command, Path workDir, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        System.out.println("[compat] $ " + String.join(" ", command) + "   (in " + workDir + ")");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        StringBuilder output = new StringBuilder();
        Thread pump = Thread.ofPlatform().daemon().name("compat-output").start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    System.out.println("[compat] " + line);
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                synchronized (output) {
                    output.append("[reading the output failed: ").append(e).append("]\n");
                }
            }
        });
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        pump.join(Duration.ofSeconds(10));
        String text;
        synchronized (output) {
            text = output.toString();
        }
        if (!finished) {
            return new Result(-1, text + "\n[killed: `" + String.join(" ", command) + "` did not finish within "
                    + timeout + "]");
        }
        return new Result(process.exitValue(), text);
    }

    /** The repository root: the {@code catchment.repo} property (set by surefire), else the nearest ancestor with compat/. */
    private static Path repoRoot() {
        List<Path> tried = new ArrayList<>();
        String property = System.getProperty("catchment.repo");
        if (property != null && !property.isBlank()) {
            Path candidate = Path.of(property).toAbsolutePath().normalize();
            if (hasCompat(candidate)) return candidate;
            tried.add(candidate);
        }
        for (Path p = Path.of("").toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (hasCompat(p)) return p;
            tried.add(p);
        }
        return fail("Cannot find the compat/ Node project (compat/package.json) in " + tried);
    }

    private static boolean hasCompat(Path dir) {
        return Files.isRegularFile(dir.resolve("compat").resolve("package.json"));
    }

    /** The absolute path of a program on the PATH, or a failure that says to install Node.js. */
    private static String executable(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
        List<String> names = windows ? List.of(name + ".cmd", name + ".exe", name) : List.of(name);
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) continue;
            for (String n : names) {
                Path candidate = Path.of(entry).resolve(n);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate.toString();
            }
        }
        return fail("`" + name + "` is not on the PATH (" + path + "). CompatSdkTest runs Carbon's TypeScript SDK "
                + "against Catchment and needs Node.js 20 or newer with npm: install Node.js (e.g. `apt-get install "
                + "nodejs npm`, or run .ci/install-deps after installing it), then run the build again.");
    }
}
