package io.catchment.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway PostgreSQL 15 (with pgvector) shared by all tests of one JVM.
 *
 * <p>The first call to {@link #shared()} runs initdb into a fresh temporary directory and starts the
 * server on 127.0.0.1; a shutdown hook stops it and deletes the directory. Tests isolate themselves
 * by asking for their own database with {@link #newDatabase(String)}. Any problem is an
 * {@link IllegalStateException} that says what went wrong and how to fix it: tests never skip.
 */
public final class PostgresServer {
  private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);

  private static final String DEFAULT_BIN = "/usr/lib/postgresql/15/bin";
  private static final String BIN_ENV = "CATCHMENT_TEST_PG_BIN";
  private static final String USER = "postgres";
  private static final String FIX = "run .ci/install-deps";
  // Ports are probed upward from here and stay below the ephemeral range (32768–60999): a port in
  // that range can be taken by an outgoing connection at any moment ("Address already in use").
  private static final int FIRST_PORT = 15432;
  private static final int LAST_PORT = 32767;
  private static final int START_ATTEMPTS = 10;

  private static PostgresServer shared;
  private static IllegalStateException sharedFailure;

  private final Path bin;
  private final Path dir;
  private final Path data;
  private final boolean asPostgresUser;
  private final AtomicInteger databases = new AtomicInteger();
  private int port;

  /** Result of running one PostgreSQL program. */
  private record Exec(int exitCode, String output) {}

  /** The server of this JVM, started on first use. A failed start is remembered and rethrown. */
  public static synchronized PostgresServer shared() {
    if (sharedFailure != null) {
      throw new IllegalStateException(sharedFailure.getMessage(), sharedFailure);
    }
    if (shared == null) {
      try {
        shared = start();
      } catch (IllegalStateException e) {
        sharedFailure = e;
        throw e;
      }
    }
    return shared;
  }

  public String user() {
    return USER;
  }

  public int port() {
    return port;
  }

  /**
   * Creates an empty database with the vector extension, named after {@code prefix} plus a counter,
   * and returns its JDBC URL.
   */
  public String newDatabase(String prefix) {
    String clean = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    if (clean.isEmpty() || !Character.isLetter(clean.charAt(0))) {
      clean = "db_" + clean;
    }
    String suffix = "_" + databases.incrementAndGet();
    String name = clean.substring(0, Math.min(clean.length(), 63 - suffix.length())) + suffix;
    execute(jdbcUrl("postgres"), "CREATE DATABASE \"" + name + "\"");
    String url = jdbcUrl(name);
    execute(url, "CREATE EXTENSION IF NOT EXISTS vector");
    log.debug("Created database {}", name);
    return url;
  }

  private String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
  }

  private static PostgresServer start() {
    long t0 = System.nanoTime();
    String env = System.getenv(BIN_ENV);
    Path bin = Path.of(env == null || env.isBlank() ? DEFAULT_BIN : env);
    for (String program : List.of("initdb", "pg_ctl", "postgres")) {
      if (!Files.isExecutable(bin.resolve(program))) {
        throw new IllegalStateException("PostgreSQL 15 binaries not found at " + bin + " (no executable "
            + program + ") — " + FIX + ", or point " + BIN_ENV + " at a PostgreSQL 15 bin directory");
      }
    }
    try {
      Path dir = Files.createTempDirectory("catchment-pg-");
      // initdb refuses to run as root, so as root every program runs as the postgres OS user.
      boolean asRoot = "root".equals(System.getProperty("user.name"));
      PostgresServer server = new PostgresServer(bin, dir, asRoot);
      Runtime.getRuntime().addShutdownHook(new Thread(server::stopAndDelete, "catchment-pg-stop"));
      if (asRoot) {
        server.chownToPostgres();
      }
      server.checkVersionAndVector();
      server.initdb();
      server.startOnFreePort();
      server.probeVector();
      log.info("PostgreSQL 15 ready on 127.0.0.1:{} in {} ms (data in {})",
          server.port, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), dir);
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("Could not prepare a temporary PostgreSQL directory: " + e, e);
    }
  }

  private PostgresServer(Path bin, Path dir, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.asPostgresUser = asPostgresUser;
  }

  /** Fails early, before initdb, when the binaries are not 15 or pgvector's files are missing. */
  private void checkVersionAndVector() {
    Exec version = run(List.of(bin.resolve("postgres").toString(), "--version"));
    if (version.exitCode() != 0 || !version.output().contains("(PostgreSQL) 15.")) {
      throw new IllegalStateException("Expected PostgreSQL 15 at " + bin + " but `postgres --version` said: "
          + version.output().strip() + " — " + FIX + ", or point " + BIN_ENV + " at PostgreSQL 15");
    }
    if (Files.isExecutable(bin.resolve("pg_config"))) {
      String share = run(List.of(bin.resolve("pg_config").toString(), "--sharedir")).output().strip();
      Path control = Path.of(share, "extension", "vector.control");
      if (!Files.exists(control)) {
        throw new IllegalStateException("pgvector is not installed (" + control + " missing) — " + FIX);
      }
    }
  }

  private void chownToPostgres() throws IOException {
    try {
      UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
      Files.setOwner(dir, owner);
    } catch (UserPrincipalNotFoundException e) {
      throw new IllegalStateException("Running as root, but there is no '" + USER
          + "' OS user to run PostgreSQL as (initdb refuses root) — " + FIX, e);
    }
  }

  private void initdb() {
    // --no-sync: the data is thrown away, so skip the fsync of every file initdb writes.
    Exec result = run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
        "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"));
    if (result.exitCode() != 0) {
      throw new IllegalStateException("initdb failed (exit " + result.exitCode() + ") in " + data + ":\n"
          + tail(result.output()));
    }
  }

  /**
   * Starts the server on the first port that looks free. Another process can take a port between the
   * bind check and the start, so a bind failure moves on to the next port.
   */
  private void startOnFreePort() {
    int candidate = FIRST_PORT;
    String lastLog = "";
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      port = nextFreePort(candidate);
      candidate = port + 1;
      Path logFile = dir.resolve("server-" + port + ".log");
      String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='" + dir + "'"
          + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
      Exec result = run(List.of(bin.resolve("pg_ctl").toString(), "start", "-w", "-t", "60",
          "-D", data.toString(), "-l", logFile.toString(), "-o", options));
      if (result.exitCode() == 0) {
        return;
      }
      lastLog = tail(readQuietly(logFile) + "\n" + result.output());
      if (!lastLog.contains("already in use") && !lastLog.contains("could not bind")) {
        break; // not a port clash: retrying elsewhere would fail the same way
      }
      log.info("Port {} was taken while PostgreSQL started; trying the next one", port);
    }
    throw new IllegalStateException("PostgreSQL failed to start (last port tried " + port + ", data in "
        + data + "). End of the server log:\n" + lastLog);
  }

  private static int nextFreePort(int from) {
    for (int p = from; p <= LAST_PORT; p++) {
      try (ServerSocket socket = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
        return p;
      } catch (IOException taken) {
        // in use: try the next one
      }
    }
    throw new IllegalStateException("No free TCP port on 127.0.0.1 between " + from + " and " + LAST_PORT
        + " to start PostgreSQL on — stop some stray servers (ps aux | grep postgres)");
  }

  /** Proves pgvector loads in this server (the .control file alone does not prove the .so matches). */
  private void probeVector() {
    String url = jdbcUrl("postgres");
    execute(url, "CREATE DATABASE vector_probe");
    try (Connection c = DriverManager.getConnection(jdbcUrl("vector_probe")); Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION vector");
    } catch (SQLException e) {
      throw new IllegalStateException("pgvector is not usable in PostgreSQL 15 (CREATE EXTENSION vector failed: "
          + e.getMessage() + ") — " + FIX, e);
    }
    execute(url, "DROP DATABASE vector_probe WITH (FORCE)");
  }

  private static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("SQL failed on the test PostgreSQL (" + url + "): " + sql + ": "
          + e.getMessage(), e);
    }
  }

  /** Shutdown hook: stop without a checkpoint (the data is discarded anyway), then delete the files. */
  private void stopAndDelete() {
    if (Files.exists(data.resolve("postmaster.pid"))) {
      Exec stop = run(List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", data.toString(), "-m", "immediate",
          "-w"));
      if (stop.exitCode() != 0) {
        log.warn("pg_ctl stop failed: {}", stop.output().strip());
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      log.warn("Could not delete {}: {}", dir, e.toString());
    }
  }

  /** Runs a PostgreSQL program (as the postgres user when we are root) and collects its output. */
  private Exec run(List<String> command) {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      String runuser = Files.isExecutable(Path.of("/usr/sbin/runuser")) ? "/usr/sbin/runuser" : "runuser";
      full.addAll(List.of(runuser, "-u", USER, "--"));
    }
    full.addAll(command);
    try {
      // Working directory = our temp dir: the postgres user may not be allowed into the JVM's cwd.
      Process process = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
      process.getOutputStream().close();
      // pg_ctl start returns once the server is up; the server's own output goes to its log file,
      // so this stream ends when pg_ctl exits.
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Exec(-1, output + "\n(timed out after 120 s)");
      }
      return new Exec(process.exitValue(), output);
    } catch (IOException e) {
      return new Exec(-1, "could not run " + full + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Exec(-1, "interrupted while running " + full);
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(String text) {
    List<String> lines = text.strip().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
