package io.catchment.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.connector.DataSourceType;
import io.catchment.server.http.BodyReader;
import io.catchment.tenancy.AutoSyncSources;
import io.catchment.tenancy.UserConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Reads Carbon's {@code UserConfiguration} fields (shared by /update_users and /organization/update). */
final class UserConfigurationReader {
    private static final Set<Integer> INTERVALS = Set.of(-1, 3, 6, 12, 24);

    private UserConfigurationReader() {}

    static UserConfiguration read(BodyReader b) {
        Optional<AutoSyncSources> sources = b.raw("auto_sync_enabled_sources").flatMap(v -> sources(b, v));
        OptionalInt interval = b.optionalInt("auto_sync_interval", -1);
        if (interval.isPresent() && !INTERVALS.contains(interval.getAsInt())) {
            interval = b.problem("auto_sync_interval", "Input should be -1, 3, 6, 12 or 24", "literal_error",
                    b.raw("auto_sync_interval").orElseThrow(), OptionalInt.empty());
        }
        return new UserConfiguration(sources,
                b.optionalInt("max_files", -1),
                b.optionalInt("max_files_per_upload", -1),
                b.optionalInt("max_characters", -1),
                b.optionalInt("max_characters_per_file", -1),
                b.optionalInt("max_characters_per_upload", -1),
                interval);
    }

    private static Optional<AutoSyncSources> sources(BodyReader b, JsonNode v) {
        if (v.isTextual() && v.textValue().equals("ALL")) return Optional.of(AutoSyncSources.ALL);
        if (!v.isArray()) {
            return b.problem("auto_sync_enabled_sources", "Input should be a list of data source types or 'ALL'",
                    "union_tag_invalid", v, Optional.empty());
        }
        List<String> types = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode t = v.get(i);
            if (t.isTextual() && isDataSourceType(t.textValue())) {
                if (!types.contains(t.textValue())) types.add(t.textValue());
            } else {
                b.problem("auto_sync_enabled_sources", "Input should be a data source type such as 'GOOGLE_DRIVE' (item "
                        + i + ")", "enum", t, null);
            }
        }
        return Optional.of(new AutoSyncSources.Only(types));
    }

    static boolean isDataSourceType(String value) {
        for (DataSourceType t : DataSourceType.values()) if (t.name().equals(value)) return true;
        return false;
    }
}
