package io.catchment.server.files;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.connector.DataSourceType;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.files.FileFilters;
import io.catchment.files.FileStatus;
import io.catchment.files.TagFilter;
import io.catchment.server.http.BodyReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads Carbon's {@code OrganizationUserFilesToSyncFilters}, tags_v2 included. */
public final class FileFiltersReader {
    private FileFiltersReader() {}

    /** tags_v2, or else the deprecated flat tags map, from the current object. */
    public static Optional<TagFilter> tags(BodyReader b) {
        return b.raw("tags_v2").map(v -> TagFilterReader.read(b, "tags_v2", v))
                .or(() -> b.raw("tags").map(v -> TagFilterReader.flat(b, "tags", v)));
    }

    /**
     * A {@code field} holding a tag filter in either shape: Carbon's tags_v2 blocks
     * ({@code {"AND"|"OR": [...]}}), or a flat
     * {@code {key: value}} map (every key must have its value).
     */
    public static Optional<TagFilter> tagFilter(BodyReader b, String field) {
        return b.raw(field).map(v -> v.isObject() && (v.has("AND") || v.has("OR"))
                ? TagFilterReader.read(b, field, v) : TagFilterReader.flat(b, field, v));
    }

    public static FileFilters field(BodyReader b) {
        return b.nullableObject("filters", FileFiltersReader::read, FileFilters.NONE);
    }

    static FileFilters read(BodyReader b) {
        Optional<TagFilter> tags = tags(b);
        return new FileFilters(
                sources(b),
                b.optionalString("name"),
                tags,
                b.optionalLongList("ids").orElse(List.of()),
                b.optionalStringList("external_file_ids", 10_000).orElse(List.of()),
                enums(b, "sync_statuses", FileStatus.class).stream().map(FileStatus::valueOf).toList(),
                b.optionalLongList("parent_file_ids").orElse(List.of()),
                b.optionalLongList("organization_user_data_source_id").orElse(List.of()),
                enums(b, "embedding_generators", EmbeddingGenerator.class),
                b.raw("root_files_only").isPresent() && b.bool("root_files_only", false),
                b.bool("include_all_children", false),
                b.bool("non_synced_only", false),
                b.optionalStringList("request_ids", 10_000).orElse(List.of()),
                b.optionalStringList("upload_ids", 10_000).orElse(List.of()),
                b.optionalString("sync_error_message"),
                b.optionalStringList("external_urls", 10_000).orElse(List.of()));
    }

    /** {@code source}: one DataSourceType or a list of them. */
    private static List<String> sources(BodyReader b) {
        Optional<JsonNode> raw = b.raw("source");
        if (raw.isEmpty()) return List.of();
        if (raw.get().isTextual()) return List.of(b.enumValue("source", DataSourceType.class, DataSourceType.TEXT).name());
        return enums(b, "source", DataSourceType.class);
    }

    /** A list of enum names; each unknown value is a 422 at its index. */
    static <E extends Enum<E>> List<String> enums(BodyReader b, String field, Class<E> type) {
        List<String> values = b.optionalStringList(field, 1000).orElse(List.of());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            boolean known = false;
            for (E c : type.getEnumConstants()) known |= c.name().equals(v);
            if (known) out.add(v);
            else b.problem(field, "Input should be a valid " + type.getSimpleName() + " value, not '" + v + "' (item " + i + ")",
                    "enum", io.catchment.json.Json.tree(v), null);
        }
        return out;
    }
}
