package io.catchment.webhooks;

import io.catchment.store.PagedSelect;
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
        return jdbi.withHandle(h -> {
            var page = PagedSelect.run(h, "d.*, e.webhook_type, e.occurred_at", "FROM webhook_deliveries d"
                    + " JOIN webhooks w ON w.id = d.webhook_id JOIN webhook_events e ON e.id = d.event_id", "d.id", "",
                    () -> where(organizationId, q), q.direction(), q.page(), (rs, ctx) -> map(rs));
            return new DeliveryPage(page.rows(), page.count());
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
