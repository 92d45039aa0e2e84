package io.catchment.jobs;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import io.catchment.store.Database;
import io.catchment.store.DatabaseVendor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Puts work on the durable queue. Instance ids are chosen by the caller so that enqueuing the
 * same work twice is a no-op: the queue, not the caller, guarantees "at most once queued".
 */
public final class JobQueue {
    private final SchedulerClient client;

    public JobQueue(Database database, List<Task<?>> tasks) {
        this.client = SchedulerClient.Builder.create(database.dataSource(), tasks)
                .jdbcCustomization(jdbcCustomization(database))
                .build();
    }

    /**
     * Schedules the work to run after {@code delay} unless an instance with this id is already
     * queued or running. Jobs run on the system clock, whatever clock the domain uses (tests move
     * theirs by hours; work must still run now).
     */
    public <T> boolean enqueue(TaskDescriptor<T> task, String instanceId, T data, Duration delay) {
        return client.scheduleIfNotExists(task.instance(instanceId).data(data).scheduledTo(Instant.now().plus(delay)));
    }

    static JdbcCustomization jdbcCustomization(Database database) {
        // H2: timestamps kept in UTC, plain polling (H2 cannot lock-and-fetch).
        return database.vendor() == DatabaseVendor.POSTGRESQL
                ? new AutodetectJdbcCustomization(database.dataSource(), true)
                : new DefaultJdbcCustomization(true);
    }
}
