package io.catchment.sync;

import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.catchment.jobs.JobQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The engine's jobs: {@code source-sync} runs one data source's sync (any number of requests fold
 * into one run, see {@link SyncStates}); {@code auto-sync} queues the data sources whose auto-sync
 * is due, and re-queues work whose job went missing.
 */
public final class SyncJobs {
    static final TaskDescriptor<String> SYNC = TaskDescriptor.of("source-sync", String.class);

    private final SyncEngine engine;
    private final SyncStates states;
    private final AutoSync autoSync;
    private final Clock clock;
    private final Duration sweepEvery;
    private JobQueue queue;

    public SyncJobs(SyncEngine engine, SyncStates states, AutoSync autoSync, Clock clock, Duration sweepEvery) {
        this.engine = engine;
        this.states = states;
        this.autoSync = autoSync;
        this.clock = clock;
        this.sweepEvery = sweepEvery;
    }

    public void attach(JobQueue queue) {
        this.queue = queue;
    }

    public List<Task<?>> tasks() {
        Task<String> sync = Tasks.oneTime(SYNC).execute((instance, ctx) -> run(Long.parseLong(instance.getData())));
        Task<Void> sweep = Tasks.recurring("auto-sync", FixedDelay.of(sweepEvery)).execute((instance, ctx) -> sweep());
        return List.of(sync, sweep);
    }

    /** Queues a run after {@code delay}; unique ids, because a run that finds no work costs nothing. */
    public void enqueue(long dataSourceId, Duration delay) {
        queue.enqueue(SYNC, "sync-" + dataSourceId + "-" + System.currentTimeMillis() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()), Long.toString(dataSourceId), delay);
    }

    private void run(long dataSourceId) {
        states.nextAttemptAt(dataSourceId, Optional.empty());
        if (engine.run(dataSourceId) instanceof SyncEngine.Next.RunAgainAfter again) {
            states.nextAttemptAt(dataSourceId, Optional.of(clock.instant().plus(again.delay())));
            enqueue(dataSourceId, again.delay());
        }
    }

    void sweep() {
        for (long id : autoSync.due(clock.instant())) enqueue(id, Duration.ZERO);
        for (long id : states.orphaned(100)) enqueue(id, Duration.ZERO);
    }
}
