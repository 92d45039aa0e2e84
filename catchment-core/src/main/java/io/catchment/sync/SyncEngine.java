package io.catchment.sync;

import io.catchment.connector.ChangePage;
import io.catchment.connector.Checkpoint;
import io.catchment.connector.Connection;
import io.catchment.connector.Connector;
import io.catchment.connector.Connectors;
import io.catchment.connector.CrawlPage;
import io.catchment.datasource.DataSource;
import io.catchment.datasource.DataSources;
import io.catchment.http.SyncFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a data source's sync, holding its lease: crawl (resuming from the stored checkpoint),
 * read the change feed, reconcile files, until no work is left. Each page and its checkpoint are
 * stored in one transaction, so a crash loses at most the page being read. What stops a run is a
 * {@link SyncFailure}: Auth and Config end in SYNC_ERROR, RateLimited and Transient reschedule.
 */
public final class SyncEngine {
    private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);
    static final Duration LEASE = Duration.ofSeconds(30);
    private static final int MAX_TRANSIENT_FAILURES = 6;
    /** Rounds of work in one run; requests beyond them wait for the next run (queued at the end). */
    private static final int MAX_ROUNDS = 20;

    /** What the caller (the job) should do after a run. */
    public sealed interface Next {
        record Done() implements Next {}

        record RunAgainAfter(Duration delay) implements Next {}
    }

    private final Jdbi jdbi;
    private final DataSources dataSources;
    private final Connectors connectors;
    private final SourceItems items;
    private final SyncStates states;
    private final Reconciler reconciler;
    private final ProviderDoors doors;
    private final java.time.Clock clock;

    public SyncEngine(Jdbi jdbi, DataSources dataSources, Connectors connectors, SourceItems items, SyncStates states,
                      Reconciler reconciler, ProviderDoors doors, java.time.Clock clock) {
        this.jdbi = jdbi;
        this.dataSources = dataSources;
        this.connectors = connectors;
        this.items = items;
        this.states = states;
        this.reconciler = reconciler;
        this.doors = doors;
        this.clock = clock;
    }

    private static final class Cancelled extends Exception {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    public Next run(long dataSourceId) {
        Optional<DataSource> found = dataSources.find(dataSourceId);
        if (found.isEmpty()) return new Next.Done();
        DataSource ds = found.get();
        Optional<Connector> connector = connectors.find(ds.type());
        if (connector.isEmpty()) return new Next.Done();
        if (states.find(dataSourceId).filter(SyncState::hasWork).isEmpty()) {
            return new Next.Done(); // another run did it (requests fold together), or it was cancelled
        }
        String owner = UUID.randomUUID().toString();
        if (!states.lease(dataSourceId, owner, LEASE)) {
            // Someone holds it: alive, it will see our request; dead, its lease runs out and we take over then.
            log.atDebug().addKeyValue("data_source_id", dataSourceId).log("sync lease held elsewhere; run again later");
            Instant until = states.leaseUntil(dataSourceId).orElse(clock.instant());
            Duration left = Duration.between(clock.instant(), until);
            return new Next.RunAgainAfter((left.isNegative() ? Duration.ZERO : left).plusSeconds(1));
        }
        try {
            return work(ds, connector.get(), owner);
        } finally {
            states.release(dataSourceId, owner);
        }
    }

    private Next work(DataSource ds, Connector connector, String owner) {
        long id = ds.id();
        boolean crawled = false;
        states.resetPages(id);
        try {
            dataSources.markSyncing(id);
            Connection c = doors.open(ds, connector);
            for (int round = 0; round < MAX_ROUNDS; round++) {
                SyncState st = states.find(id).orElseThrow();
                if (st.cancelRequested()) throw new Cancelled();
                if (st.crawling() || st.crawlRequested()) {
                    crawl(c, connector, st, owner);
                    crawled = true;
                } else if (st.changesRequested()) {
                    changes(c, connector, st, owner);
                } else if (st.reconcileRequested()) {
                    reconciler.reconcile(dataSources.find(id).orElse(ds));
                    states.reconciled(id, st.reconcileVersion());
                } else {
                    break;
                }
            }
            states.succeeded(id);
            dataSources.markSynced(id, crawled);
            log.atInfo().addKeyValue("data_source_id", id).addKeyValue("type", ds.type())
                    .addKeyValue("pages", states.find(id).map(SyncState::pages).orElse(0L)).log("sync finished");
            return states.find(id).filter(SyncState::hasWork).isPresent()
                    ? new Next.RunAgainAfter(Duration.ZERO) : new Next.Done();
        } catch (Cancelled e) {
            states.abandonCrawl(id);
            dataSources.markCancelled(id);
            log.atInfo().addKeyValue("data_source_id", id).log("sync cancelled");
            return new Next.Done();
        } catch (SyncFailure failure) {
            return failed(id, failure);
        }
    }

    private Next failed(long id, SyncFailure failure) {
        switch (failure) {
            case SyncFailure.Auth e -> {
                return stop(id, e.getMessage());
            }
            case SyncFailure.Config e -> {
                return stop(id, e.getMessage());
            }
            case SyncFailure.RateLimited e -> {
                states.recordError(id, Optional.of(e.getMessage()));
                dataSources.markQueued(id);
                log.atInfo().addKeyValue("data_source_id", id).addKeyValue("retry_in_s", e.retryAfter().toSeconds())
                        .log("sync rate-limited; it resumes from its checkpoint");
                return new Next.RunAgainAfter(e.retryAfter());
            }
            case SyncFailure.Transient e -> {
                int failures = states.failed(id, e.getMessage());
                if (failures >= MAX_TRANSIENT_FAILURES) {
                    return stop(id, "Failed to auto-sync during scheduled sync: " + e.getMessage());
                }
                dataSources.markQueued(id);
                Duration backoff = Duration.ofSeconds(15L << Math.min(failures, 8));
                log.atInfo().addKeyValue("data_source_id", id).addKeyValue("failures", failures)
                        .addKeyValue("retry_in_s", backoff.toSeconds()).addKeyValue("problem", e.getMessage())
                        .log("sync failed for now; it resumes from its checkpoint");
                return new Next.RunAgainAfter(backoff);
            }
        }
    }

    /** Auth and Config: only the user can fix it; the data source shows why. */
    private Next stop(long id, String message) {
        states.failed(id, message);
        dataSources.markSyncError(id, message);
        log.atWarn().addKeyValue("data_source_id", id).addKeyValue("problem", message).log("sync stopped");
        return new Next.Done();
    }

    private void crawl(Connection c, Connector connector, SyncState st, String owner) throws SyncFailure, Cancelled {
        long id = st.dataSourceId();
        SyncState current = st.crawling() ? st : states.startCrawl(id, connector.changeCursor(c));
        long generation = current.crawlGeneration();
        Optional<Checkpoint> at = current.crawlCheckpoint();
        int pages = 0;
        while (true) {
            CrawlPage page = connector.crawl(c, at);
            jdbi.useTransaction(h -> {
                items.upsert(h, id, page.items(), generation);
                if (page.next().isPresent()) {
                    states.crawlCheckpoint(h, id, page.next().get());
                } else {
                    // Complete: what this crawl did not see is gone at the source.
                    items.remove(h, id, items.unseen(h, id, generation));
                    states.finishCrawl(h, id);
                }
            });
            pages++;
            if (page.next().isEmpty()) break;
            at = page.next();
            keepGoing(id, owner);
        }
        log.atInfo().addKeyValue("data_source_id", id).addKeyValue("pages", pages)
                .addKeyValue("items", items.count(id)).log("source items crawled");
    }

    private void changes(Connection c, Connector connector, SyncState st, String owner) throws SyncFailure, Cancelled {
        long id = st.dataSourceId();
        if (st.changeCursor().isEmpty()) {
            // No change feed (object stores), or never crawled: a crawl compares everything.
            states.request(id, SyncStates.Work.CRAWL);
            states.clear(id, SyncStates.Work.CHANGES);
            return;
        }
        Checkpoint cursor = st.changeCursor().get();
        while (true) {
            ChangePage page = connector.changes(c, cursor);
            if (page instanceof ChangePage.Reset reset) {
                log.atInfo().addKeyValue("data_source_id", id).addKeyValue("reason", reset.reason())
                        .log("change feed reset; crawling again");
                states.request(id, SyncStates.Work.CRAWL);
                states.clear(id, SyncStates.Work.CHANGES);
                return;
            }
            ChangePage.Changes changes = (ChangePage.Changes) page;
            jdbi.useTransaction(h -> {
                items.upsert(h, id, changes.changed(), st.crawlGeneration());
                if (!changes.removed().isEmpty()) {
                    Set<String> gone = items.withDescendants(h, id, changes.removed());
                    items.remove(h, id, gone);
                }
                states.changeCursor(h, id, changes.cursor(), !changes.more());
            });
            if (!changes.more()) return;
            cursor = changes.cursor();
            keepGoing(id, owner);
        }
    }

    /** Renews the lease between pages and stops when the user cancelled. */
    private void keepGoing(long id, String owner) throws Cancelled {
        if (!states.lease(id, owner, LEASE)) throw new IllegalStateException("lost the sync lease of data source " + id);
        if (states.find(id).map(SyncState::cancelRequested).orElse(false)) throw new Cancelled();
    }
}
