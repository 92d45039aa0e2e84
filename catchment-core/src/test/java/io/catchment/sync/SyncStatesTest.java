package io.catchment.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.connector.Checkpoint;
import io.catchment.connector.DataSourceType;
import io.catchment.crypto.MasterKeys;
import io.catchment.crypto.SecretBox;
import io.catchment.datasource.Credentials;
import io.catchment.datasource.DataSources;
import io.catchment.datasource.NewConnection;
import io.catchment.json.Json;
import io.catchment.store.Database;
import io.catchment.tenancy.Customers;
import io.catchment.tenancy.Organizations;
import io.catchment.testing.time.MutableClock;
import io.catchment.testsupport.DatabaseKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A data source's sync bookkeeping on both databases: requests fold together, one worker holds the
 * lease until it lapses, a crawl's checkpoint and cursor survive, a reconcile request made while a
 * reconcile runs is kept, and work whose job went missing is found again.
 */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class SyncStatesTest {
    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    final MutableClock clock = MutableClock.startingNow();
    Database db;
    SyncStates states;
    long ds;

    @BeforeEach
    void open() {
        db = Database.open(kind.settings(dir));
        states = new SyncStates(db.jdbi(), clock);
        long org = new Organizations(db.jdbi(), clock).create("Acme").id();
        long customer = new Customers(db.jdbi(), clock).resolve(org, "alice").id();
        ds = new DataSources(db.jdbi(), new SecretBox(MasterKeys.generate("k1")), clock).connect(new NewConnection(org,
                customer, DataSourceType.S3, "owner-1", Json.object(), Json.object(), Json.object(),
                new Credentials.Secrets(Map.of("access_key", "AKIA")))).dataSource().id();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void oneWorkerHoldsTheLeaseUntilItLapses() {
        assertThat(states.lease(ds, "worker-a", Duration.ofSeconds(30))).isTrue();
        assertThat(states.lease(ds, "worker-b", Duration.ofSeconds(30))).as("held by a").isFalse();
        assertThat(states.lease(ds, "worker-a", Duration.ofSeconds(30))).as("a renews").isTrue();
        clock.advance(Duration.ofSeconds(31));
        assertThat(states.lease(ds, "worker-b", Duration.ofSeconds(30))).as("a died: b takes over").isTrue();
        states.release(ds, "worker-a");
        assertThat(states.lease(ds, "worker-c", Duration.ofSeconds(30))).as("a's release does not free b's lease").isFalse();
        states.release(ds, "worker-b");
        assertThat(states.lease(ds, "worker-c", Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void aCrawlKeepsItsCheckpointAndHandsItsCursorToTheChangeFeed() {
        states.request(ds, SyncStates.Work.CRAWL);
        SyncState started = states.startCrawl(ds, Optional.of(Checkpoint.of(new Cursor("before-crawl"))));
        assertThat(started.crawling()).isTrue();
        assertThat(started.crawlRequested()).isFalse();
        db.jdbi().useTransaction(h -> states.crawlCheckpoint(h, ds, Checkpoint.of(new Cursor("page-2"))));
        SyncState resumed = states.find(ds).orElseThrow();
        assertThat(resumed.crawlCheckpoint().orElseThrow().as(Cursor.class).value()).isEqualTo("page-2");
        assertThat(resumed.changeCursor()).as("not before the crawl completes").isEmpty();

        db.jdbi().useTransaction(h -> states.finishCrawl(h, ds));
        SyncState done = states.find(ds).orElseThrow();
        assertThat(done.crawling()).isFalse();
        assertThat(done.crawlCheckpoint()).isEmpty();
        assertThat(done.changeCursor().orElseThrow().as(Cursor.class).value()).isEqualTo("before-crawl");
        assertThat(done.reconcileRequested()).isTrue();
    }

    record Cursor(String value) {}

    @Test
    void aReconcileRequestedWhileOneRunsIsKept() {
        states.request(ds, SyncStates.Work.RECONCILE);
        long running = states.find(ds).orElseThrow().reconcileVersion();
        states.request(ds, SyncStates.Work.RECONCILE); // a files/sync while the reconcile runs
        states.reconciled(ds, running);
        assertThat(states.find(ds).orElseThrow().reconcileRequested()).as("the newer request stands").isTrue();
        states.reconciled(ds, states.find(ds).orElseThrow().reconcileVersion());
        assertThat(states.find(ds).orElseThrow().reconcileRequested()).isFalse();
        assertThat(states.find(ds).orElseThrow().hasWork()).isFalse();
    }

    @Test
    void workWithoutARunOrAScheduledRetryIsFoundAgain() {
        states.request(ds, SyncStates.Work.CHANGES);
        assertThat(states.orphaned(10)).as("just asked for: its job is on its way").isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(states.orphaned(10)).containsExactly(ds);

        assertThat(states.lease(ds, "worker-a", Duration.ofSeconds(30))).isTrue();
        assertThat(states.orphaned(10)).as("a live run holds it").isEmpty();
        states.release(ds, "worker-a");
        states.nextAttemptAt(ds, Optional.of(clock.instant().plus(Duration.ofMinutes(5))));
        assertThat(states.orphaned(10)).as("a retry is scheduled").isEmpty();
        clock.advance(Duration.ofMinutes(6));
        assertThat(states.orphaned(10)).containsExactly(ds);
    }

    @Test
    void cancellingDropsWorkNotStartedAndANewRequestClearsTheCancel() {
        states.request(ds, SyncStates.Work.CRAWL);
        states.request(ds, SyncStates.Work.CHANGES);
        states.requestCancel(ds);
        SyncState cancelled = states.find(ds).orElseThrow();
        assertThat(cancelled.cancelRequested()).isTrue();
        assertThat(cancelled.crawlRequested()).isFalse();
        assertThat(cancelled.changesRequested()).isFalse();
        states.request(ds, SyncStates.Work.CRAWL);
        assertThat(states.find(ds).orElseThrow().cancelRequested()).isFalse();
    }
}
