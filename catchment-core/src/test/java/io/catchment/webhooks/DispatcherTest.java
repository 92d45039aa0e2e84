package io.catchment.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catchment.crypto.MasterKeys;
import io.catchment.crypto.SecretBox;
import io.catchment.jobs.JobWorkers;
import io.catchment.store.Database;
import io.catchment.store.DatabaseSettings;
import io.catchment.store.Page;
import io.catchment.store.SortDirection;
import io.catchment.tenancy.Customers;
import io.catchment.tenancy.Organizations;
import io.catchment.testing.time.MutableClock;
import io.catchment.testing.webhooks.FakeWebhookReceiver;
import io.catchment.testing.webhooks.FakeWebhookReceiver.Received;
import io.catchment.testsupport.DatabaseKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(DatabaseKind.class)
class DispatcherTest {
    static final String KEY_A = "aa76aee859f223451fd9bfb37ce893a0";
    static final String KEY_B = "0123456789abcdef0123456789abcdef";
    static final ObjectMapper PLAIN = new ObjectMapper();

    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    DatabaseSettings settings;
    Database db;
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    SecretBox box = new SecretBox(MasterKeys.generate("k1"));
    FakeWebhookReceiver receiver = new FakeWebhookReceiver();
    Dispatcher dispatcher;
    Outbox outbox;
    DeliveryLog deliveries;
    long org;
    long otherOrg;
    long customer;

    @BeforeEach
    void open() {
        settings = kind.settings(dir);
        db = Database.open(settings);
        var organizations = new Organizations(db.jdbi(), clock);
        org = organizations.create("Acme").id();
        otherOrg = organizations.create("Other").id();
        customer = new Customers(db.jdbi(), clock).resolve(org, "satvik").id();
        dispatcher = dispatcher(Dispatcher.DEFAULT_TIMEOUT);
        outbox = new Outbox(clock);
        deliveries = new DeliveryLog(db.jdbi());
    }

    Dispatcher dispatcher(Duration timeout) {
        return new Dispatcher(db, box, clock, Set.of("127.0.0.1"), RetrySchedule.DEFAULT, timeout,
                Duration.ofMillis(100));
    }

    @AfterEach
    void close() {
        receiver.close();
        db.close();
    }

    @Test
    void deliversAnEventOnceSignedSoThatAnIndependentVerifierAcceptsIt() throws Exception {
        long hook = webhook(org, receiver.url("a"), KEY_A, Optional.empty());
        Instant occurred = clock.instant();
        long event = record(WebhookType.FILE_READY, 42);

        assertThat(dispatcher.runOnce()).isEqualTo(2); // one event fanned out, one delivery made
        clock.advance(Duration.ofHours(2));
        assertThat(dispatcher.runOnce()).isZero();

        assertThat(receiver.received()).hasSize(1);
        Received r = receiver.received().getFirst();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.header("content-type")).contains("application/json");
        assertThat(r.header("carbon-webhook-id")).contains(Long.toString(event));
        assertThat(r.header("carbon-webhook-attempt")).contains("1");
        verify(KEY_A, r);
        assertThat(r.bodyText()).startsWith("{\"payload\": \"{\\\"webhook_type\\\": \\\"FILE_READY\\\", ");

        JsonNode outer = PLAIN.readTree(r.body());
        assertThat(outer.size()).isEqualTo(1);
        JsonNode inner = PLAIN.readTree(outer.get("payload").textValue());
        assertThat(inner.get("webhook_type").asText()).isEqualTo("FILE_READY");
        assertThat(inner.get("customer_id").asText()).isEqualTo("satvik");
        assertThat(inner.get("timestamp").textValue()).isEqualTo(Long.toString(occurred.getEpochSecond()));
        assertThat(inner.get("object")).isEqualTo(PLAIN.readTree(
                "{\"object_type\": \"FILE\", \"object_id\": 42, \"additional_information\": null}"));
        assertThat(inner.get("obj")).isEqualTo(inner.get("object"));

        Delivery d = only(hook);
        assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.lastStatus()).contains(200);
        assertThat(d.lastError()).isEmpty();
        assertThat(d.eventId()).isEqualTo(event);
        assertThat(d.webhookType()).isEqualTo(WebhookType.FILE_READY);
        assertThat(d.deliveredAt()).isPresent();
        assertThat(d.nextAttemptAt()).isEmpty();
    }

    @Test
    void eachWebhookIsSignedWithItsOwnKey() throws Exception {
        webhook(org, receiver.url("a"), KEY_A, Optional.empty());
        webhook(org, receiver.url("b"), KEY_B, Optional.empty());
        record(WebhookType.FILES_CREATED, 7);

        dispatcher.runOnce();

        verify(KEY_A, receiver.receivedAt("a").getFirst());
        verify(KEY_B, receiver.receivedAt("b").getFirst());
        assertThat(verifies(KEY_B, receiver.receivedAt("a").getFirst())).isFalse();
    }

    @Test
    void aReceiverThatFailsTheFirstThreeAttemptsStillGetsTheEventWithBackoff() throws Exception {
        long hook = webhook(org, receiver.url("a"), KEY_A, Optional.empty());
        long event = record(WebhookType.FILE_ERROR, 9);
        receiver.failNext(3, 503);

        dispatcher.runOnce();
        assertThat(receiver.received()).hasSize(1);
        Delivery waiting = only(hook);
        assertThat(waiting.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(waiting.attempts()).isEqualTo(1);
        assertThat(waiting.lastStatus()).contains(503);
        assertThat(waiting.lastError()).hasValueSatisfying(e -> assertThat(e).startsWith("HTTP 503"));
        // The retry waits for its backoff (5-10 s after the first failure) rather than going at once.
        assertThat(waiting.nextAttemptAt()).hasValueSatisfying(
                t -> assertThat(t).isBetween(clock.instant().plusSeconds(5), clock.instant().plusSeconds(10)));
        dispatcher.runOnce();
        assertThat(receiver.received()).hasSize(1);

        runUntil(() -> only(hook).status() == DeliveryStatus.DELIVERED, 10);

        List<Received> got = receiver.received();
        assertThat(got).hasSize(4);
        assertThat(got).allSatisfy(r -> assertThat(r.header("carbon-webhook-id")).contains(Long.toString(event)));
        assertThat(got).extracting(r -> r.header("carbon-webhook-attempt").orElseThrow())
                .containsExactly("1", "2", "3", "4");
        for (Received r : got) verify(KEY_A, r);
        Delivery done = only(hook);
        assertThat(done.attempts()).isEqualTo(4);
        assertThat(done.lastStatus()).contains(200);
        assertThat(done.lastError()).isEmpty();
        assertThat(webhookStatus(hook)).isEqualTo("ACTIVE");
    }

    @Test
    void afterTwentyFourHoursOfFailuresTheWebhookIsFlaggedAndDeliveriesStop() {
        long hook = webhook(org, receiver.url("a"), KEY_A, Optional.empty());
        receiver.alwaysAnswer(500);
        Instant start = clock.instant();
        record(WebhookType.FILE_READY, 1);

        int[] rounds = {0};
        runUntil(() -> {
            if (++rounds[0] == 30) record(WebhookType.FILE_DELETED, 2); // still young when the webhook is flagged
            return webhookStatus(hook).equals("FLAGGED");
        }, 60);

        assertThat(Duration.between(start, clock.instant())).isGreaterThanOrEqualTo(Duration.ofHours(24));
        assertThat(webhookReason(hook)).startsWith("Deliveries failed for 24 hours").contains("HTTP 500");
        List<Delivery> log = deliveries.list(org, new DeliveryQuery(Optional.of(hook), Optional.empty(),
                SortDirection.ASC, Page.DEFAULT)).results();
        assertThat(log).hasSize(2);
        assertThat(log.get(0).status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(log.get(0).attempts()).isGreaterThanOrEqualTo(RetrySchedule.DEFAULT.minimumAttempts());
        assertThat(log.get(0).lastStatus()).contains(500);
        assertThat(log.get(1).status()).isEqualTo(DeliveryStatus.ABANDONED);

        int sentToFlagged = receiver.receivedAt("a").size();
        record(WebhookType.FILE_READY, 3);
        dispatcher.runOnce();
        clock.advance(Duration.ofHours(2));
        dispatcher.runOnce();
        assertThat(receiver.receivedAt("a")).hasSize(sentToFlagged);
        assertThat(deliveries.list(org, DeliveryQuery.ALL).count()).isEqualTo(2); // none made for the new event
    }

    @Test
    void aFlaggedWebhookDoesNotStopItsOrganizationsOtherWebhooks() {
        FakeWebhookReceiver good = new FakeWebhookReceiver();
        try (good) {
            long bad = webhook(org, receiver.url("a"), KEY_A, Optional.empty());
            long fine = webhook(org, good.url("b"), KEY_B, Optional.empty());
            receiver.alwaysAnswer(500);
            record(WebhookType.FILE_READY, 1);

            runUntil(() -> webhookStatus(bad).equals("FLAGGED"), 60);

            record(WebhookType.FILE_READY, 2);
            dispatcher.runOnce();
            assertThat(webhookStatus(fine)).isEqualTo("ACTIVE");
            assertThat(good.received()).hasSize(2);
        }
    }

    @Test
    void eventTypesLimitWhatAWebhookGets() throws Exception {
        webhook(org, receiver.url("ready-only"), KEY_A, Optional.of("[\"FILE_READY\", \"FILE_ERROR\"]"));
        webhook(org, receiver.url("all"), KEY_B, Optional.empty());
        record(WebhookType.FILE_READY, 1);
        record(WebhookType.FILE_DELETED, 2);
        record(WebhookType.FILE_ERROR, 3);

        dispatcher.runOnce();

        assertThat(types(receiver.receivedAt("ready-only"))).containsExactlyInAnyOrder("FILE_READY", "FILE_ERROR");
        assertThat(types(receiver.receivedAt("all"))).containsExactlyInAnyOrder("FILE_READY", "FILE_DELETED", "FILE_ERROR");
    }

    @Test
    void aWebhookAddedAfterAnEventGetsOnlyLaterEvents() throws Exception {
        webhook(org, receiver.url("early"), KEY_A, Optional.empty());
        record(WebhookType.FILE_READY, 1);
        dispatcher.runOnce();

        clock.advance(Duration.ofSeconds(1));
        webhook(org, receiver.url("late"), KEY_B, Optional.empty());
        dispatcher.runOnce();
        assertThat(receiver.receivedAt("late")).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        record(WebhookType.FILE_DELETED, 1);
        dispatcher.runOnce();
        assertThat(types(receiver.receivedAt("late"))).containsExactly("FILE_DELETED");
        assertThat(types(receiver.receivedAt("early"))).containsExactlyInAnyOrder("FILE_READY", "FILE_DELETED");
    }

    @Test
    void eventsGoOnlyToTheirOwnOrganizationsWebhooksAndTheLogIsPerOrganization() {
        long mine = webhook(org, receiver.url("mine"), KEY_A, Optional.empty());
        long theirs = webhook(otherOrg, receiver.url("theirs"), KEY_B, Optional.empty());
        record(WebhookType.FILE_READY, 1);
        record(WebhookType.FILE_READY, 2);

        dispatcher.runOnce();

        assertThat(receiver.receivedAt("theirs")).isEmpty();
        assertThat(receiver.receivedAt("mine")).hasSize(2);
        assertThat(deliveries.list(org, DeliveryQuery.ALL).count()).isEqualTo(2);
        assertThat(deliveries.list(otherOrg, DeliveryQuery.ALL).count()).isZero();
        assertThat(deliveries.ownsWebhook(org, mine)).isTrue();
        assertThat(deliveries.ownsWebhook(org, theirs)).isFalse();
        DeliveryPage page = deliveries.list(org, new DeliveryQuery(Optional.of(mine), Optional.of(DeliveryStatus.DELIVERED),
                SortDirection.DESC, new Page(1, 0, 0)));
        assertThat(page.count()).isEqualTo(2);
        assertThat(page.results()).hasSize(1);
        DeliveryPage next = deliveries.list(org, new DeliveryQuery(Optional.of(mine), Optional.empty(),
                SortDirection.DESC, new Page(10, 0, page.results().getFirst().id())));
        assertThat(next.results()).hasSize(1);
        assertThat(next.results().getFirst().id()).isLessThan(page.results().getFirst().id());
    }

    @Test
    void internalTargetsThatAreNotAllowlistedAndRedirectsAreFailedAttempts() {
        long refused = webhook(org, receiver.url("x").replace("127.0.0.1", "localhost"), KEY_A, Optional.empty());
        long redirecting = webhook(org, receiver.url("r"), KEY_B, Optional.empty());
        receiver.answerNext(FakeWebhookReceiver.Answer.redirect(receiver.url("elsewhere")));
        record(WebhookType.FILE_READY, 1);

        dispatcher.runOnce();

        Delivery r = only(refused);
        assertThat(r.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.lastStatus()).isEmpty();
        assertThat(r.lastError()).hasValueSatisfying(e -> assertThat(e).startsWith("refused: ").contains("localhost"));
        Delivery d = only(redirecting);
        assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(d.lastStatus()).contains(302);
        assertThat(receiver.received()).extracting(Received::path).containsExactly("/hooks/r");
    }

    @Test
    void aSlowReceiverIsAFailedAttemptAfterTheTimeout() {
        long hook = webhook(org, receiver.url("slow"), KEY_A, Optional.empty());
        receiver.answerAfter(Duration.ofSeconds(5));
        record(WebhookType.FILE_READY, 1);

        dispatcher(Duration.ofMillis(500)).runOnce();

        Delivery d = only(hook);
        assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(d.lastStatus()).isEmpty();
        assertThat(d.lastError()).hasValueSatisfying(e -> assertThat(e).contains("no answer within"));
    }

    @Test
    void eventsRecordedBeforeARestartAreDeliveredAfterIt() {
        long hook = webhook(org, receiver.url("a"), KEY_A, Optional.empty());
        record(WebhookType.FILE_READY, 1);
        dispatcher.fanOut();
        record(WebhookType.FILE_READY, 2);
        db.close();

        db = Database.open(settings);
        new Dispatcher(db, box, clock, Set.of("127.0.0.1"), RetrySchedule.DEFAULT, Dispatcher.DEFAULT_TIMEOUT,
                Duration.ofMillis(100)).runOnce();

        assertThat(receiver.receivedAt("a")).hasSize(2);
        assertThat(new DeliveryLog(db.jdbi()).list(org, DeliveryQuery.ALL).results())
                .allSatisfy(d -> assertThat(d.webhookId()).isEqualTo(hook))
                .allSatisfy(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED));
    }

    @Test
    void theJobDeliversInTheBackground() throws Exception {
        webhook(org, receiver.url("a"), KEY_A, Optional.empty());
        record(WebhookType.FILE_READY, 1);

        try (JobWorkers workers = JobWorkers.start(db, dispatcher.tasks(), 2, Duration.ofMillis(100))) {
            List<Received> got = receiver.awaitRequests(1, Duration.ofSeconds(60));
            verify(KEY_A, got.getFirst());
        }
    }

    // ---- helpers

    long webhook(long organization, String url, String key, Optional<String> eventTypes) {
        return db.jdbi().inTransaction(h -> {
            long id = h.createUpdate("INSERT INTO webhooks (organization_id, url, sealed_key, status, event_types,"
                            + " created_at, updated_at) VALUES (:org, :url, '', 'ACTIVE', :types, :now, :now)")
                    .bind("org", organization).bind("url", url).bind("types", eventTypes.orElse(null))
                    .bind("now", io.catchment.store.Rows.timestamp(clock.instant()))
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            h.createUpdate("UPDATE webhooks SET sealed_key = :sealed WHERE id = :id")
                    .bind("sealed", box.seal(key, "webhook:" + id)).bind("id", id).execute();
            return id;
        });
    }

    /** Records an event through the real outbox and returns its id. */
    long record(WebhookType type, long fileId) {
        db.jdbi().useTransaction(h -> outbox.record(h, Event.of(org, customer, type, ObjectType.FILE, fileId)));
        return db.jdbi().withHandle(h -> h.createQuery("SELECT MAX(id) FROM webhook_events").mapTo(Long.class).one());
    }

    Delivery only(long webhookId) {
        List<Delivery> rows = deliveries.list(org, new DeliveryQuery(Optional.of(webhookId), Optional.empty(),
                SortDirection.ASC, Page.DEFAULT)).results();
        assertThat(rows).hasSize(1);
        return rows.getFirst();
    }

    String webhookStatus(long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT status FROM webhooks WHERE id = :id").bind("id", id)
                .mapTo(String.class).one());
    }

    String webhookReason(long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT status_reason FROM webhooks WHERE id = :id")
                .bind("id", id).mapTo(String.class).one());
    }

    /** Runs the dispatcher and moves the clock an hour (past any backoff) until {@code done}, at most {@code rounds} times. */
    void runUntil(BooleanSupplier done, int rounds) {
        for (int i = 0; i < rounds; i++) {
            dispatcher.runOnce();
            if (done.getAsBoolean()) return;
            clock.advance(Duration.ofHours(1));
        }
        throw new AssertionError("not done after " + rounds + " rounds");
    }

    static List<String> types(List<Received> received) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        for (Received r : received) {
            out.add(PLAIN.readTree(PLAIN.readTree(r.body()).get("payload").textValue()).get("webhook_type").asText());
        }
        return out;
    }

    // ---- an independent verifier, written as a receiver would (Carbon's documented scheme)

    static void verify(String key, Received r) throws Exception {
        assertThat(verifies(key, r)).as("signatures of %s", r.bodyText()).isTrue();
    }

    static boolean verifies(String key, Received r) throws Exception {
        Matcher v1 = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})").matcher(r.header("carbon-signature").orElseThrow());
        Matcher v2 = Pattern.compile("t=(\\d+),v2=([0-9a-f]{64})")
                .matcher(r.header("carbon-signature-compact").orElseThrow());
        assertThat(v1.matches()).isTrue();
        assertThat(v2.matches()).isTrue();
        assertThat(v2.group(1)).isEqualTo(v1.group(1));
        byte[] raw = r.body();
        // What a JavaScript receiver has: the parsed body, stringified again (compact).
        byte[] restringified = PLAIN.writeValueAsBytes(PLAIN.readTree(raw));
        return MessageDigest.isEqual(hmac(key, v1.group(1), raw), HexFormat.of().parseHex(v1.group(2)))
                && MessageDigest.isEqual(hmac(key, v2.group(1), restringified), HexFormat.of().parseHex(v2.group(2)));
    }

    static byte[] hmac(String key, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HexFormat.of().parseHex(key), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return mac.doFinal(body);
    }
}
