package io.catchment.bench;

import io.catchment.search.ChunkIndex;
import io.catchment.search.ChunkQuery;
import io.catchment.search.LuceneChunkIndex;
import io.catchment.search.PgvectorChunkIndex;
import io.catchment.store.Database;
import io.catchment.store.DatabaseSettings;
import io.catchment.testing.postgres.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;

/** A chunk index under test plus what the benchmark reports about it besides timings. */
abstract class Backend implements AutoCloseable {
    abstract String title();

    abstract ChunkIndex index();

    /** Runs once after loading (e.g. the statistics a production database would have); returns notes. */
    List<String> afterLoad() {
        return List.of();
    }

    /** Notes on how the backend runs the two semantic queries (query plans), if it can tell. */
    List<String> explain(ChunkQuery semantic, ChunkQuery filtered, ChunkQuery exact) {
        return List.of();
    }

    /** Qualifies the load's JVM CPU figure (e.g. work done in another process). */
    String cpuNote() {
        return "";
    }

    @Override
    public abstract void close();

    static Backend open(String name) {
        return switch (name) {
            case "lucene" -> new Lucene();
            case "pgvector" -> new Pgvector();
            default -> throw new IllegalArgumentException("Unknown backend " + name + " (lucene or pgvector)");
        };
    }

    /** {@link LuceneChunkIndex} in a fresh temporary directory, deleted afterwards. */
    static final class Lucene extends Backend {
        private final Path dir;
        private final LuceneChunkIndex index;

        Lucene() {
            try {
                dir = Files.createTempDirectory("catchment-bench-lucene-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            index = new LuceneChunkIndex(dir);
        }

        @Override
        String title() {
            return "Lucene (embedded)";
        }

        @Override
        ChunkIndex index() {
            return index;
        }

        @Override
        List<String> afterLoad() {
            // The last commit as a separate reader sees it (the writer stays open): segments and size.
            try (var directory = FSDirectory.open(dir); var reader = DirectoryReader.open(directory)) {
                return List.of(String.format(Locale.ROOT, "Index after load: %d segments, %.0f MB on disk"
                        + " (Lucene's default merge policy; no force-merge).", reader.leaves().size(), sizeMb(dir)));
            } catch (IOException e) {
                return List.of("Index size unknown: " + e.getMessage());
            }
        }

        @Override
        public void close() {
            index.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                SearchBench.progress("could not delete %s: %s", dir, e);
            }
        }

        private static double sizeMb(Path dir) throws IOException {
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() / (1024.0 * 1024);
            }
        }
    }

    /** {@link PgvectorChunkIndex} in a fresh database of the throwaway PostgreSQL 15 + pgvector on loopback. */
    static final class Pgvector extends Backend {
        private final Database database;
        private final PgvectorChunkIndex index;

        Pgvector() {
            long t0 = System.nanoTime();
            PostgresServer server = PostgresServer.shared();
            String url = server.newDatabase("bench");
            database = Database.open(new DatabaseSettings(url, server.user(), "", 8));
            index = new PgvectorChunkIndex(database);
            SearchBench.progress("pgvector: PostgreSQL ready and migrated in %.1f s", SearchBench.seconds(System.nanoTime() - t0));
        }

        @Override
        String title() {
            return "pgvector (PostgreSQL 15)";
        }

        @Override
        ChunkIndex index() {
            return index;
        }

        @Override
        List<String> afterLoad() {
            // Autovacuum would analyze the table soon after a bulk load; do it now so the planner
            // sees the steady state rather than an empty table's statistics.
            long t0 = System.nanoTime();
            database.jdbi().useHandle(h -> h.execute("ANALYZE chunk_index"));
            double analyze = SearchBench.seconds(System.nanoTime() - t0);
            String sizes = database.jdbi().withHandle(h -> h.createQuery("""
                    SELECT pg_size_pretty(pg_total_relation_size('chunk_index')) || ' in all, HNSW index '
                           || pg_size_pretty(pg_relation_size('chunk_index_hnsw_all_minilm_l6_v2'))""")
                    .mapTo(String.class).one());
            String version = database.jdbi().withHandle(h -> h.createQuery(
                    "SELECT current_setting('server_version') || ', pgvector ' || extversion FROM pg_extension WHERE extname = 'vector'")
                    .mapTo(String.class).one());
            return List.of(String.format(Locale.ROOT, "PostgreSQL %s on loopback (fsync=off, synchronous_commit=off: the"
                    + " test harness's settings); `ANALYZE chunk_index` after load took %.1f s. Table: %s.",
                    version, analyze, sizes));
        }

        @Override
        String cpuNote() {
            return ", not counting the PostgreSQL server processes";
        }

        @Override
        List<String> explain(ChunkQuery semantic, ChunkQuery filtered, ChunkQuery exact) {
            List<String> notes = new ArrayList<>();
            try {
                // Package-private helper of the index (for tests); optional, so looked up reflectively.
                Method m = PgvectorChunkIndex.class.getDeclaredMethod("explainSemantic", ChunkQuery.class);
                m.setAccessible(true);
                notes.add("Plan of (a): " + summarize((String) m.invoke(index, semantic)));
                notes.add("Plan of (b): " + summarize((String) m.invoke(index, filtered)));
                notes.add("Plan of (a) with exact=true: " + summarize((String) m.invoke(index, exact)));
            } catch (NoSuchMethodException | IllegalAccessException | RuntimeException e) {
                SearchBench.progress("pgvector: no query plan (%s)", e);
            } catch (InvocationTargetException e) {
                SearchBench.progress("pgvector: no query plan (%s)", e.getCause());
            }
            return notes;
        }

        /** The plan's node names, outermost first, without costs. */
        private static String summarize(String plan) {
            List<String> nodes = new ArrayList<>();
            for (String line : plan.lines().toList()) {
                String node = line.strip();
                if (node.startsWith("->")) node = node.substring(2).strip();
                int cost = node.indexOf("  (cost=");
                if (cost >= 0) node = node.substring(0, cost);
                else if (node.contains("(cost=")) node = node.substring(0, node.indexOf("(cost=")).strip();
                else continue; // a condition line (Filter, Index Cond, ...), not a node
                nodes.add(node);
            }
            return "`" + String.join(" → ", nodes) + "`";
        }

        @Override
        public void close() {
            index.close();
            database.close();
        }
    }
}
