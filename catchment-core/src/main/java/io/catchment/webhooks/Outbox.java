package io.catchment.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.catchment.json.Json;
import io.catchment.store.Rows;
import java.time.Clock;
import org.jdbi.v3.core.Handle;

/**
 * Where state changes write their events: inside the same transaction as the change, so an event
 * exists exactly when its change was committed (a crash loses neither, and never keeps one without
 * the other). The dispatcher delivers them later. Only organizations with a webhook get rows.
 */
public final class Outbox {
    private static final String ANY_WEBHOOK = "EXISTS (SELECT 1 FROM webhooks w WHERE w.organization_id = ";

    private final Clock clock;

    public Outbox(Clock clock) {
        this.clock = clock;
    }

    /** Records {@code event} in the caller's transaction. */
    public void record(Handle h, Event event) {
        h.createUpdate("""
                        INSERT INTO webhook_events (organization_id, customer_id, webhook_type, object, occurred_at)
                        SELECT c.organization_id, c.supplied_id, :type, :object, :now FROM customers c
                        WHERE c.id = :customer AND c.organization_id = :org AND\s""" + ANY_WEBHOOK + ":org)")
                .bind("type", event.type().name()).bind("object", Json.write(event.object()))
                .bind("now", now()).bind("customer", event.customerId()).bind("org", event.organizationId()).execute();
    }

    /** An event about one file (object FILE, its id), its organization and customer read from the file's row. */
    public void recordForFile(Handle h, WebhookType type, long fileId, JsonNode additional) {
        h.createUpdate("""
                        INSERT INTO webhook_events (organization_id, customer_id, webhook_type, object, occurred_at)
                        SELECT f.organization_id, c.supplied_id, :type, :object, :now
                        FROM files f JOIN customers c ON c.id = f.customer_id
                        WHERE f.id = :file AND\s""" + ANY_WEBHOOK + "f.organization_id)")
                .bind("type", type.name()).bind("object", Json.write(object(ObjectType.FILE, Json.tree(fileId), additional)))
                .bind("now", now()).bind("file", fileId).execute();
    }

    /** An event about one data source (object DATA_SOURCE, its id). */
    public void recordForDataSource(Handle h, WebhookType type, long dataSourceId, JsonNode additional) {
        h.createUpdate("""
                        INSERT INTO webhook_events (organization_id, customer_id, webhook_type, object, occurred_at)
                        SELECT d.organization_id, c.supplied_id, :type, :object, :now
                        FROM data_sources d JOIN customers c ON c.id = d.customer_id
                        WHERE d.id = :ds AND\s""" + ANY_WEBHOOK + "d.organization_id)")
                .bind("type", type.name())
                .bind("object", Json.write(object(ObjectType.DATA_SOURCE, Json.tree(dataSourceId), additional)))
                .bind("now", now()).bind("ds", dataSourceId).execute();
    }

    /**
     * Records {@code event} unless an event with {@code dedupeKey} exists: for what several
     * transactions may notice at once (the last file of a request finishing).
     */
    public void recordOnce(Handle h, Event event, String dedupeKey) {
        h.createUpdate("""
                        INSERT INTO webhook_events (organization_id, customer_id, webhook_type, object, occurred_at, dedupe_key)
                        SELECT c.organization_id, c.supplied_id, :type, :object, :now, :key FROM customers c
                        WHERE c.id = :customer AND c.organization_id = :org
                          AND NOT EXISTS (SELECT 1 FROM webhook_events e WHERE e.dedupe_key = :key)
                          AND\s""" + ANY_WEBHOOK + ":org)")
                .bind("type", event.type().name()).bind("object", Json.write(event.object())).bind("now", now())
                .bind("key", dedupeKey).bind("customer", event.customerId()).bind("org", event.organizationId()).execute();
    }

    /**
     * CHECKUP, for one webhook only (the one just added): a ping that tells its receiver the
     * endpoint and signature work. No customer, so {@code customer_id} is empty.
     */
    public void recordCheckup(Handle h, long organizationId, long webhookId) {
        long event = h.createUpdate("""
                        INSERT INTO webhook_events (organization_id, customer_id, webhook_type, object, occurred_at, fanned_out)
                        VALUES (:org, '', :type, :object, :now, TRUE)""")
                .bind("org", organizationId).bind("type", WebhookType.CHECKUP.name())
                .bind("object", Json.write(object(ObjectType.NONE, NullNode.getInstance(), NullNode.getInstance())))
                .bind("now", now()).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        h.createUpdate("""
                        INSERT INTO webhook_deliveries (event_id, webhook_id, status, attempts, next_attempt_at, created_at, updated_at)
                        VALUES (:event, :webhook, 'PENDING', 0, :now, :now, :now)""")
                .bind("event", event).bind("webhook", webhookId).bind("now", now()).execute();
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode object(ObjectType type, JsonNode id, JsonNode additional) {
        var o = Json.object();
        o.put("object_type", type.name());
        o.set("object_id", id);
        o.set("additional_information", additional);
        return o;
    }

    private java.time.OffsetDateTime now() {
        return Rows.timestamp(clock.instant());
    }
}
