package io.catchment.files;

import io.catchment.json.Json;
import io.catchment.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalLong;

/** Maps a {@code files} row to a {@link StoredFile}. */
final class FileRows {
    private FileRows() {}

    static StoredFile map(ResultSet rs) throws SQLException {
        return new StoredFile(
                rs.getLong("id"),
                rs.getLong("organization_id"),
                rs.getLong("customer_id"),
                optionalLong(rs, "data_source_id"),
                rs.getString("source"),
                rs.getString("external_file_id"),
                Optional.ofNullable(rs.getString("external_url")),
                rs.getString("name"),
                optionalLong(rs, "parent_id"),
                Optional.ofNullable(rs.getString("file_format")),
                FileStatus.valueOf(rs.getString("sync_status")),
                Optional.ofNullable(rs.getString("sync_error_message")),
                Rows.optionalInstant(rs, "last_sync"),
                Json.readObject(rs.getString("tags")),
                Json.readObject(rs.getString("file_metadata")),
                Json.mapper().convertValue(Json.readObject(rs.getString("options")), IngestOptions.class),
                Optional.ofNullable(rs.getString("embedding_model")),
                Optional.ofNullable(rs.getString("raw_blob")),
                Optional.ofNullable(rs.getString("parsed_blob")),
                new FileStatistics(Optional.ofNullable(rs.getString("file_format")), optionalLong(rs, "file_size"),
                        optionalLong(rs, "num_characters"), optionalLong(rs, "num_tokens"),
                        optionalLong(rs, "num_embeddings"), Optional.ofNullable(rs.getString("mime_type"))),
                Optional.ofNullable(rs.getString("request_id")),
                Optional.ofNullable(rs.getString("upload_id")),
                rs.getInt("attempts"),
                rs.getLong("generation"),
                rs.getLong("indexed_generation"),
                rs.getBoolean("contents_deleted"),
                Rows.optionalInstant(rs, "source_created_at"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }

    private static OptionalLong optionalLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
    }
}
