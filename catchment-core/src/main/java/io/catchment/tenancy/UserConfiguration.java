package io.catchment.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Carbon's {@code UserConfiguration}: per-customer limits and auto-sync settings, also used as
 * organization-wide defaults. An empty field means "not set here"; -1 means "no limit".
 * Enforcement lives with the features that the limits concern.
 */
public record UserConfiguration(
        Optional<AutoSyncSources> autoSyncEnabledSources,
        OptionalInt maxFiles,
        OptionalInt maxFilesPerUpload,
        OptionalInt maxCharacters,
        OptionalInt maxCharactersPerFile,
        OptionalInt maxCharactersPerUpload,
        OptionalInt autoSyncInterval) {

    public static final UserConfiguration EMPTY = new UserConfiguration(Optional.empty(), OptionalInt.empty(),
            OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());

    /** The limit names in Carbon's wire spelling, in the order the spec lists them. */
    public static final List<String> LIMIT_KEYS = List.of("max_files", "max_files_per_upload", "max_characters",
            "max_characters_per_file", "max_characters_per_upload");

    /** Values set in {@code top} win; the rest come from this configuration. */
    public UserConfiguration overlay(UserConfiguration top) {
        return new UserConfiguration(
                top.autoSyncEnabledSources.or(() -> autoSyncEnabledSources),
                either(top.maxFiles, maxFiles),
                either(top.maxFilesPerUpload, maxFilesPerUpload),
                either(top.maxCharacters, maxCharacters),
                either(top.maxCharactersPerFile, maxCharactersPerFile),
                either(top.maxCharactersPerUpload, maxCharactersPerUpload),
                either(top.autoSyncInterval, autoSyncInterval));
    }

    public List<OptionalInt> limits() {
        return List.of(maxFiles, maxFilesPerUpload, maxCharacters, maxCharactersPerFile, maxCharactersPerUpload);
    }

    /** The wire form, with only the fields that are set. */
    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        autoSyncEnabledSources.ifPresent(sources -> {
            switch (sources) {
                case AutoSyncSources.All all -> node.put("auto_sync_enabled_sources", "ALL");
                case AutoSyncSources.Only only -> {
                    ArrayNode array = node.putArray("auto_sync_enabled_sources");
                    only.types().forEach(array::add);
                }
            }
        });
        List<OptionalInt> limits = limits();
        for (int i = 0; i < LIMIT_KEYS.size(); i++) {
            String key = LIMIT_KEYS.get(i);
            limits.get(i).ifPresent(v -> node.put(key, v));
        }
        autoSyncInterval.ifPresent(v -> node.put("auto_sync_interval", v));
        return node;
    }

    /** Reads the form written by {@link #toJson()}; values are trusted (validated on the way in). */
    public static UserConfiguration fromJson(JsonNode node) {
        Optional<AutoSyncSources> sources = Optional.empty();
        JsonNode s = node.path("auto_sync_enabled_sources");
        if (s.isTextual()) {
            sources = Optional.of(AutoSyncSources.ALL);
        } else if (s.isArray()) {
            List<String> types = new ArrayList<>();
            s.forEach(t -> types.add(t.asText()));
            sources = Optional.of(new AutoSyncSources.Only(types));
        }
        return new UserConfiguration(sources, intOf(node, "max_files"), intOf(node, "max_files_per_upload"),
                intOf(node, "max_characters"), intOf(node, "max_characters_per_file"),
                intOf(node, "max_characters_per_upload"), intOf(node, "auto_sync_interval"));
    }

    private static OptionalInt intOf(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v != null && v.isInt() ? OptionalInt.of(v.intValue()) : OptionalInt.empty();
    }

    private static OptionalInt either(OptionalInt first, OptionalInt second) {
        return first.isPresent() ? first : second;
    }
}
