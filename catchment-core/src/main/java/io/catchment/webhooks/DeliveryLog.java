package io.catchment.webhooks;

import io.catchment.store.Rows;
import io.catchment.store.SqlWhere;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Reads the delivery log of an organization's webhooks (what was sent, how it went). */
public final class DeliveryLog {
    private final Jdbi jdbi;

    public DeliveryLog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public DeliveryPage list(long organizationId, DeliveryQuery q) {
        SqlWhere filter = where(organizationId, q);
        SqlWhere paged = where(organizationId, q);
        if (q.page().startingId() > 0) {
            paged.and("d.id " + q.direction().afterCursor() + " " + paged.param(q.page().startingId()));
        }
        String from = " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id"
                + " JOIN webhook_events e ON e.id = d.event_id WHERE ";
        return jdbi.withHandle(h -> {
            List<Delivery> rows = h.createQuery("SELECT d.*, e.webhook_type, e.occurred_at" + from + paged.sql()
                            + " ORDER BY d.id " + q.direction().sql()
                            + " LIMIT " + q.page().limit() + " OFFSET " + q.page().offset())
                    .bindMap(paged.params()).map((rs, ctx) -> map(rs)).list();
            long count = h.createQuery("SELECT COUNT(*)" + from + filter.sql())
                    .bindMap(filter.params()).mapTo(Long.class).one();
            return new DeliveryPage(rows, count);
        });
    }

    /** Whether {@code webhookId} is one of the organization's webhooks (to tell 404 from "no deliveries"). */
    public boolean ownsWebhook(long organizationId, long webhookId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM webhooks WHERE id = :id AND organization_id = :org")
                .bind("id", webhookId).bind("org", organizationId).mapTo(Long.class).one() > 0);
    }

    private static SqlWhere where(long organizationId, DeliveryQuery q) {
        SqlWhere w = new SqlWhere();
        w.and("w.organization_id = " + w.param(organizationId));
        q.webhookId().ifPresent(id -> w.and("d.webhook_id = " + w.param(id)));
        q.status().ifPresent(s -> w.and("d.status = " + w.param(s.name())));
        return w;
    }

    private static Delivery map(ResultSet rs) throws SQLException {
        DeliveryStatus status = DeliveryStatus.valueOf(rs.getString("status"));
        int lastStatus = rs.getInt("last_status");
        Optional<Integer> answered = rs.wasNull() ? Optional.empty() : Optional.of(lastStatus);
        return new Delivery(rs.getLong("id"), rs.getLong("webhook_id"), rs.getLong("event_id"),
                WebhookType.valueOf(rs.getString("webhook_type")), status, rs.getInt("attempts"), answered,
                Optional.ofNullable(rs.getString("last_error")),
                status == DeliveryStatus.PENDING ? Optional.of(Rows.instant(rs, "next_attempt_at")) : Optional.empty(),
                Rows.optionalInstant(rs, "delivered_at"), Rows.instant(rs, "occurred_at"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
    }
}
