package io.catchment.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.Task;
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
        var builder = Scheduler.create(database.dataSource(), tasks)
                .threads(threads)
                .pollingInterval(pollInterval)
                .enableImmediateExecution()
                .jdbcCustomization(database.vendor() == DatabaseVendor.POSTGRESQL
                        ? new AutodetectJdbcCustomization(database.dataSource(), true)
                        : new DefaultJdbcCustomization(true)); // H2: timestamps in UTC, no lock-and-fetch
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
