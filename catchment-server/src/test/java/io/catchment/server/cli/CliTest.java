package io.catchment.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.server.Catchment;
import io.catchment.server.FirstRun;
import io.catchment.server.Main;
import io.catchment.server.ServerConfig;
import io.catchment.server.support.Client;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line against the embedded store, and the first-run organization. */
class CliTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] withDir = new String[args.length + 2];
        System.arraycopy(args, 0, withDir, 0, args.length);
        withDir[args.length] = "--data-dir";
        withDir[args.length + 1] = dir.toString();
        return new Result(cli.execute(withDir), out.toString(), err.toString());
    }

    static String value(String output, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + "=(\\S+)$").matcher(output);
        assertThat(m.find()).as("%s in %s", key, output).isTrue();
        return m.group(1);
    }

    @Test
    void createsOrganizationsAndManagesKeys() {
        Result org = run("org", "create", "--name", "Acme");
        assertThat(org.code()).isZero();
        String orgId = value(org.out(), "organization_id");
        String firstKey = value(org.out(), "api_key");
        assertThat(firstKey).startsWith("ck_");

        Result created = run("api-key", "create", "--org", orgId, "--name", "ci");
        String secondId = value(created.out(), "api_key_id");
        String secondKey = value(created.out(), "api_key");
        assertThat(secondKey).isNotEqualTo(firstKey);

        Result listed = run("api-key", "list", "--org", orgId);
        assertThat(listed.out()).contains("\tinitial\t").contains("\tci\t").doesNotContain(firstKey).doesNotContain(secondKey);

        assertThat(run("api-key", "revoke", "--org", orgId, "--id", secondId).code()).isZero();
        assertThat(run("api-key", "list", "--org", orgId).out()).containsPattern(secondId + "\\t.*\\tci\\t.*revoked");
        Result unknown = run("api-key", "revoke", "--org", orgId, "--id", "999");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("No API key 999");

        // the keys work (or not) against a server on the same data directory
        try (Catchment server = Catchment.start(ServerConfig.embedded(dir, 0).withHost("127.0.0.1")
                .withShutdownGrace(java.time.Duration.ZERO), Clock.systemUTC())) {
            Client base = new Client("http://127.0.0.1:" + server.port(), Map.of());
            assertThat(base.with("authorization", "Bearer " + firstKey).get("/organization").json().get("name").asText())
                    .isEqualTo("Acme");
            assertThat(base.with("authorization", "Bearer " + secondKey).get("/organization").status()).isEqualTo(401);
        }
    }

    @Test
    void indexRebuildRestoresALostIndexFromTheDatabase() throws Exception {
        long fileId;
        long chunks;
        try (Catchment server = Catchment.start(ServerConfig.embedded(dir, 0).withHost("127.0.0.1")
                .withShutdownGrace(java.time.Duration.ZERO), Clock.systemUTC())) {
            var org = server.organizations().create("Acme");
            String key = server.apiKeys().create(org.id(), "k").secret();
            Client alice = new Client("http://127.0.0.1:" + server.port(), Map.of("authorization", "Bearer " + key,
                    "customer-id", "alice"));
            fileId = alice.upload("/uploadfile?chunk_size=20&chunk_overlap=0", "file", "a.txt",
                    "words ".repeat(200).getBytes(java.nio.charset.StandardCharsets.UTF_8)).json().get("id").asLong();
            io.catchment.server.support.Files.awaitReady(alice, fileId);
            chunks = server.chunkIndex().countForFile(fileId);
        }
        assertThat(chunks).isGreaterThan(5);
        deleteTree(dir.resolve("index"));

        Result rebuilt = run("index", "rebuild");
        assertThat(rebuilt.code()).as(rebuilt.err()).isZero();
        assertThat(rebuilt.out()).contains("rebuilt: 1 files, " + chunks + " chunks");
        try (var index = new io.catchment.search.LuceneChunkIndex(dir.resolve("index"))) {
            assertThat((long) index.countForFile(fileId)).isEqualTo(chunks);
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Test
    void badArgumentsExplainThemselves() {
        Result missing = run("api-key", "create");
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("Missing required option: '--org=<org>'");
    }

    @Test
    void firstRunCreatesOneOrganizationAndAnOwnerOnlyKeyFile() throws Exception {
        try (Catchment server = Catchment.start(ServerConfig.embedded(dir, 0).withHost("127.0.0.1")
                .withShutdownGrace(java.time.Duration.ZERO), Clock.systemUTC())) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            FirstRun.ensureOrganization(server, dir, new PrintStream(printed, true));
            FirstRun.ensureOrganization(server, dir, new PrintStream(printed, true));

            Path file = dir.resolve(FirstRun.KEY_FILE);
            String key = Files.readString(file).strip();
            assertThat(printed.toString()).contains(key);
            assertThat(printed.toString().split(Pattern.quote(key), -1)).as("shown once").hasSize(2);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(server.organizations().all()).hasSize(1);

            Client client = new Client("http://127.0.0.1:" + server.port(), Map.of("authorization", "Bearer " + key));
            assertThat(client.get("/organization").status()).isEqualTo(200);
        }
    }
}
