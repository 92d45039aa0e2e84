package io.catchment.sync;

import io.catchment.connector.Checkpoint;
import io.catchment.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code sync_state} rows. Work is asked for by setting flags (any number of requests fold
 * into one run); a run holds a lease on the row so two workers never sync one data source at once,
 * and a worker that died stops holding it when the lease runs out.
 */
public final class SyncStates {
    public enum Work { CRAWL, CHANGES, RECONCILE }

    private final Jdbi jdbi;
    private final Clock clock;

    public SyncStates(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public void request(long dataSourceId, Work work) {
        String column = switch (work) {
            case CRAWL -> "crawl_requested";
            case CHANGES -> "changes_requested";
            case RECONCILE -> "reconcile_requested";
        };
        String version = work == Work.RECONCILE ? "reconcile_version = reconcile_version + 1, " : "";
        jdbi.useHandle(h -> {
            ensure(h, dataSourceId);
            h.createUpdate("UPDATE sync_state SET " + column + " = TRUE, " + version + "cancel_requested = FALSE, "
                    + "updated_at = :now WHERE data_source_id = :ds").bind("now", now()).bind("ds", dataSourceId).execute();
        });
    }

    /** Asks a running crawl to stop, and drops work not yet started. */
    public void requestCancel(long dataSourceId) {
        jdbi.useHandle(h -> {
            ensure(h, dataSourceId);
            h.createUpdate("""
                    UPDATE sync_state SET cancel_requested = TRUE, crawl_requested = FALSE, changes_requested = FALSE,
                        updated_at = :now WHERE data_source_id = :ds""").bind("now", now()).bind("ds", dataSourceId).execute();
        });
    }

    public Optional<SyncState> find(long dataSourceId) {
        return jdbi.withHandle(h -> find(h, dataSourceId));
    }

    /** Takes (or renews) the row's lease for {@code owner}; false when another live worker holds it. */
    public boolean lease(long dataSourceId, String owner, Duration length) {
        return jdbi.withHandle(h -> {
            ensure(h, dataSourceId);
            Instant now = clock.instant();
            return h.createUpdate("""
                            UPDATE sync_state SET lease_owner = :owner, lease_until = :until
                            WHERE data_source_id = :ds AND (lease_owner IS NULL OR lease_owner = :owner OR lease_until < :now)""")
                    .bind("owner", owner).bind("until", Rows.timestamp(now.plus(length))).bind("now", Rows.timestamp(now))
                    .bind("ds", dataSourceId).execute() == 1;
        });
    }

    public Optional<Instant> leaseUntil(long dataSourceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT lease_until FROM sync_state WHERE data_source_id = :ds")
                .bind("ds", dataSourceId).map((rs, ctx) -> Rows.optionalInstant(rs, "lease_until")).findOne()
                .flatMap(o -> o));
    }

    public void release(long dataSourceId, String owner) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE sync_state SET lease_owner = NULL, lease_until = NULL "
                        + "WHERE data_source_id = :ds AND lease_owner = :owner")
                .bind("ds", dataSourceId).bind("owner", owner).execute());
    }

    /** A new crawl: the next generation, no checkpoint yet, the change cursor taken just before it. */
    public SyncState startCrawl(long dataSourceId, Optional<Checkpoint> cursorBefore) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("""
                            UPDATE sync_state SET crawling = TRUE, crawl_requested = FALSE, crawl_generation = crawl_generation + 1,
                                crawl_checkpoint = NULL, pending_cursor = :cursor, updated_at = :now WHERE data_source_id = :ds""")
                    .bind("cursor", cursorBefore.map(Checkpoint::json).orElse(null)).bind("now", now())
                    .bind("ds", dataSourceId).execute();
            return find(h, dataSourceId).orElseThrow();
        });
    }

    /** After a crawl page is stored (same transaction): where the crawl resumes. */
    public void crawlCheckpoint(Handle h, long dataSourceId, Checkpoint next) {
        h.createUpdate("UPDATE sync_state SET crawl_checkpoint = :cp, pages = pages + 1, updated_at = :now WHERE data_source_id = :ds")
                .bind("cp", next.json()).bind("now", now()).bind("ds", dataSourceId).execute();
    }

    /** The crawl is complete: its pending cursor becomes the change feed's cursor, and files are reconciled. */
    public void finishCrawl(Handle h, long dataSourceId) {
        h.createUpdate("""
                        UPDATE sync_state SET crawling = FALSE, crawl_checkpoint = NULL, change_cursor = pending_cursor,
                            pending_cursor = NULL, reconcile_requested = TRUE, reconcile_version = reconcile_version + 1,
                            pages = pages + 1, updated_at = :now
                        WHERE data_source_id = :ds""")
                .bind("now", now()).bind("ds", dataSourceId).execute();
    }

    public void abandonCrawl(long dataSourceId) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE sync_state SET crawling = FALSE, crawl_checkpoint = NULL, pending_cursor = NULL,
                            cancel_requested = FALSE, updated_at = :now WHERE data_source_id = :ds""")
                .bind("now", now()).bind("ds", dataSourceId).execute());
    }

    /** After a change page is applied (same transaction). {@code caughtUp}: the feed has nothing more now. */
    public void changeCursor(Handle h, long dataSourceId, Checkpoint cursor, boolean caughtUp) {
        h.createUpdate("UPDATE sync_state SET change_cursor = :cursor, pages = pages + 1, reconcile_requested = TRUE, "
                        + "reconcile_version = reconcile_version + 1, "
                        + (caughtUp ? "changes_requested = FALSE, " : "") + "updated_at = :now WHERE data_source_id = :ds")
                .bind("cursor", cursor.json()).bind("now", now()).bind("ds", dataSourceId).execute();
    }

    public void clear(long dataSourceId, Work work) {
        String column = switch (work) {
            case CRAWL -> "crawl_requested";
            case CHANGES -> "changes_requested";
            case RECONCILE -> "reconcile_requested";
        };
        jdbi.useHandle(h -> h.createUpdate("UPDATE sync_state SET " + column + " = FALSE, updated_at = :now WHERE data_source_id = :ds")
                .bind("now", now()).bind("ds", dataSourceId).execute());
    }

    /**
     * The reconcile asked for up to {@code version} is done. Cleared only after it ran, so a crash
     * mid-way leaves it asked for; a request that came meanwhile (a newer version) keeps it too.
     */
    public void reconciled(long dataSourceId, long version) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE sync_state SET reconcile_requested = FALSE, updated_at = :now "
                        + "WHERE data_source_id = :ds AND reconcile_version = :version")
                .bind("now", now()).bind("ds", dataSourceId).bind("version", version).execute());
    }

    public void recordError(long dataSourceId, Optional<String> error) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE sync_state SET last_error = :e, updated_at = :now WHERE data_source_id = :ds")
                .bind("e", error.orElse(null)).bind("now", now()).bind("ds", dataSourceId).execute());
    }

    /** A run will happen at {@code when} (a rate limit or backoff): the sweeper does not start one earlier. */
    public void nextAttemptAt(long dataSourceId, Optional<Instant> when) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE sync_state SET next_attempt_at = :at WHERE data_source_id = :ds")
                .bind("at", when.map(Rows::timestamp).orElse(null)).bind("ds", dataSourceId).execute());
    }

    /** Data sources with work and no live run or scheduled retry: their job went missing (a crash before it was queued). */
    public java.util.List<Long> orphaned(int limit) {
        var now = Rows.timestamp(clock.instant());
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT data_source_id FROM sync_state
                        WHERE (crawling OR crawl_requested OR changes_requested OR reconcile_requested)
                          AND (lease_until IS NULL OR lease_until < :now)
                          AND (next_attempt_at IS NULL OR next_attempt_at < :now)
                          AND updated_at < :settled
                        ORDER BY updated_at LIMIT :limit""")
                .bind("now", now).bind("settled", Rows.timestamp(clock.instant().minus(Duration.ofMinutes(1)))).bind("limit", limit)
                .mapTo(Long.class).list());
    }

    /** One more failed run in a row; returns how many. */
    public int failed(long dataSourceId, String error) {
        return jdbi.withHandle(h -> {
            h.createUpdate("UPDATE sync_state SET failures = failures + 1, last_error = :e, updated_at = :now WHERE data_source_id = :ds")
                    .bind("e", error).bind("now", now()).bind("ds", dataSourceId).execute();
            return h.createQuery("SELECT failures FROM sync_state WHERE data_source_id = :ds").bind("ds", dataSourceId)
                    .mapTo(Integer.class).one();
        });
    }

    public void succeeded(long dataSourceId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE sync_state SET failures = 0, last_error = NULL, updated_at = :now WHERE data_source_id = :ds")
                .bind("now", now()).bind("ds", dataSourceId).execute());
    }

    public void resetPages(long dataSourceId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE sync_state SET pages = 0 WHERE data_source_id = :ds")
                .bind("ds", dataSourceId).execute());
    }

    private void ensure(Handle h, long dataSourceId) {
        h.createUpdate("""
                        MERGE INTO sync_state t USING (VALUES (CAST(:ds AS BIGINT))) AS s (data_source_id)
                        ON t.data_source_id = s.data_source_id
                        WHEN NOT MATCHED THEN INSERT (data_source_id, updated_at) VALUES (s.data_source_id, :now)""")
                .bind("ds", dataSourceId).bind("now", now()).execute();
    }

    private static Optional<SyncState> find(Handle h, long dataSourceId) {
        return h.createQuery("SELECT * FROM sync_state WHERE data_source_id = :ds").bind("ds", dataSourceId)
                .map((rs, ctx) -> row(rs)).findOne();
    }

    private static SyncState row(ResultSet rs) throws SQLException {
        return new SyncState(rs.getLong("data_source_id"), rs.getBoolean("crawl_requested"), rs.getBoolean("changes_requested"),
                rs.getBoolean("reconcile_requested"), rs.getLong("reconcile_version"), rs.getBoolean("cancel_requested"),
                rs.getLong("crawl_generation"),
                rs.getBoolean("crawling"), checkpoint(rs, "crawl_checkpoint"), checkpoint(rs, "pending_cursor"),
                checkpoint(rs, "change_cursor"), Optional.ofNullable(rs.getString("last_error")), rs.getLong("pages"));
    }

    private static Optional<Checkpoint> checkpoint(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column)).map(Checkpoint::parse);
    }

    private java.time.OffsetDateTime now() {
        return Rows.timestamp(clock.instant());
    }
}
