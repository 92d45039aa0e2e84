package io.catchment.tenancy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import io.catchment.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** An organization's customers, created the first time their {@code customer-id} is used. */
public final class Customers {
    public static final int MAX_SUPPLIED_ID_LENGTH = 255;

    private final Jdbi jdbi;
    private final Clock clock;

    public Customers(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** The customer with this {@code customer-id}, created now if it is new (safe under concurrency). */
    public Customer resolve(long organizationId, String suppliedId) {
        return find(organizationId, suppliedId).orElseGet(() -> jdbi.withHandle(h -> {
            var now = Rows.timestamp(clock.instant());
            h.createUpdate("""
                            INSERT INTO customers (organization_id, supplied_id, created_at, updated_at)
                            VALUES (:org, :sid, :now, :now) ON CONFLICT DO NOTHING""")
                    .bind("org", organizationId).bind("sid", suppliedId).bind("now", now).execute();
            return select(h, "organization_id = :org AND supplied_id = :sid")
                    .bind("org", organizationId).bind("sid", suppliedId).map((rs, ctx) -> map(rs)).one();
        }));
    }

    public Optional<Customer> find(long organizationId, String suppliedId) {
        return jdbi.withHandle(h -> select(h, "organization_id = :org AND supplied_id = :sid")
                .bind("org", organizationId).bind("sid", suppliedId).map((rs, ctx) -> map(rs)).findOne());
    }

    public Optional<Customer> findById(long customerId) {
        return jdbi.withHandle(h -> select(h, "id = :id").bind("id", customerId).map((rs, ctx) -> map(rs)).findOne());
    }

    public CustomerPage list(long organizationId, CustomerQuery q) {
        StringBuilder where = new StringBuilder("organization_id = :org");
        if (!q.suppliedIds().isEmpty()) where.append(" AND supplied_id IN (<sids>)");
        if (!q.ids().isEmpty()) where.append(" AND id IN (<ids>)");
        String filter = where.toString();
        if (q.page().startingId() > 0) where.append(" AND id ").append(q.direction().afterCursor()).append(" :start");
        String sql = "SELECT * FROM customers WHERE " + where + " ORDER BY " + q.orderBy().column() + " "
                + q.direction().sql() + ", id " + q.direction().sql() + " LIMIT :limit OFFSET :offset";
        return jdbi.withHandle(h -> {
            List<Customer> rows = bindFilters(h.createQuery(sql), organizationId, q)
                    .bind("start", q.page().startingId())
                    .bind("limit", q.page().limit())
                    .bind("offset", q.page().offset())
                    .map((rs, ctx) -> map(rs)).list();
            OptionalLong count = q.includeCount()
                    ? OptionalLong.of(bindFilters(h.createQuery("SELECT COUNT(*) FROM customers WHERE " + filter),
                            organizationId, q).mapTo(Long.class).one())
                    : OptionalLong.empty();
            return new CustomerPage(rows, count);
        });
    }

    /** The given ids that this organization does not have. */
    public Set<String> missing(long organizationId, Collection<String> suppliedIds) {
        Set<String> missing = new TreeSet<>(suppliedIds);
        if (missing.isEmpty()) return missing;
        jdbi.useHandle(h -> h.createQuery("SELECT supplied_id FROM customers WHERE organization_id = :org AND supplied_id IN (<sids>)")
                .bind("org", organizationId).bindList("sids", List.copyOf(suppliedIds))
                .mapTo(String.class).forEach(missing::remove));
        return missing;
    }

    /** Lays {@code update} over each customer's own configuration; all or nothing. */
    public void updateConfiguration(long organizationId, Collection<String> suppliedIds, UserConfiguration update) {
        jdbi.useTransaction(h -> {
            List<Customer> customers = select(h, "organization_id = :org AND supplied_id IN (<sids>) FOR UPDATE")
                    .bind("org", organizationId).bindList("sids", List.copyOf(suppliedIds))
                    .map((rs, ctx) -> map(rs)).list();
            var now = Rows.timestamp(clock.instant());
            for (Customer c : customers) {
                h.createUpdate("UPDATE customers SET configuration = :config, updated_at = :now WHERE id = :id")
                        .bind("config", Json.write(c.configuration().overlay(update).toJson()))
                        .bind("now", now).bind("id", c.id()).execute();
            }
        });
    }

    /** Sets one enabled-feature entry (Carbon's deprecated {@code /modify_user_configuration}). */
    public void setFeature(long customerId, String key, ObjectNode value) {
        jdbi.useTransaction(h -> {
            Customer c = select(h, "id = :id FOR UPDATE").bind("id", customerId).map((rs, ctx) -> map(rs)).one();
            ObjectNode features = c.enabledFeatures().deepCopy();
            features.set(key, value);
            h.createUpdate("UPDATE customers SET enabled_features = :f, updated_at = :now WHERE id = :id")
                    .bind("f", Json.write(features)).bind("now", Rows.timestamp(clock.instant()))
                    .bind("id", customerId).execute();
        });
    }

    /** Deletes customers with everything they own (tokens cascade); returns how many went. */
    public int delete(long organizationId, Collection<String> suppliedIds) {
        if (suppliedIds.isEmpty()) return 0;
        io.catchment.webhooks.Outbox outbox = new io.catchment.webhooks.Outbox(clock);
        return jdbi.inTransaction(h -> {
            // The event is written while the customer's row still exists (it names the customer).
            h.createQuery("SELECT id, supplied_id FROM customers WHERE organization_id = :org AND supplied_id IN (<sids>)")
                    .bind("org", organizationId).bindList("sids", new ArrayList<>(suppliedIds))
                    .map((rs, ctx) -> new io.catchment.webhooks.Event(organizationId, rs.getLong("id"),
                            io.catchment.webhooks.WebhookType.ORGANIZATION_USER_DELETED,
                            io.catchment.webhooks.ObjectType.ORGANIZATION_USER,
                            io.catchment.json.Json.tree(rs.getString("supplied_id")),
                            com.fasterxml.jackson.databind.node.NullNode.getInstance()))
                    .list().forEach(e -> outbox.record(h, e));
            return h.createUpdate("DELETE FROM customers WHERE organization_id = :org AND supplied_id IN (<sids>)")
                    .bind("org", organizationId).bindList("sids", new ArrayList<>(suppliedIds)).execute();
        });
    }

    private static Query select(Handle h, String where) {
        return h.createQuery("SELECT * FROM customers WHERE " + where);
    }

    private static Query bindFilters(Query query, long organizationId, CustomerQuery q) {
        query.bind("org", organizationId);
        if (!q.suppliedIds().isEmpty()) query.bindList("sids", q.suppliedIds());
        if (!q.ids().isEmpty()) query.bindList("ids", q.ids());
        return query;
    }

    private static Customer map(ResultSet rs) throws SQLException {
        return new Customer(rs.getLong("id"), rs.getLong("organization_id"), rs.getString("supplied_id"),
                UserConfiguration.fromJson(Json.readObject(rs.getString("configuration"))),
                Json.readObject(rs.getString("enabled_features")),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
    }
}
