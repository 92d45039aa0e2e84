package io.catchment.files;

import io.catchment.json.Json;
import io.catchment.store.Page;
import io.catchment.store.SortDirection;
import io.catchment.store.SqlWhere;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Reading stored chunks page by page, always within one customer's files. */
public final class ChunkStore {
    /** {@code /text_chunks} ordering. */
    public enum ChunkOrder implements io.catchment.json.WireNamed {
        CREATED_AT("f.created_at"), UPDATED_AT("f.updated_at"), CHUNK_INDEX("c.chunk_index");

        private final String column;

        ChunkOrder(String column) {
            this.column = column;
        }

        @Override
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Jdbi jdbi;

    public ChunkStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** One file's chunks ({@code /text_chunks}), optionally only those of one embedding model. */
    public ChunkPage ofFile(long customerId, long fileId, Optional<String> model, ChunkOrder order, SortDirection dir,
                            Page page, boolean withVectors) {
        SqlWhere w = new SqlWhere();
        w.and("f.customer_id = " + w.param(customerId)).and("c.file_id = " + w.param(fileId));
        model.ifPresent(m -> w.and("c.embedding_model = " + w.param(m)));
        String orderBy = order.column + " " + dir.sql() + ", c.chunk_index " + dir.sql();
        return page(w, orderBy, page, withVectors);
    }

    /** Chunks of every file matching the filters ({@code /list_chunks_and_embeddings}). */
    public ChunkPage ofFiles(long customerId, FileFilters filters, FileQuery.OrderBy order, SortDirection dir, Page page,
                             boolean withVectors) {
        SqlWhere w = FileFilterSql.where(customerId, filters);
        String orderBy = "f." + order.column() + " " + dir.sql() + ", c.file_id " + dir.sql() + ", c.chunk_index ASC";
        return page(w, orderBy, page, withVectors);
    }

    private ChunkPage page(SqlWhere w, String orderBy, Page page, boolean withVectors) {
        String from = " FROM file_chunks c JOIN files f ON f.id = c.file_id WHERE " + w.sql();
        return jdbi.withHandle(h -> {
            List<StoredChunk> rows = h.createQuery("SELECT c.*" + from + " ORDER BY " + orderBy
                            + " LIMIT " + page.limit() + " OFFSET " + page.offset())
                    .bindMap(w.params()).map((rs, ctx) -> map(rs, withVectors)).list();
            long count = h.createQuery("SELECT COUNT(*)" + from).bindMap(w.params()).mapTo(Long.class).one();
            return new ChunkPage(rows, count);
        });
    }

    static StoredChunk map(ResultSet rs, boolean withVectors) throws SQLException {
        byte[] e = withVectors ? rs.getBytes("embedding") : null;
        return new StoredChunk(rs.getLong("file_id"), new ChunkRow(rs.getInt("chunk_index"), rs.getString("content"),
                rs.getInt("tokens"), Json.toMap(Json.readObject(rs.getString("metadata"))),
                Optional.ofNullable(rs.getString("embedding_model")), Optional.ofNullable(e).map(Vectors::fromBytes)));
    }
}
