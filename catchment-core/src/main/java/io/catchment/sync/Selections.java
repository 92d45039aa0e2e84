package io.catchment.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.files.IngestOptions;
import io.catchment.json.Json;
import io.catchment.store.Rows;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** What the user picked to sync ({@code sync_selections}): an item (a folder means everything below it) and its settings. */
public final class Selections {
    private final Jdbi jdbi;
    private final Clock clock;

    public Selections(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public void select(long dataSourceId, Iterable<String> externalIds, SyncSettings settings) {
        String json = Json.write(toJson(settings));
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch("""
                    MERGE INTO sync_selections t
                    USING (VALUES (CAST(:ds AS BIGINT), CAST(:ext AS VARCHAR))) AS s (data_source_id, external_id)
                    ON t.data_source_id = s.data_source_id AND t.external_id = s.external_id
                    WHEN MATCHED THEN UPDATE SET settings = :settings, requested = TRUE
                    WHEN NOT MATCHED THEN INSERT (data_source_id, external_id, settings, requested, created_at)
                        VALUES (s.data_source_id, s.external_id, :settings, TRUE, :now)""");
            for (String id : externalIds) {
                batch.bind("ds", dataSourceId).bind("ext", id).bind("settings", json)
                        .bind("now", Rows.timestamp(clock.instant())).add();
            }
            batch.execute();
        });
    }

    /**
     * One pick. {@code requested}: files/sync asked for it since the last reconcile, which then
     * ingests its files again (all of them, or with incremental_sync the changed ones); auto-syncs
     * only follow changes at the source.
     */
    public record Selection(String externalId, SyncSettings settings, boolean requested) {}

    /** Every selection of the data source, newest first (a newer pick's settings win for files under both). */
    public Map<String, Selection> of(long dataSourceId) {
        Map<String, Selection> out = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT external_id, settings, requested FROM sync_selections "
                        + "WHERE data_source_id = :ds ORDER BY created_at DESC, external_id")
                .bind("ds", dataSourceId)
                .map((rs, ctx) -> new Selection(rs.getString("external_id"),
                        fromJson(Json.readObject(rs.getString("settings"))), rs.getBoolean("requested")))
                .forEach(sel -> out.put(sel.externalId(), sel)));
        return out;
    }

    /** The requested syncs were queued. */
    public void clearRequested(long dataSourceId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE sync_selections SET requested = FALSE WHERE data_source_id = :ds")
                .bind("ds", dataSourceId).execute());
    }

    public void forget(long dataSourceId, Iterable<String> externalIds) {
        jdbi.useHandle(h -> {
            for (String id : externalIds) {
                h.createUpdate("DELETE FROM sync_selections WHERE data_source_id = :ds AND external_id = :ext")
                        .bind("ds", dataSourceId).bind("ext", id).execute();
            }
        });
    }

    private static ObjectNode toJson(SyncSettings s) {
        ObjectNode n = Json.object();
        n.set("options", Json.mapper().valueToTree(s.options()));
        n.set("tags", s.tags());
        s.requestId().ifPresent(r -> n.put("request_id", r));
        n.put("incremental", s.incremental());
        return n;
    }

    private static SyncSettings fromJson(ObjectNode n) {
        return new SyncSettings(Json.mapper().convertValue(n.get("options"), IngestOptions.class),
                (ObjectNode) n.path("tags"), Optional.ofNullable(n.get("request_id")).map(r -> r.asText()),
                n.path("incremental").asBoolean(false));
    }
}
