package io.catchment.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.catchment.crypto.SecretBox;
import io.catchment.json.Json;
import io.catchment.store.Database;
import io.catchment.store.DatabaseVendor;
import io.catchment.store.Rows;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox ({@link Outbox}) to the organizations' webhooks, in two steps that each
 * survive a crash at any point:
 * <ol>
 *   <li><b>Fan-out</b>: each new event becomes one PENDING delivery per ACTIVE webhook of its
 *   organization that existed when the event happened and whose event types include it, and the
 *   event is marked fanned out, all in one transaction. {@code UNIQUE(event_id, webhook_id)}
 *   and the NOT EXISTS guard make a repeated fan-out harmless.</li>
 *   <li><b>Delivery</b>: due deliveries are claimed (PostgreSQL: {@code FOR UPDATE SKIP
 *   LOCKED}; H2 runs one process) by pushing {@code next_attempt_at} past the attempt's
 *   timeout (a lease), then POSTed outside any transaction. 2xx marks them DELIVERED;
 *   anything else schedules a retry by the {@link RetrySchedule}; when the schedule is
 *   exhausted the delivery is FAILED, its webhook FLAGGED with a status_reason, and the
 *   webhook's other pending deliveries ABANDONED.</li>
 * </ol>
 * So nothing is delivered twice unless the process dies between a receiver's answer and its
 * recording; then the lease runs out and the event is sent again with the same
 * {@value #EVENT_ID_HEADER}, which receivers use to drop the duplicate.
 *
 * <p>The body is {@code {"payload": "<inner JSON>"}} as Python's {@code json.dumps} writes it
 * (see {@link PythonJson}); the inner JSON is {@code {webhook_type, object, obj, customer_id,
 * timestamp}} with {@code obj} a copy of {@code object} (Carbon's spec and its own signature
 * sample disagree on the name) and {@code timestamp} the event's time. The signatures'
 * {@code t=} is the time of the attempt. Timestamps use the domain clock; the job itself runs on
 * the system clock.
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    /** The stable id of the event, the same on every attempt and on a redelivery after a crash. */
    public static final String EVENT_ID_HEADER = "Carbon-Webhook-Id";
    /** 1 on the first attempt: lets receivers tell a retry from a duplicate. */
    public static final String ATTEMPT_HEADER = "Carbon-Webhook-Attempt";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final int FAN_OUT_BATCH = 100;
    static final int DELIVERY_BATCH = 50;
    /** Rounds one job run makes at most before yielding its thread to other jobs. */
    private static final int MAX_ROUNDS = 20;

    private final Database database;
    private final Jdbi jdbi;
    private final SecretBox box;
    private final Clock clock;
    private final RetrySchedule schedule;
    private final WebhookPoster poster;
    private final Duration lease;
    private final Duration pollEvery;

    /**
     * @param allowedHosts hosts that may resolve to private, loopback or link-local addresses
     * @param timeout      the limit for one attempt (connect, answer and body)
     * @param pollEvery    how often the job looks for new events and due retries
     */
    public Dispatcher(Database database, SecretBox box, Clock clock, Set<String> allowedHosts, RetrySchedule schedule,
                      Duration timeout, Duration pollEvery) {
        this.database = database;
        this.jdbi = database.jdbi();
        this.box = box;
        this.clock = clock;
        this.schedule = schedule;
        this.poster = new WebhookPoster(new WebhookTargets(allowedHosts), timeout);
        // Long enough that an attempt still running is never claimed a second time.
        this.lease = timeout.multipliedBy(2).plusMinutes(1);
        this.pollEvery = pollEvery;
    }

    /** The {@code webhook-dispatch} job: fan out new events and deliver what is due, every {@code pollEvery}. */
    public List<Task<?>> tasks() {
        return List.of(Tasks.recurring("webhook-dispatch", FixedDelay.of(pollEvery)).execute((instance, ctx) -> {
            for (int round = 0; round < MAX_ROUNDS && runOnce() > 0; round++) {
                // keep going while there is work
            }
        }));
    }

    /** One fan-out batch and one delivery batch; returns how many rows were handled. */
    public int runOnce() {
        return fanOut() + deliverDue();
    }

    /** Turns up to {@value #FAN_OUT_BATCH} new events into deliveries; returns how many events. */
    public int fanOut() {
        return jdbi.inTransaction(h -> {
            List<PendingEvent> events = h.createQuery("SELECT id, organization_id, webhook_type, occurred_at"
                            + " FROM webhook_events WHERE fanned_out = FALSE ORDER BY id LIMIT " + FAN_OUT_BATCH
                            + lockClause())
                    .map((rs, ctx) -> new PendingEvent(rs.getLong("id"), rs.getLong("organization_id"),
                            rs.getString("webhook_type"), Rows.instant(rs, "occurred_at")))
                    .list();
            Instant now = clock.instant();
            for (PendingEvent e : events) {
                List<Long> webhooks = h.createQuery("SELECT id, event_types FROM webhooks WHERE organization_id = :org"
                                + " AND status = 'ACTIVE' AND created_at <= :occurred ORDER BY id")
                        .bind("org", e.organizationId()).bind("occurred", Rows.timestamp(e.occurredAt()))
                        .map((rs, ctx) -> wants(rs.getString("event_types"), e.type()) ? rs.getLong("id") : -1L)
                        .list().stream().filter(id -> id > 0).toList();
                for (long webhook : webhooks) {
                    h.createUpdate("INSERT INTO webhook_deliveries (event_id, webhook_id, status, attempts,"
                                    + " next_attempt_at, created_at, updated_at)"
                                    + " SELECT :event, :webhook, 'PENDING', 0, :now, :now, :now FROM (VALUES (1)) AS one (x)"
                                    + " WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries"
                                    + " WHERE event_id = :event AND webhook_id = :webhook)")
                            .bind("event", e.id()).bind("webhook", webhook).bind("now", Rows.timestamp(now)).execute();
                }
                h.createUpdate("UPDATE webhook_events SET fanned_out = TRUE WHERE id = :id").bind("id", e.id()).execute();
            }
            return events.size();
        });
    }

    /** Whether a webhook with these {@code event_types} (a JSON array, or NULL for all) wants {@code type}. */
    private static boolean wants(String eventTypes, String type) {
        if (eventTypes == null) return true;
        for (JsonNode t : Json.read(eventTypes)) if (type.equals(t.asText())) return true;
        return false;
    }

    private String lockClause() {
        return database.vendor() == DatabaseVendor.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
    }

    /** Attempts up to {@value #DELIVERY_BATCH} due deliveries, in parallel; returns how many. */
    public int deliverDue() {
        List<Claimed> claimed = claim();
        if (claimed.isEmpty()) return 0;
        // One virtual thread per attempt: a slow receiver must not hold up the others.
        try (ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Claimed c : claimed) attempts.submit(() -> attempt(c));
        }
        return claimed.size();
    }

    private record PendingEvent(long id, long organizationId, String type, Instant occurredAt) {}

    private record Claimed(long id, long eventId, long webhookId, int attempts, Instant createdAt, String webhookStatus,
                           String url, String sealedKey, String type, String customerId, String object,
                           Instant occurredAt) {}

    private List<Claimed> claim() {
        return jdbi.inTransaction(h -> {
            Instant now = clock.instant();
            List<Long> ids = h.createQuery("SELECT id FROM webhook_deliveries WHERE status = 'PENDING'"
                            + " AND next_attempt_at <= :now ORDER BY next_attempt_at, id LIMIT " + DELIVERY_BATCH
                            + lockClause())
                    .bind("now", Rows.timestamp(now)).mapTo(Long.class).list();
            if (ids.isEmpty()) return List.<Claimed>of();
            h.createUpdate("UPDATE webhook_deliveries SET next_attempt_at = :lease WHERE id IN (<ids>)")
                    .bind("lease", Rows.timestamp(now.plus(lease))).bindList("ids", ids).execute();
            return h.createQuery("SELECT d.id, d.event_id, d.webhook_id, d.attempts, d.created_at,"
                            + " w.status AS webhook_status, w.url, w.sealed_key, e.webhook_type, e.customer_id,"
                            + " e.object, e.occurred_at FROM webhook_deliveries d"
                            + " JOIN webhooks w ON w.id = d.webhook_id JOIN webhook_events e ON e.id = d.event_id"
                            + " WHERE d.id IN (<ids>) ORDER BY d.next_attempt_at, d.id")
                    .bindList("ids", ids)
                    .map((rs, ctx) -> new Claimed(rs.getLong("id"), rs.getLong("event_id"), rs.getLong("webhook_id"),
                            rs.getInt("attempts"), Rows.instant(rs, "created_at"), rs.getString("webhook_status"),
                            rs.getString("url"), rs.getString("sealed_key"), rs.getString("webhook_type"),
                            rs.getString("customer_id"), rs.getString("object"), Rows.instant(rs, "occurred_at")))
                    .list();
        });
    }

    private void attempt(Claimed c) {
        try {
            if (!c.webhookStatus().equals("ACTIVE")) {
                abandon(c);
                return;
            }
            Optional<String> key = signingKey(c);
            int attempt = c.attempts() + 1;
            WebhookPoster.Attempt outcome = key.isEmpty()
                    ? new WebhookPoster.Attempt.NoAnswer("the webhook's signing key cannot be opened on this server")
                    : send(c, key.get(), attempt);
            if (outcome instanceof WebhookPoster.Attempt.Answered a && a.status() / 100 == 2) {
                delivered(c, attempt, a.status());
            } else {
                failed(c, attempt, outcome);
            }
        } catch (RuntimeException e) {
            // The lease expires and the delivery is tried again; the attempt is not counted.
            log.atWarn().setCause(e).addKeyValue("delivery_id", c.id()).addKeyValue("webhook_id", c.webhookId())
                    .log("webhook delivery attempt could not be recorded");
        }
    }

    private Optional<String> signingKey(Claimed c) {
        try {
            return Optional.of(box.open(c.sealedKey(), "webhook:" + c.webhookId()));
        } catch (SecretBox.SecretException e) {
            log.atError().addKeyValue("webhook_id", c.webhookId()).addKeyValue("reason", e.getMessage())
                    .log("webhook signing key cannot be opened");
            return Optional.empty();
        }
    }

    private WebhookPoster.Attempt send(Claimed c, String key, int attempt) {
        String body = body(c.type(), Json.readObject(c.object()), c.customerId(), c.occurredAt());
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        Signer.Signatures signatures = Signer.sign(key, timestamp, body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "Catchment-Webhooks/1.0");
        headers.put(Signer.SIGNATURE_HEADER, signatures.carbonSignature());
        headers.put(Signer.COMPACT_SIGNATURE_HEADER, signatures.carbonSignatureCompact());
        headers.put(EVENT_ID_HEADER, Long.toString(c.eventId()));
        headers.put(ATTEMPT_HEADER, Integer.toString(attempt));
        return poster.post(c.url(), body, headers);
    }

    /** The exact body sent: {@code {"payload": "<inner JSON>"}}, both levels as Python writes them. */
    static String body(String type, ObjectNode object, String customerId, Instant occurredAt) {
        ObjectNode inner = Json.object();
        inner.put("webhook_type", type);
        inner.set("object", object);
        inner.set("obj", object.deepCopy());
        inner.put("customer_id", customerId);
        inner.put("timestamp", Long.toString(occurredAt.getEpochSecond()));
        ObjectNode outer = Json.object();
        outer.put("payload", PythonJson.dumps(inner));
        return PythonJson.dumps(outer);
    }

    private void delivered(Claimed c, int attempt, int status) {
        Instant now = clock.instant();
        jdbi.useHandle(h -> h.createUpdate("UPDATE webhook_deliveries SET status = 'DELIVERED', attempts = :attempts,"
                        + " last_status = :status, last_error = NULL, delivered_at = :now, updated_at = :now"
                        + " WHERE id = :id AND status = 'PENDING'")
                .bind("attempts", attempt).bind("status", status).bind("now", Rows.timestamp(now)).bind("id", c.id())
                .execute());
        log.atDebug().addKeyValue("delivery_id", c.id()).addKeyValue("event_id", c.eventId())
                .addKeyValue("webhook_id", c.webhookId()).addKeyValue("attempt", attempt).log("webhook delivered");
    }

    private void failed(Claimed c, int attempt, WebhookPoster.Attempt outcome) {
        Instant now = clock.instant();
        Optional<Integer> status = outcome instanceof WebhookPoster.Attempt.Answered a ? Optional.of(a.status())
                : Optional.empty();
        String error = switch (outcome) {
            case WebhookPoster.Attempt.Answered a -> "HTTP " + a.status()
                    + (a.snippet().isBlank() ? "" : ": " + printable(a.snippet()));
            case WebhookPoster.Attempt.NoAnswer n -> n.error();
        };
        boolean givenUp = schedule.exhausted(c.createdAt(), attempt, now);
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("UPDATE webhook_deliveries SET status = :state, attempts = :attempts,"
                            + " last_status = :status, last_error = :error, next_attempt_at = :next, updated_at = :now"
                            + " WHERE id = :id AND status = 'PENDING'")
                    .bind("state", givenUp ? "FAILED" : "PENDING").bind("attempts", attempt)
                    .bind("status", status.orElse(null)).bind("error", error)
                    .bind("next", Rows.timestamp(givenUp ? now : now.plus(schedule.delay(attempt,
                            ThreadLocalRandom.current()::nextDouble))))
                    .bind("now", Rows.timestamp(now)).bind("id", c.id()).execute();
            if (givenUp && updated > 0) flag(h, c, attempt, error, now);
        });
        log.atInfo().addKeyValue("delivery_id", c.id()).addKeyValue("event_id", c.eventId())
                .addKeyValue("webhook_id", c.webhookId()).addKeyValue("attempt", attempt)
                .addKeyValue("status", status.map(String::valueOf).orElse("none")).addKeyValue("given_up", givenUp)
                .log("webhook delivery failed");
    }

    private void flag(Handle h, Claimed c, int attempts, String error, Instant now) {
        String reason = "Deliveries failed for " + hours(schedule.giveUpAfter()) + " (" + attempts
                + " attempts); last answer: " + error;
        int flagged = h.createUpdate("UPDATE webhooks SET status = 'FLAGGED', status_reason = :reason, updated_at = :now"
                        + " WHERE id = :id AND status = 'ACTIVE'")
                .bind("reason", reason.length() > 1000 ? reason.substring(0, 1000) : reason)
                .bind("now", Rows.timestamp(now)).bind("id", c.webhookId()).execute();
        int abandoned = h.createUpdate("UPDATE webhook_deliveries SET status = 'ABANDONED', updated_at = :now"
                        + " WHERE webhook_id = :id AND status = 'PENDING'")
                .bind("now", Rows.timestamp(now)).bind("id", c.webhookId()).execute();
        if (flagged > 0) {
            log.atWarn().addKeyValue("webhook_id", c.webhookId()).addKeyValue("abandoned", abandoned)
                    .log("webhook flagged: deliveries failed for the whole retry window");
        }
    }

    private void abandon(Claimed c) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE webhook_deliveries SET status = 'ABANDONED', updated_at = :now"
                        + " WHERE id = :id AND status = 'PENDING'")
                .bind("now", Rows.timestamp(clock.instant())).bind("id", c.id()).execute());
    }

    private static String hours(Duration d) {
        return d.toMinutes() % 60 == 0 ? d.toHours() + " hours" : d.toMinutes() + " minutes";
    }

    /** The receiver's words, on one line: the log is shown in API answers and consoles. */
    private static String printable(String s) {
        return s.replaceAll("[\\p{Cntrl}]+", " ").strip();
    }
}
