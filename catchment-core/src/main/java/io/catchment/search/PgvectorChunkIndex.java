package io.catchment.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.catchment.json.Json;
import io.catchment.store.Database;
import io.catchment.store.DatabaseVendor;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The scale-out chunk index: the {@code chunk_index} table in PostgreSQL with pgvector (created by
 * the PostgreSQL V5 migration), shared by every process of a deployment. Each write is one
 * transaction, committed before it returns, so every process sees it at once.
 *
 * <p><b>Semantic</b> search orders by the negated inner product ({@code <#>}); stored and query
 * vectors are unit length (see {@link UnitVectors}), so the score, {@code -(a <#> b)}, is the
 * cosine similarity. When the model has an HNSW index (see {@link PgHnswIndex}: every
 * {@link io.catchment.embed.EmbeddingGenerator} up to 4000 dimensions) the query repeats its
 * expression and predicate so the planner can walk the graph, with pgvector's iterative scan
 * ({@code hnsw.iterative_scan = relaxed_order}) so the tenant and file filters, applied after the
 * graph, still leave {@code k} rows; candidates are re-ranked by their exact distance.
 * {@link ChunkQuery#exact()} orders by the plain {@code embedding <#> query} instead, an
 * expression no HNSW index serves, so the planner cannot use one (it may still use the tenant's
 * b-tree to find the rows it scores). Models without an index (SOLAR_1_MINI, 4096 dimensions, and
 * names outside the enum) are always searched exactly.
 *
 * <p><b>Keyword</b> search matches any of the query's words against the stored {@code tsvector}
 * ({@code to_tsvector('simple', lower(... COLLATE "und-x-icu"))}: lower-cased in every script,
 * unstemmed, no stop words, like the Lucene analyzer; PostgreSQL's parser splits words a little
 * differently, e.g. it keeps {@code a/b/c} paths, URLs and e-mail addresses whole). Chunks are
 * ranked by {@code ts_rank} normalized by length (flag 1): more occurrences and more distinct
 * query words rank higher, longer chunks lower; there is no IDF. The query text is never parsed
 * as tsquery syntax, so no input can fail. Keyword search finds chunks of the query's model and
 * chunks stored without a vector.
 *
 * <p><b>Hybrid</b> fuses both candidate lists with {@link Fusion#fuse}, both read from one
 * snapshot.
 */
public final class PgvectorChunkIndex implements ChunkIndex {
    private static final TypeReference<Map<String, Object>> METADATA_TYPE = new TypeReference<>() {};
    /** Key space ("CHNK") of the advisory locks that serialize writers of the same file. */
    private static final int LOCK_CLASS = 0x43484E4B;
    /**
     * The graph's candidate list ({@code hnsw.ef_search}): twice the rows asked for, at least 100,
     * at most pgvector's limit of 1000 (the iterative scan goes on past it). Measured recall@10
     * with 100: all of it on 6000 384-dimension vectors clustered by file as real chunks are;
     * on uniformly random vectors, the worst case, 100% of 2000 (pgvector's default of 40: 79%)
     * but 74% of 6000 (200: 90%).
     */
    private static final int MIN_EF_SEARCH = 100;
    private static final int MAX_EF_SEARCH = 1000;

    /** Inner queries select the raw vector; only the final top rows are turned into text (see {@link #top}). */
    private static final String COLUMNS = "file_id, chunk_index, content, metadata, embedding";

    /**
     * A tsquery matching any word of {@code :text}: the words as {@code to_tsvector('simple')}
     * normalizes them (as the stored content was), each quoted as a tsquery literal and joined
     * with {@code |} (chr(39) is the quote, chr(92) the backslash). Nothing of the user's text is
     * read as operators.
     */
    private static final String ANY_WORD_QUERY = """
            (SELECT COALESCE(string_agg(chr(39) || replace(replace(word, chr(92), chr(92) || chr(92)), chr(39), chr(39) || chr(39))
                                        || chr(39), ' | '), '')::tsquery
               FROM unnest(tsvector_to_array(to_tsvector('simple', lower(CAST(:text AS text) COLLATE "und-x-icu")))) AS word)""";

    private final Jdbi jdbi;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** The index in {@code database}, which must be PostgreSQL (migrated, so the table exists). */
    public PgvectorChunkIndex(Database database) {
        this(requirePostgres(database).jdbi());
    }

    public PgvectorChunkIndex(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    private static Database requirePostgres(Database database) {
        if (database.vendor() != DatabaseVendor.POSTGRESQL) {
            throw new IllegalArgumentException("The pgvector chunk index needs PostgreSQL, not " + database.vendor());
        }
        return database;
    }

    @Override
    public void replaceFile(long fileId, List<IndexedChunk> chunks) {
        List<Row> rows = new ArrayList<>(chunks.size());
        for (IndexedChunk chunk : chunks) rows.add(Row.of(fileId, chunk));
        open();
        jdbi.useTransaction(h -> {
            // Two replacements of one file would otherwise both delete the old rows and then
            // collide inserting their new ones; the lock makes the second wait for the first.
            h.createQuery("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(:class, :key)) AS locked")
                    .bind("class", LOCK_CLASS).bind("key", Long.hashCode(fileId)).mapTo(Integer.class).one();
            h.createUpdate("DELETE FROM chunk_index WHERE file_id = :file").bind("file", fileId).execute();
            if (rows.isEmpty()) return;
            var batch = h.prepareBatch("""
                    INSERT INTO chunk_index (file_id, chunk_index, organization_id, customer_id, content, metadata,
                                             embedding_model, embedding)
                    VALUES (:file, :chunk, :org, :customer, :content, :metadata, :model, CAST(:embedding AS vector))""");
            for (Row row : rows) {
                batch.bind("file", fileId).bind("chunk", row.chunk().chunkIndex())
                        .bind("org", row.chunk().organizationId()).bind("customer", row.chunk().customerId())
                        .bind("content", row.chunk().text()).bind("metadata", row.metadata())
                        .bind("model", row.chunk().embeddingModel().orElse(null))
                        .bind("embedding", row.embedding())
                        .add();
            }
            batch.execute();
        });
    }

    @Override
    public void deleteFiles(Collection<Long> fileIds) {
        if (fileIds.isEmpty()) return;
        open();
        long[] ids = fileIds.stream().mapToLong(Long::longValue).distinct().toArray();
        // No file lock needed: a concurrent replacement either commits first (and is deleted) or
        // waits on the rows deleted here and then inserts its own, as if it had come after.
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM chunk_index WHERE file_id = ANY(:ids)")
                .bind("ids", ids).execute());
    }

    @Override
    public int countForFile(long fileId) {
        open();
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM chunk_index WHERE file_id = :file")
                .bind("file", fileId).mapTo(Integer.class).one());
    }

    @Override
    public List<ChunkHit> search(ChunkQuery query) {
        open();
        if (query.fileIds().map(Set::isEmpty).orElse(false)) return List.of();
        // Repeatable read: hybrid's two queries see the same snapshot (read-only, so it never fails).
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> switch (query.retrieval()) {
            case Retrieval.Semantic s -> semantic(h, query, query.k());
            case Retrieval.Keyword kw -> keyword(h, query, query.k());
            case Retrieval.Hybrid(double semanticWeight, double keywordWeight) -> {
                int candidates = Fusion.candidates(query.k());
                yield Fusion.fuse(semantic(h, query, candidates), keyword(h, query, candidates),
                        semanticWeight, keywordWeight, query.k());
            }
        });
    }

    /** Removes every chunk of every tenant. */
    @Override
    public void clear() {
        open();
        jdbi.useHandle(h -> h.execute("TRUNCATE chunk_index"));
    }

    /** Nothing to release (the {@link Database} belongs to the caller); later calls fail. */
    @Override
    public void close() {
        closed.set(true);
    }

    /**
     * The plan PostgreSQL picks for the query's semantic part, under the settings search uses, then
     * those settings as {@code name = value} lines (for tests).
     */
    String explainSemantic(ChunkQuery query) {
        open();
        return jdbi.inTransaction(h -> {
            SemanticSql sql = semanticSql(h, query, query.k());
            List<String> lines = new ArrayList<>(bindSemantic(h.createQuery("EXPLAIN " + sql.text()), sql, query)
                    .mapTo(String.class).list());
            for (String setting : List.of("hnsw.iterative_scan", "hnsw.ef_search")) {
                String value = h.createQuery("SELECT current_setting(:name, true)").bind("name", setting)
                        .mapTo(String.class).findOne().orElse(null);
                lines.add(setting + " = " + value);
            }
            return String.join("\n", lines);
        });
    }

    private List<ChunkHit> semantic(Handle h, ChunkQuery query, int limit) {
        SemanticSql sql = semanticSql(h, query, limit);
        List<ChunkHit> hits = new ArrayList<>(bindSemantic(h.createQuery(sql.text()), sql, query)
                .map((rs, ctx) -> hit(rs)).list());
        // The graph returns candidates in roughly relaxed order; rank them by exact similarity.
        hits.sort(BEST_FIRST);
        return hits;
    }

    /** A semantic SELECT; {@code indexed}: written for a model's HNSW index (model and dimension inlined). */
    private record SemanticSql(String text, int limit, boolean indexed) {}

    /** The semantic SELECT; for the approximate path, also applies its session settings. */
    private static SemanticSql semanticSql(Handle h, ChunkQuery query, int limit) {
        int dimensions = query.vector().orElseThrow().length;
        Optional<PgHnswIndex> index = query.exact() ? Optional.empty() : PgHnswIndex.of(query.embeddingModel(), dimensions);
        String tenant = tenantFilter(query);
        String score = "-(embedding <#> CAST(:query AS vector))";
        if (index.isPresent()) {
            int efSearch = Math.min(MAX_EF_SEARCH, Math.max(MIN_EF_SEARCH, 2 * limit));
            h.execute("SET LOCAL hnsw.iterative_scan = relaxed_order");
            h.execute("SET LOCAL hnsw.ef_search = " + efSearch);
            return new SemanticSql(top("SELECT " + COLUMNS + ", " + score + " AS score FROM chunk_index"
                    + " WHERE " + index.get().predicate() + " AND " + tenant
                    + " ORDER BY " + index.get().distance("query") + " LIMIT :limit"), limit, true);
        }
        return new SemanticSql(top("SELECT " + COLUMNS + ", " + score + " AS score FROM chunk_index"
                + " WHERE embedding_model = :model AND vector_dims(embedding) = :dimensions AND " + tenant
                + " ORDER BY score DESC, file_id, chunk_index LIMIT :limit"), limit, false);
    }

    private static Query bindSemantic(Query q, SemanticSql sql, ChunkQuery query) {
        float[] vector = UnitVectors.unitLength(query.vector().orElseThrow());
        q.bind("query", PgVectors.literal(vector)).bind("limit", sql.limit());
        if (!sql.indexed()) q.bind("model", query.embeddingModel()).bind("dimensions", vector.length);
        return bindTenant(q, query);
    }

    private static List<ChunkHit> keyword(Handle h, ChunkQuery query, int limit) {
        String sql = top("SELECT " + COLUMNS + ", ts_rank(content_tsv, words.query, 1) AS score"
                + " FROM chunk_index, " + ANY_WORD_QUERY + " AS words(query)"
                + " WHERE content_tsv @@ words.query AND " + tenantFilter(query)
                + " AND (embedding_model = :model OR embedding IS NULL)"
                + " ORDER BY score DESC, file_id, chunk_index LIMIT :limit");
        Query q = h.createQuery(sql)
                .bind("text", query.text().orElseThrow().replace((char) 0, ' ')) // PostgreSQL text cannot hold NUL
                .bind("model", query.embeddingModel())
                .bind("limit", limit);
        return bindTenant(q, query).map((rs, ctx) -> hit(rs)).list();
    }

    /**
     * Wraps a ranked, limited query so that only its result rows have their vector turned into
     * text; converting every candidate's vector made searches several times slower.
     */
    private static String top(String ranked) {
        return "SELECT file_id, chunk_index, content, metadata, embedding::text AS embedding, score FROM (" + ranked
                + ") AS ranked ORDER BY score DESC, file_id, chunk_index";
    }

    private static String tenantFilter(ChunkQuery query) {
        return "organization_id = :org AND customer_id = :customer"
                + (query.fileIds().isPresent() ? " AND file_id = ANY(:files)" : "");
    }

    private static Query bindTenant(Query q, ChunkQuery query) {
        q.bind("org", query.organizationId()).bind("customer", query.customerId());
        query.fileIds().ifPresent(ids -> q.bind("files", ids.stream().mapToLong(Long::longValue).toArray()));
        return q;
    }

    private static final Comparator<ChunkHit> BEST_FIRST = Comparator.comparingDouble(ChunkHit::score).reversed()
            .thenComparingLong(ChunkHit::fileId).thenComparingInt(ChunkHit::chunkIndex);

    private static ChunkHit hit(ResultSet rs) throws SQLException {
        String embedding = rs.getString("embedding");
        return new ChunkHit(rs.getLong("file_id"), rs.getInt("chunk_index"), rs.getString("content"),
                metadata(rs.getString("metadata")),
                embedding == null ? Optional.empty() : Optional.of(PgVectors.parse(embedding)),
                rs.getDouble("score"));
    }

    private static Map<String, Object> metadata(String json) {
        try {
            return Json.mapper().readValue(json, METADATA_TYPE);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Stored chunk metadata is not a JSON object", e);
        }
    }

    private void open() {
        if (closed.get()) throw new IllegalStateException("The chunk index is closed");
    }

    /** A chunk checked and converted for its row: metadata as JSON, the unit vector as pgvector text. */
    private record Row(IndexedChunk chunk, String metadata, String embedding) {
        static Row of(long fileId, IndexedChunk chunk) {
            if (chunk.fileId() != fileId) {
                throw new IllegalArgumentException("Chunk of file " + chunk.fileId() + " passed to replace file " + fileId);
            }
            Objects.requireNonNull(chunk.text(), "chunk text");
            String embedding = null;
            if (chunk.vector().isPresent()) {
                if (chunk.embeddingModel().map(String::isBlank).orElse(true)) {
                    throw new IllegalArgumentException("Chunk " + chunk.chunkIndex() + " of file " + fileId
                            + " has a vector but no embedding model");
                }
                embedding = PgVectors.literal(UnitVectors.unitLength(chunk.vector().get()));
            }
            return new Row(chunk, Json.write(chunk.metadata()), embedding);
        }
    }
}
