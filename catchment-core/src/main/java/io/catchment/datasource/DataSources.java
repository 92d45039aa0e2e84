package io.catchment.datasource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.connector.DataSourceType;
import io.catchment.crypto.SecretBox;
import io.catchment.json.Json;
import io.catchment.store.Rows;
import io.catchment.store.SqlWhere;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.catchment.webhooks.WebhookType;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The {@code data_sources} table. Credentials are sealed per row ("data-source:<id>"). */
public final class DataSources {
    private static final String COLUMNS = """
            id, organization_id, customer_id, data_source_type, external_id, metadata, sync_status,
            last_sync_action, revoked_access, enable_auto_sync, sync_settings, tags, token_expires_at,
            sync_error_message, last_synced_at, source_items_synced_at, files_synced_at, created_at, updated_at""";

    private final Jdbi jdbi;
    private final SecretBox box;
    private final Clock clock;
    private final io.catchment.webhooks.Outbox outbox;

    public DataSources(Jdbi jdbi, SecretBox box, Clock clock) {
        this.outbox = new io.catchment.webhooks.Outbox(clock);
        this.jdbi = jdbi;
        this.box = box;
        this.clock = clock;
    }

    /** The stored data source and whether it is new (ADD) or an existing account connected again (UPDATE). */
    public record Connected(DataSource dataSource, boolean created) {}

    /**
     * Stores a connection: a new data source (ADD), or, when the customer already connected this
     * account, the same one updated (UPDATE: new credentials, metadata and settings, access no
     * longer revoked, tags merged). Never a duplicate.
     */
    public Connected connect(NewConnection c) {
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            Optional<Long> existing = h.createQuery("""
                            SELECT id FROM data_sources WHERE customer_id = :customer AND data_source_type = :type
                            AND external_id = :external FOR UPDATE""")
                    .bind("customer", c.customerId()).bind("type", c.type().name()).bind("external", c.externalId())
                    .mapTo(Long.class).findOne();
            long id;
            if (existing.isPresent()) {
                id = existing.get();
                ObjectNode tags = current(h, id).tags().deepCopy();
                tags.setAll(c.tags());
                h.createUpdate("""
                                UPDATE data_sources SET metadata = :metadata, sync_settings = :settings, tags = :tags,
                                revoked_access = FALSE, last_sync_action = 'UPDATE', sync_status = 'READY',
                                sync_error_message = NULL, last_synced_at = :now, updated_at = :now WHERE id = :id""")
                        .bind("metadata", Json.write(c.metadata())).bind("settings", Json.write(c.syncSettings()))
                        .bind("tags", Json.write(tags)).bind("now", Rows.timestamp(now)).bind("id", id).execute();
            } else {
                id = h.createUpdate("""
                                INSERT INTO data_sources (organization_id, customer_id, data_source_type, external_id,
                                metadata, sync_status, last_sync_action, sync_settings, tags, last_synced_at, created_at,
                                updated_at) VALUES (:org, :customer, :type, :external, :metadata, 'READY', 'ADD',
                                :settings, :tags, :now, :now, :now)""")
                        .bind("org", c.organizationId()).bind("customer", c.customerId()).bind("type", c.type().name())
                        .bind("external", c.externalId()).bind("metadata", Json.write(c.metadata()))
                        .bind("settings", Json.write(c.syncSettings())).bind("tags", Json.write(c.tags()))
                        .bind("now", Rows.timestamp(now))
                        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            }
            storeCredentials(h, id, c.credentials());
            outbox.recordForDataSource(h, existing.isEmpty() ? WebhookType.ADD : WebhookType.UPDATE, id, info(c.type()));
            return new Connected(current(h, id), existing.isEmpty());
        });
    }

    public Optional<DataSource> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM data_sources WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> map(rs)).findOne());
    }

    /** The data source if it belongs to this customer. */
    public Optional<DataSource> findForCustomer(long customerId, long id) {
        return find(id).filter(d -> d.customerId() == customerId);
    }

    /** The data source if it belongs to this organization. */
    public Optional<DataSource> findForOrganization(long organizationId, long id) {
        return find(id).filter(d -> d.organizationId() == organizationId);
    }

    /** The customer's most recently updated, not revoked, connection of this type. */
    public List<DataSource> connected(long customerId, DataSourceType type) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + """
                         FROM data_sources WHERE customer_id = :customer AND data_source_type = :type
                        AND revoked_access = FALSE ORDER BY updated_at DESC, id DESC""")
                .bind("customer", customerId).bind("type", type.name()).map((rs, ctx) -> map(rs)).list());
    }

    /** Connected (not revoked, not in error) data sources whose access token expires before {@code instant}. */
    public List<Long> expiringBefore(Instant instant) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id FROM data_sources WHERE revoked_access = FALSE AND sync_status <> 'SYNC_ERROR'
                        AND token_expires_at IS NOT NULL AND token_expires_at < :at ORDER BY token_expires_at""")
                .bind("at", Rows.timestamp(instant)).mapTo(Long.class).list());
    }

    public DataSourcePage query(DataSourceQuery q) {
        SqlWhere where = new SqlWhere().and("organization_id = :org");
        q.customerId().ifPresent(c -> where.and("customer_id = " + where.param(c)));
        q.type().ifPresent(t -> where.and("data_source_type = " + where.param(t.name())));
        where.in("id", q.ids());
        q.revokedAccess().ifPresent(r -> where.and("revoked_access = " + where.param(r)));
        if (q.page().startingId() > 0) where.and("id >= " + where.param(q.page().startingId()));
        String order = " ORDER BY " + (q.orderBy() == DataSourceQuery.OrderBy.CREATED_AT ? "created_at" : "updated_at")
                + " " + q.direction().wireName() + ", id " + q.direction().wireName();
        return jdbi.withHandle(h -> {
            if (q.tags().isEmpty()) {
                long count = h.createQuery("SELECT COUNT(*) FROM data_sources WHERE " + where.sql())
                        .bind("org", q.organizationId()).bindMap(where.params()).mapTo(Long.class).one();
                List<DataSource> page = h.createQuery("SELECT " + COLUMNS + " FROM data_sources WHERE " + where.sql() + order
                                + " LIMIT :limit OFFSET :offset")
                        .bind("org", q.organizationId()).bindMap(where.params()).bind("limit", q.page().limit())
                        .bind("offset", q.page().offset()).map((rs, ctx) -> map(rs)).list();
                return new DataSourcePage(page, count);
            }
            // Tags are a JSON document per row: matched here, then paged.
            List<DataSource> matching = h.createQuery("SELECT " + COLUMNS + " FROM data_sources WHERE " + where.sql() + order)
                    .bind("org", q.organizationId()).bindMap(where.params()).map((rs, ctx) -> map(rs)).list()
                    .stream().filter(d -> TagMatch.matches(q.tags().get(), d.tags())).toList();
            int from = Math.min(q.page().offset(), matching.size());
            int to = Math.min(matching.size(), from + q.page().limit());
            return new DataSourcePage(List.copyOf(matching.subList(from, to)), matching.size());
        });
    }

    /** Marks the connection revoked (REVOKE) and forgets its credentials. */
    public Optional<DataSource> revoke(long id) {
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            int n = h.createUpdate("""
                            UPDATE data_sources SET revoked_access = TRUE, last_sync_action = 'REVOKE',
                            sealed_credentials = NULL, token_expires_at = NULL, updated_at = :now WHERE id = :id""")
                    .bind("now", Rows.timestamp(now)).bind("id", id).execute();
            if (n == 0) return Optional.empty();
            DataSource revoked = current(h, id);
            outbox.recordForDataSource(h, WebhookType.REVOKE, id, info(revoked.type()));
            return Optional.of(revoked);
        });
    }

    /** Upserts tags (given keys overwrite). */
    public Optional<DataSource> addTags(long id, ObjectNode tags) {
        return updateTags(id, current -> {
            ObjectNode copy = current.deepCopy();
            copy.setAll(tags);
            return copy;
        });
    }

    /** Removes the given keys, or every tag. */
    public Optional<DataSource> removeTags(long id, List<String> keys, boolean all) {
        return updateTags(id, current -> {
            if (all) return Json.object();
            ObjectNode copy = current.deepCopy();
            copy.remove(keys);
            return copy;
        });
    }

    private Optional<DataSource> updateTags(long id, UnaryOperator<ObjectNode> change) {
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            Optional<String> tags = h.createQuery("SELECT tags FROM data_sources WHERE id = :id FOR UPDATE")
                    .bind("id", id).mapTo(String.class).findOne();
            if (tags.isEmpty()) return Optional.empty();
            ObjectNode updated = change.apply(Json.readObject(tags.get()));
            h.createUpdate("UPDATE data_sources SET tags = :tags, updated_at = :now WHERE id = :id")
                    .bind("tags", Json.write(updated)).bind("now", Rows.timestamp(now)).bind("id", id).execute();
            return Optional.of(current(h, id));
        });
    }

    /** Ends in SYNC_ERROR with a message for the user (e.g. "reauthorization required"). */
    public void markSyncError(long id, String message) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE data_sources SET sync_status = 'SYNC_ERROR', sync_error_message = :message,
                        updated_at = :now WHERE id = :id""")
                .bind("message", message).bind("now", Rows.timestamp(clock.instant())).bind("id", id).execute());
    }

    /** Work is queued for the data source (unless it is in SYNC_ERROR for a reason only the user can fix). */
    public void markQueued(long id) {
        status(id, "sync_status = 'QUEUED_FOR_SYNCING'");
    }

    public void markSyncing(long id) {
        status(id, "sync_status = 'SYNCING'");
    }

    /**
     * The engine finished: READY, no error, and the times Carbon shows. {@code crawled}: the item
     * tree was read again ({@code source_items_synced_at}).
     */
    public void markSynced(long id, boolean crawled) {
        status(id, "sync_status = 'READY', sync_error_message = NULL, last_synced_at = :now, files_synced_at = :now"
                + (crawled ? ", source_items_synced_at = :now" : ""),
                crawled ? Optional.of(WebhookType.DATA_SOURCE_READY) : Optional.empty());
    }

    /** A crawl was cancelled by the user ({@code last_sync_action = CANCEL}). */
    public void markCancelled(long id) {
        status(id, "sync_status = 'READY', last_sync_action = 'CANCEL', last_synced_at = :now", Optional.of(WebhookType.CANCEL));
    }

    /** A sync was asked for through the API ({@code last_sync_action = UPDATE}). */
    public void markUpdated(long id) {
        status(id, "last_sync_action = 'UPDATE', last_synced_at = :now", Optional.of(WebhookType.UPDATE));
    }

    private void status(long id, String assignments) {
        status(id, assignments, Optional.empty());
    }

    /** Updates the row and, in the same transaction, records the webhook event the change is. */
    private void status(long id, String assignments, Optional<WebhookType> event) {
        jdbi.useTransaction(h -> {
            int n = h.createUpdate("UPDATE data_sources SET " + assignments + ", updated_at = :now WHERE id = :id")
                    .bind("now", Rows.timestamp(clock.instant())).bind("id", id).execute();
            if (n == 1 && event.isPresent()) {
                outbox.recordForDataSource(h, event.get(), id, info(current(h, id).type()));
            }
        });
    }

    /** What the data source events carry beyond the id. */
    private static ObjectNode info(DataSourceType type) {
        return Json.object().put("data_source_type", type.name());
    }

    /** Connected data sources of these types (for the auto-sync scheduler), oldest sync first. */
    public List<DataSource> syncable(java.util.Collection<DataSourceType> types, int limit) {
        if (types.isEmpty()) return List.of();
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM data_sources WHERE revoked_access = FALSE "
                        + "AND data_source_type IN (<types>) ORDER BY last_synced_at LIMIT " + limit)
                .bindList("types", types.stream().map(Enum::name).toList()).map((rs, ctx) -> map(rs)).list());
    }

    /** The data source's credentials, opened; empty when revoked or never stored. */
    public Optional<Credentials> credentials(long id) {
        return jdbi.withHandle(h -> sealed(h, id, false)).map(s -> open(id, s));
    }

    /**
     * Runs {@code change} on the credentials with the row locked (every process), and stores what it
     * returns: how a token refresh happens once however many callers need one at the same time.
     */
    public <X extends Exception> Credentials updateCredentials(long id, CredentialChange<X> change) throws X {
        return jdbi.inTransaction(h -> {
            Credentials current = sealed(h, id, true).map(s -> open(id, s))
                    .orElseThrow(() -> new IllegalStateException("data source " + id + " has no credentials"));
            Credentials next = change.apply(current);
            if (next != current) storeCredentials(h, id, next);
            return next;
        });
    }

    /** A change of credentials that may fail with the provider's error. */
    @FunctionalInterface
    public interface CredentialChange<X extends Exception> {
        Credentials apply(Credentials current) throws X;
    }

    private static Optional<String> sealed(Handle h, long id, boolean lock) {
        return h.createQuery("SELECT sealed_credentials FROM data_sources WHERE id = :id" + (lock ? " FOR UPDATE" : ""))
                .bind("id", id).mapTo(String.class).findOne().filter(s -> s != null);
    }

    private void storeCredentials(Handle h, long id, Credentials credentials) {
        Optional<Instant> expires = credentials instanceof Credentials.OAuthTokens t ? t.expiresAt() : Optional.empty();
        h.createUpdate("UPDATE data_sources SET sealed_credentials = :sealed, token_expires_at = :expires WHERE id = :id")
                .bind("sealed", box.seal(Json.write(Credentials.toJson(credentials)), context(id)))
                .bind("expires", expires.map(Rows::timestamp).orElse(null)).bind("id", id).execute();
    }

    private Credentials open(long id, String sealed) {
        try {
            return Credentials.fromJson(Json.readObject(box.open(sealed, context(id))));
        } catch (SecretBox.SecretException e) {
            throw new IllegalStateException("The credentials of data source " + id + " cannot be opened: " + e.getMessage());
        }
    }

    private static String context(long id) {
        return "data-source:" + id;
    }

    private static DataSource current(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM data_sources WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> map(rs)).one();
    }

    private static DataSource map(ResultSet rs) throws SQLException {
        Object auto = rs.getObject("enable_auto_sync");
        return new DataSource(rs.getLong("id"), rs.getLong("organization_id"), rs.getLong("customer_id"),
                DataSourceType.valueOf(rs.getString("data_source_type")), rs.getString("external_id"),
                Json.readObject(rs.getString("metadata")), SyncStatus.valueOf(rs.getString("sync_status")),
                SyncAction.valueOf(rs.getString("last_sync_action")), rs.getBoolean("revoked_access"),
                Optional.ofNullable(auto == null ? null : rs.getBoolean("enable_auto_sync")),
                Json.readObject(rs.getString("sync_settings")), Json.readObject(rs.getString("tags")),
                Rows.optionalInstant(rs, "token_expires_at"), Optional.ofNullable(rs.getString("sync_error_message")),
                Rows.instant(rs, "last_synced_at"), Rows.optionalInstant(rs, "source_items_synced_at"),
                Rows.optionalInstant(rs, "files_synced_at"), Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
    }

}
