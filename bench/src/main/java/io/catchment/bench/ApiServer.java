package io.catchment.bench;

import io.catchment.oauth.ClientApp;
import io.catchment.oauth.OAuthService;
import io.catchment.server.OAuthSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The server of the API benchmark in a JVM of its own, so that its memory is the server's alone and
 * not mixed with the load generator's 50 clients.
 *
 * <p>{@link #main} is the child: it starts a Catchment ({@link BenchServer}: H2, Lucene, rate limits
 * off, a server OAuth app for GOOGLE_DRIVE), stores N files for one customer, then answers one-line
 * commands on stdin: {@code memory} (heap used and committed now, and RSS), {@code gc} (the same after
 * three {@code System.gc()}), {@code quit}. Its stdout carries only those answers, each prefixed with
 * {@value #PREFIX}; everything else the server prints goes to stderr. {@link Handle} is the parent's
 * side: it starts the child with the parent's own JVM options and class path.
 */
final class ApiServer {
    private static final String PREFIX = "api-server ";

    private ApiServer() {}

    record Memory(double heapUsedMb, double heapCommittedMb, double rssMb) {
        Memory max(Memory other) {
            return new Memory(Math.max(heapUsedMb, other.heapUsedMb), Math.max(heapCommittedMb, other.heapCommittedMb),
                    Math.max(rssMb, other.rssMb));
        }
    }

    /** What the child reports once its files are stored. */
    record Ready(String baseUrl, String apiKey, double insertSeconds, double maxHeapMb) {}

    /** Child: {@code ApiServer <files>}. */
    public static void main(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        int files = Integer.parseInt(args[0]);
        OAuthSettings oauth = new OAuthSettings(Map.of(OAuthService.GOOGLE_DRIVE, new ClientApp("client-bench", "secret-bench")),
                Map.of(), Map.of());
        try (BenchServer server = BenchServer.start(c -> c.withOAuth(oauth))) {
            String key = server.apiKey("Bench");
            Http user = server.client(key, "bench-user");
            long t0 = System.nanoTime();
            insertFiles(server, user, files);
            protocol.printf(Locale.ROOT, "%sready %s %s %.3f %.0f%n", PREFIX, server.baseUrl, key,
                    SearchBench.seconds(System.nanoTime() - t0), Runtime.getRuntime().maxMemory() / 1048576.0);
            var commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = commands.readLine()) != null && !line.equals("quit"); ) {
                if (line.equals("gc")) for (int i = 0; i < 3; i++) System.gc();
                Memory m = memoryNow();
                protocol.printf(Locale.ROOT, "%smemory %.1f %.1f %.1f%n", PREFIX, m.heapUsedMb(), m.heapCommittedMb(), m.rssMb());
            }
        }
        System.exit(0);
    }

    /** One upload, READY, then cloned in SQL to {@code files} rows of the same customer. */
    private static void insertFiles(BenchServer server, Http user, int files) throws InterruptedException {
        user.upload("/uploadfile?skip_embedding_generation=true", "template.md",
                "# Template\n\nThe file every benchmark row is a copy of.".getBytes()).ok();
        while (!"READY".equals(user.post("/user_files_v2", Map.of()).ok().json().get("results").get(0).get("sync_status").asText())) {
            Thread.sleep(100);
        }
        var jdbi = server.catchment.database().jdbi();
        long template = jdbi.withHandle(h -> h.createQuery("SELECT MIN(id) FROM files").mapTo(Long.class).one());
        List<String> columns = jdbi.withHandle(h -> h.createQuery("""
                SELECT LOWER(column_name) FROM information_schema.columns
                WHERE LOWER(table_name) = 'files' AND LOWER(table_schema) = 'public' ORDER BY ordinal_position""")
                .mapTo(String.class).list());
        List<String> select = new ArrayList<>();
        List<String> insert = new ArrayList<>();
        for (String c : columns) {
            if (c.equals("id")) continue;
            insert.add(c);
            select.add(switch (c) {
                case "external_file_id" -> "f.external_file_id || '-' || CAST(:n AS VARCHAR)";
                case "name" -> "'bench-' || CAST(:n AS VARCHAR) || '.md'";
                case "created_at", "updated_at" -> "DATEADD('MILLISECOND', :n, f." + c + ")";
                default -> "f." + c;
            });
        }
        String sql = "INSERT INTO files (" + String.join(", ", insert) + ") SELECT " + String.join(", ", select)
                + " FROM files f WHERE f.id = :template";
        int batch = 5_000;
        for (int from = 1; from < files; from += batch) {
            int to = Math.min(files - 1, from + batch - 1);
            int first = from;
            jdbi.useTransaction(h -> {
                var b = h.prepareBatch(sql);
                for (int n = first; n <= to; n++) b.bind("n", n).bind("template", template).add();
                b.execute();
            });
        }
    }

    static Memory memoryNow() {
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new Memory(heap.getUsed() / 1048576.0, heap.getCommitted() / 1048576.0, rssMb());
    }

    /** VmRSS of this process from /proc/self/status (Linux); NaN elsewhere. */
    private static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** The parent's side: the child process, its {@link Ready} line, and memory on request. */
    static final class Handle implements AutoCloseable {
        private final Process process;
        private final BufferedReader answers;
        private final Writer commands;
        final Ready ready;

        private Handle(Process process) throws IOException {
            this.process = process;
            this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            String[] words = answer("ready");
            this.ready = new Ready(words[0], words[1], Double.parseDouble(words[2]), Double.parseDouble(words[3]));
        }

        /**
         * Starts {@code java <this JVM's options> [-Xmx<heap>] -cp <this class path> ApiServer files}; the child's
         * stderr is ours. The later {@code -Xmx} wins over one in this JVM's options.
         */
        static Handle start(int files, Optional<String> heap) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            heap.ifPresent(size -> command.add("-Xmx" + size));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ApiServer.class.getName(),
                    Integer.toString(files)));
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                return new Handle(process);
            } catch (IOException | RuntimeException e) {
                process.destroyForcibly();
                throw e;
            }
        }

        /** The server's memory now ({@code gc=false}) or after three full collections. */
        synchronized Memory memory(boolean gc) {
            try {
                commands.write(gc ? "gc\n" : "memory\n");
                commands.flush();
                String[] words = answer("memory");
                return new Memory(Double.parseDouble(words[0]), Double.parseDouble(words[1]), Double.parseDouble(words[2]));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The words after {@code PREFIX kind} of the child's next answer line. */
        private String[] answer(String kind) throws IOException {
            String line = answers.readLine();
            if (line == null) throw new IOException("the API server process ended" + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")"));
            String start = PREFIX + kind + " ";
            if (!line.startsWith(start)) throw new IOException("unexpected line from the API server process: " + line);
            return line.substring(start.length()).split(" ");
        }

        @Override
        public void close() {
            try {
                commands.write("quit\n");
                commands.flush();
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
