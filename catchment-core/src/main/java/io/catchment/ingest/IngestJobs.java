package io.catchment.ingest;

import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.catchment.files.FileLifecycle;
import io.catchment.files.FileStatus;
import io.catchment.files.StoredFile;
import io.catchment.jobs.JobQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's jobs: {@code ingest-file} runs the pipeline for one (file, generation,
 * attempt); {@code ingest-sweep} re-queues files whose job went missing and indexes READY
 * files the index lags behind. Job ids are deterministic, so queuing twice is harmless.
 */
public final class IngestJobs {
    private static final Logger log = LoggerFactory.getLogger(IngestJobs.class);
    static final TaskDescriptor<String> INGEST = TaskDescriptor.of("ingest-file", String.class);
    private static final Duration STUCK_AFTER = Duration.ofMinutes(10);

    private final Supplier<IngestionPipeline> pipeline;
    private final FileLifecycle lifecycle;
    private final Indexer indexer;
    private final Clock clock;
    private final Duration sweepEvery;
    private JobQueue queue;

    public IngestJobs(Supplier<IngestionPipeline> pipeline, FileLifecycle lifecycle, Indexer indexer, Clock clock,
                      Duration sweepEvery) {
        this.pipeline = pipeline;
        this.lifecycle = lifecycle;
        this.indexer = indexer;
        this.clock = clock;
        this.sweepEvery = sweepEvery;
    }

    /** The queue the jobs re-enqueue through (set once, after the queue is built from {@link #tasks()}). */
    public void attach(JobQueue queue) {
        this.queue = queue;
    }

    public List<Task<?>> tasks() {
        Task<String> ingest = Tasks.oneTime(INGEST).execute((instance, ctx) -> run(instance.getData()));
        Task<Void> sweep = Tasks.recurring("ingest-sweep", FixedDelay.of(sweepEvery)).execute((instance, ctx) -> sweep());
        return List.of(ingest, sweep);
    }


    /** Queues the pipeline for the file's current generation and attempt count, after {@code delay}. */
    public void enqueue(StoredFile file, Duration delay) {
        queue.enqueue(INGEST, file.id() + "-" + file.generation() + "-" + file.attempts(),
                file.id() + ":" + file.generation(), delay);
    }

    private void run(String data) {
        String[] parts = data.split(":");
        long fileId = Long.parseLong(parts[0]);
        long generation = Long.parseLong(parts[1]);
        Outcome outcome = pipeline.get().process(fileId, generation);
        if (outcome instanceof Outcome.RetryAfter wait) {
            lifecycle.find(fileId).ifPresent(f -> {
                log.atInfo().addKeyValue("file_id", fileId).addKeyValue("retry_in_s", wait.delay().toSeconds())
                        .log("source rate-limited the fetch; file will be retried");
                // The attempt was not counted, so the id needs its own suffix to differ from the running instance.
                queue.enqueue(INGEST, f.id() + "-" + f.generation() + "-" + f.attempts() + "-rl" + System.nanoTime(),
                        f.id() + ":" + f.generation(), wait.delay());
            });
        }
        if (outcome instanceof Outcome.Retry retry) {
            lifecycle.find(fileId).ifPresent(f -> {
                Duration backoff = Duration.ofSeconds(5L << Math.min(f.attempts(), 6));
                log.atInfo().addKeyValue("file_id", fileId).addKeyValue("attempt", f.attempts())
                        .addKeyValue("retry_in_s", backoff.toSeconds()).addKeyValue("reason", retry.reason())
                        .log("file will be retried");
                enqueue(f, backoff);
            });
        }
    }

    void sweep() {
        Instant stuckBefore = clock.instant().minus(STUCK_AFTER);
        for (StoredFile f : lifecycle.pending(1000)) {
            // SYNCING is someone's work in progress and RATE_LIMITED waits for its own retry; both only when stuck.
            boolean waiting = f.status() == FileStatus.SYNCING || f.status() == FileStatus.RATE_LIMITED;
            if (!waiting || f.updatedAt().isBefore(stuckBefore)) enqueue(f, Duration.ZERO);
        }
        for (StoredFile f : lifecycle.unindexed(1000)) indexer.ensureIndexed(f);
    }
}
