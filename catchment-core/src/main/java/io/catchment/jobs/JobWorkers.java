package io.catchment.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import io.catchment.store.Database;
import io.catchment.store.DatabaseVendor;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The worker side of the job queue: a db-scheduler instance running the registered task types. */
public final class JobWorkers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);

    private final Scheduler scheduler;

    private JobWorkers(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    public static JobWorkers start(Database database, List<Task<?>> tasks, int threads, Duration pollInterval) {
        List<Task<?>> oneTime = tasks.stream().filter(t -> !(t instanceof RecurringTask<?>)).toList();
        List<RecurringTask<?>> recurring = new java.util.ArrayList<>();
        for (Task<?> t : tasks) if (t instanceof RecurringTask<?> r) recurring.add(r);
        var builder = Scheduler.create(database.dataSource(), oneTime)
                .startTasks(recurring)
                .threads(threads)
                .pollingInterval(pollInterval)
                .enableImmediateExecution()
                // A worker that dies (kill -9) is noticed after ~4 missed heartbeats and its jobs run again.
                .heartbeatInterval(Duration.ofSeconds(2))
                .missedHeartbeatsLimit(4)
                .shutdownMaxWait(Duration.ofSeconds(10))
                .jdbcCustomization(JobQueue.jdbcCustomization(database));
        if (database.vendor() == DatabaseVendor.POSTGRESQL) builder.pollUsingLockAndFetch(0.5, 3.0);
        Scheduler scheduler = builder.build();
        scheduler.start();
        log.atInfo().addKeyValue("task_types", tasks.size()).addKeyValue("threads", threads).log("job workers started");
        return new JobWorkers(scheduler);
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public void close() {
        scheduler.stop();
    }
}
