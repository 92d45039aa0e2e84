package io.catchment.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catchment.json.Json;
import io.catchment.server.support.Client;
import io.catchment.server.support.Reply;
import io.catchment.store.Database;
import io.catchment.store.DatabaseSettings;
import io.catchment.store.Rows;
import io.catchment.testing.webhooks.FakeWebhookReceiver;
import io.catchment.testing.webhooks.FakeWebhookReceiver.Received;
import io.catchment.testsupport.DatabaseKind;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The webhook crash test, on both databases, with the real server process ({@code bin/catchment
 * serve}) and a {@link FakeWebhookReceiver} in this JVM (on loopback, hence
 * {@code --url-allowlist 127.0.0.1}).
 *
 * <p>Two webhooks are added (one for every event, one for FILE_READY only, so an event fans out to
 * both and delivery ids differ from event ids) while the receiver answers 503, slowly. Files are
 * uploaded; once the delivery log shows FILES_CREATED, FILE_SYNCING and FILE_READY deliveries
 * still PENDING after a failed attempt (the state changes are committed, their deliveries are
 * owed), the server gets SIGKILL at a moment the receiver holds an unanswered request (an attempt
 * in flight). The database then tells what the killed process recorded: the events and each
 * delivery's attempt count. The receiver starts answering 200 at once, the server is restarted and
 * one more file is uploaded (events after the restart). Then:
 * <ul>
 *   <li>every delivery (owed at the kill or made after) arrives after the restart exactly once,
 *       with attempt number a+1, a being its attempt count in the database at the kill;</li>
 *   <li>before the restart each delivery was sent with attempts 1..a, plus at most attempt a+1:
 *       one that reached the receiver but whose answer the killed process never recorded. That
 *       in-flight attempt is the only way the same delivery reaches the receiver twice with the
 *       same {@code Carbon-Webhook-Attempt}; the kill is timed so there is at least one, and its
 *       repeat carries the same {@code Carbon-Webhook-Id} and a byte-identical body, which is what
 *       lets receivers drop it;</li>
 *   <li>every request of one event id (any attempt, any webhook) carries the same body, which is
 *       that event's row (type, customer, object, time), and its {@code Carbon-Signature} (v1,
 *       over the raw body) and {@code Carbon-Signature-Compact} (v2) verify, with an HMAC of the
 *       test's own, under the key add_webhook showed for that webhook;</li>
 *   <li>at the end every event is fanned out, every delivery DELIVERED (database and log API agree)
 *       with the attempt count the receiver saw, and both webhooks are still ACTIVE.</li>
 * </ul>
 * The in-flight delivery keeps its lease (twice the 10 s attempt timeout plus a minute) after the
 * restart, so each database takes about 100 s, most of it waiting for that lease to run out.
 */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class WebhookCrashIT {
    private static final int FILES = 6;
    private static final String CUSTOMER = "crash-user";
    /**
     * How long the receiver takes to answer before the kill. The kill waits for a request received
     * less than {@link #IN_FLIGHT_MARGIN} ago, so its answer is still seconds away.
     */
    private static final Duration SLOW_ANSWER = Duration.ofSeconds(5);
    private static final Duration IN_FLIGHT_MARGIN = Duration.ofSeconds(2);
    private static final Set<String> KILL_AFTER = Set.of("FILES_CREATED", "FILE_SYNCING", "FILE_READY");
    private static final Pattern V1 = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})");
    private static final Pattern V2 = Pattern.compile("t=(\\d+),v2=([0-9a-f]{64})");
    /** A plain mapper for the compact re-serialization (v2): keeps the body's key order. */
    private static final ObjectMapper PLAIN = new ObjectMapper();

    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    private Path data;
    private DatabaseSettings settings;
    private final List<Process> started = new ArrayList<>();
    private final FakeWebhookReceiver receiver = new FakeWebhookReceiver();
    /** Why the deliveries were not settled at the last look, for the timeout's message. */
    private String unsettled = "not looked yet";

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(20, TimeUnit.SECONDS);
            }
        }
        receiver.close();
    }

    /** An event row as the database holds it. */
    private record EventRow(long id, String type, String customerId, String object, Instant occurredAt,
                            boolean fannedOut) {}

    /** One delivery: an event to a webhook. */
    private record Key(long eventId, long webhookId) {}

    /** A delivery row as the database holds it. */
    private record DeliveryRow(Key key, String status, int attempts, Integer lastStatus) {}

    /** A webhook as added: its receiver path, its key, the event types it asked for (empty = all). */
    private record Hook(long id, String path, String signingKey, Set<String> types) {
        boolean wants(String type) {
            return types.isEmpty() || types.contains(type);
        }
    }

    /** One request the receiver got, with what the test reads from it. */
    private record Sent(Key key, int attempt, byte[] body, Received raw) {}

    @Test
    void deliveriesOwedAtAKillArriveAfterRestartOnceWithStableIdsAndValidSignatures() throws Exception {
        data = dir.resolve("data");
        settings = kind.settings(data);
        int port = freePort();
        Client anonymous = new Client("http://127.0.0.1:" + port, Map.of());
        // Slow failures: the attempt the kill interrupts is one the receiver got and never answered.
        receiver.alwaysAnswer(503).answerAfter(SLOW_ANSWER);

        Process first = start(port, "first.log");
        Client org = awaitHealthy(anonymous, first, data.resolve("first.log"));
        // Two webhooks, so delivery ids and event ids differ and one event fans out to both.
        Hook everything = addWebhook(org, "all", Set.of());
        Hook ready = addWebhook(org, "ready", Set.of("FILE_READY"));
        Map<String, Hook> hookAt = Map.of(everything.path(), everything, ready.path(), ready);

        Client customer = org.with("customer-id", CUSTOMER);
        List<Long> fileIds = new ArrayList<>();
        for (int i = 0; i < FILES; i++) fileIds.add(upload(customer, "doc-" + i + ".txt", i));
        // State changes happened and their deliveries failed at least once, so they are still owed.
        waitUntil(() -> triedTypes(org).containsAll(KILL_AFTER), Duration.ofSeconds(90),
                "FILES_CREATED, FILE_SYNCING and FILE_READY deliveries pending after a failed attempt");
        // ... and kill while an attempt is surely in flight: received well within its answer's delay.
        waitUntil(this::attemptInFlight, Duration.ofSeconds(90), "an attempt in flight");
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close
        assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
        receiver.alwaysAnswer(200).answerAfter(Duration.ZERO);

        Map<Long, EventRow> eventsAtKill = events();
        Map<Key, DeliveryRow> deliveriesAtKill = deliveries();
        assertThat(deliveriesAtKill.values()).as("nothing was delivered before the kill (the receiver said 503)")
                .allSatisfy(d -> assertThat(d.status()).isEqualTo("PENDING"));
        assertThat(deliveriesAtKill.values()).as("some deliveries had failed attempts at the kill")
                .anySatisfy(d -> assertThat(d.attempts()).isPositive());
        assertThat(eventsAtKill.values().stream().map(EventRow::type).collect(Collectors.toSet()))
                .contains("CHECKUP").containsAll(KILL_AFTER);

        // A request the killed process had fully sent may still be handled by the receiver's threads
        // just after the kill: let those land before the restart so the split below is exact.
        int boundary = settledCount();
        Process second = start(port, "second.log");
        awaitHealthy(anonymous, second, data.resolve("second.log"));
        // One more file after the restart: new events queue behind the owed ones.
        fileIds.add(upload(customer, "late.txt", FILES));
        waitUntil(() -> countReady(customer) == FILES + 1, Duration.ofSeconds(120), "all files READY after restart");
        // The last READY records the last events; they are fanned out and delivered within a few
        // dispatcher rounds (1 s apart). Done = nothing pending, every logged delivery arrived after
        // the restart, and that still holds three seconds later (no late fan-out).
        waitUntil(() -> settled(org, hookAt, boundary) && sleep(3000) && settled(org, hookAt, boundary),
                Duration.ofSeconds(180), "every delivery DELIVERED after the restart", () -> unsettled);
        JsonNode log = org.post("/webhooks/deliveries", Map.of("pagination", Map.of("limit", 1000))).json();
        JsonNode hooks = org.post("/webhooks", Map.of()).json();
        second.destroy();
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Map<Long, EventRow> eventsAtEnd = events();
        Map<Key, DeliveryRow> deliveriesAtEnd = deliveries();
        List<Sent> sent = receiver.received().stream().map(r -> parse(r, hookAt)).toList();
        List<Sent> before = sent.subList(0, boundary);
        List<Sent> after = sent.subList(boundary, sent.size());

        // The events the killed process recorded are still there, unchanged; more came after the restart.
        assertThat(eventsAtEnd).containsAllEntriesOf(withFannedOut(eventsAtKill));
        assertThat(eventsAtEnd.size()).as("events recorded after the restart").isGreaterThan(eventsAtKill.size());
        assertThat(eventsAtEnd.values()).allSatisfy(e -> assertThat(e.fannedOut()).as("event %d", e.id()).isTrue());
        assertThat(eventsAtEnd.values().stream().filter(e -> e.type().equals("FILE_READY"))
                .map(e -> Json.read(e.object()).get("object_id").asLong()).collect(Collectors.toSet()))
                .as("a FILE_READY event per file").containsExactlyInAnyOrderElementsOf(fileIds);

        // One delivery per event and webhook that wants it; a CHECKUP goes to its own webhook only.
        Set<Key> owed = new TreeSet<>(Comparator.comparingLong(Key::eventId).thenComparingLong(Key::webhookId));
        List<Long> checkups = new ArrayList<>();
        for (EventRow e : eventsAtEnd.values()) {
            if (e.type().equals("CHECKUP")) {
                checkups.add(e.id());
            } else {
                for (Hook h : hookAt.values()) if (h.wants(e.type())) owed.add(new Key(e.id(), h.id()));
            }
        }
        assertThat(checkups).hasSize(2);
        owed.add(new Key(checkups.get(0), everything.id()));
        owed.add(new Key(checkups.get(1), ready.id()));
        assertThat(deliveriesAtEnd.keySet()).containsExactlyInAnyOrderElementsOf(owed);

        // Every request: a recorded event's id, its exact row as the body (the same for every
        // attempt and every webhook), signatures that verify with its webhook's key.
        Map<Long, byte[]> bodyOf = new TreeMap<>();
        for (Sent s : sent) {
            EventRow event = eventsAtEnd.get(s.key().eventId());
            assertThat(event).as("request for event %d names a recorded event", s.key().eventId()).isNotNull();
            assertBodyIs(s, event);
            assertSigned(s, hookOf(hookAt, s).signingKey());
            byte[] earlierBody = bodyOf.putIfAbsent(s.key().eventId(), s.body());
            if (earlierBody != null) {
                assertThat(s.body()).as("event %d is sent with the same body every time", s.key().eventId())
                        .isEqualTo(earlierBody);
            }
        }
        assertThat(before).as("before the restart only deliveries the killed process had recorded were sent")
                .allSatisfy(s -> assertThat(deliveriesAtKill).containsKey(s.key()));

        // After the restart: each delivery exactly once, with attempt a+1 (a = failed attempts at the kill).
        Map<Key, List<Sent>> afterByKey = byKey(after);
        assertThat(afterByKey.keySet()).as("every delivery arrives after the restart, those owed at the kill too")
                .containsExactlyInAnyOrderElementsOf(owed);
        Map<Key, List<Sent>> beforeByKey = byKey(before);
        List<Key> inFlightAtKill = new ArrayList<>();
        for (Key k : owed) {
            int a = deliveriesAtKill.containsKey(k) ? deliveriesAtKill.get(k).attempts() : 0;
            List<Sent> mine = afterByKey.get(k);
            assertThat(mine).as("%s arrives once after the restart", k).hasSize(1);
            assertThat(mine.getFirst().attempt()).as("%s's attempt after the restart", k).isEqualTo(a + 1);
            List<Integer> earlier = beforeByKey.getOrDefault(k, List.of()).stream().map(Sent::attempt).toList();
            if (earlier.size() == a + 1) {
                // Reached the receiver, answer never recorded: sent again after the restart with
                // the same id, the same attempt number and the same body (checked above).
                assertThat(earlier).as("%s's attempts before the kill", k).isEqualTo(range(a + 1));
                inFlightAtKill.add(k);
            } else {
                assertThat(earlier).as("%s's attempts before the kill (%d recorded)", k, a).isEqualTo(range(a));
            }
            DeliveryRow d = deliveriesAtEnd.get(k);
            assertThat(d.status()).as("%s", k).isEqualTo("DELIVERED");
            assertThat(d.attempts()).as("%s's attempts", k).isEqualTo(a + 1);
            assertThat(d.lastStatus()).as("%s", k).isEqualTo(200);
        }
        // Duplicates are the attempts in flight at the kill, and the kill was timed to catch at least one.
        assertThat(inFlightAtKill).as("attempts in flight at the kill").isNotEmpty();
        long repeated = sent.stream().collect(Collectors.groupingBy(s -> List.of(s.key(), s.attempt()),
                Collectors.counting())).values().stream().filter(n -> n > 1).count();
        assertThat(repeated).as("same delivery and attempt twice: only what was in flight at the kill %s",
                inFlightAtKill).isEqualTo(inFlightAtKill.size());

        // The log API agrees, and the webhooks survived the failures without being flagged.
        assertThat(log.get("count").asLong()).isEqualTo(owed.size());
        for (JsonNode d : log.get("results")) {
            Key k = new Key(d.get("event_id").asLong(), d.get("webhook_id").asLong());
            assertThat(d.get("status").asText()).isEqualTo("DELIVERED");
            assertThat(d.get("last_status").asInt()).isEqualTo(200);
            assertThat(d.get("attempts").asInt()).isEqualTo(deliveriesAtEnd.get(k).attempts());
            assertThat(d.get("webhook_type").asText()).isEqualTo(eventsAtEnd.get(k.eventId()).type());
        }
        assertThat(hooks.get("count").asInt()).isEqualTo(2);
        assertThat(hooks.get("results")).allSatisfy(h -> assertThat(h.get("status").asText()).isEqualTo("ACTIVE"));
        assertThat(hooks.toString()).doesNotContain(everything.signingKey()).doesNotContain(ready.signingKey());
    }

    private Hook addWebhook(Client org, String name, Set<String> types) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", receiver.url(name));
        if (!types.isEmpty()) body.put("event_types", List.copyOf(types));
        Reply added = org.post("/add_webhook", body);
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        String key = added.json().get("signing_key").asText();
        assertThat(key).matches("[0-9a-f]{32}");
        return new Hook(added.json().get("id").asLong(), "/hooks/" + name, key, types);
    }

    private static long upload(Client customer, String name, int seed) {
        Reply r = customer.upload("/uploadfile?chunk_size=120&chunk_overlap=10", "file", name,
                text(seed).getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("id").asLong();
    }

    // ---- what the server recorded

    private Map<Long, EventRow> events() {
        try (Database db = Database.open(settings)) {
            return db.jdbi().withHandle(h -> h.createQuery("""
                            SELECT id, webhook_type, customer_id, object, occurred_at, fanned_out
                            FROM webhook_events ORDER BY id""")
                    .map((rs, ctx) -> new EventRow(rs.getLong("id"), rs.getString("webhook_type"),
                            rs.getString("customer_id"), rs.getString("object"), Rows.instant(rs, "occurred_at"),
                            rs.getBoolean("fanned_out")))
                    .list().stream().collect(Collectors.toMap(EventRow::id, e -> e, (x, y) -> x, TreeMap::new)));
        }
    }

    private Map<Key, DeliveryRow> deliveries() {
        try (Database db = Database.open(settings)) {
            return db.jdbi().withHandle(h -> h.createQuery("""
                            SELECT event_id, webhook_id, status, attempts, last_status
                            FROM webhook_deliveries ORDER BY id""")
                    .map((rs, ctx) -> new DeliveryRow(new Key(rs.getLong("event_id"), rs.getLong("webhook_id")),
                            rs.getString("status"), rs.getInt("attempts"), (Integer) rs.getObject("last_status")))
                    .list().stream().collect(Collectors.toMap(DeliveryRow::key, d -> d, (x, y) -> {
                        throw new AssertionError("two deliveries of " + x.key());
                    }, LinkedHashMap::new)));
        }
    }

    /** The events as they should look once fanned out (the kill may have caught some before that). */
    private static Map<Long, EventRow> withFannedOut(Map<Long, EventRow> events) {
        Map<Long, EventRow> out = new LinkedHashMap<>();
        events.forEach((id, e) -> out.put(id, new EventRow(e.id(), e.type(), e.customerId(), e.object(),
                e.occurredAt(), true)));
        return out;
    }

    /** The types of PENDING deliveries that have had at least one (failed) attempt, per the log API. */
    private static Set<String> triedTypes(Client org) {
        Reply r = org.post("/webhooks/deliveries", Map.of("status", "PENDING", "pagination", Map.of("limit", 1000)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Set<String> types = new TreeSet<>();
        for (JsonNode d : r.json().get("results")) {
            if (d.get("attempts").asInt() > 0) types.add(d.get("webhook_type").asText());
        }
        return types;
    }

    /** Nothing pending, and every logged delivery has arrived since the restart. */
    private boolean settled(Client org, Map<String, Hook> hookAt, int boundary) {
        Reply r = org.post("/webhooks/deliveries", Map.of("pagination", Map.of("limit", 1000)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Set<Key> logged = new HashSet<>();
        for (JsonNode d : r.json().get("results")) {
            if (!d.get("status").asText().equals("DELIVERED")) {
                unsettled = "not delivered: " + d;
                return false;
            }
            logged.add(new Key(d.get("event_id").asLong(), d.get("webhook_id").asLong()));
        }
        List<Received> all = receiver.received();
        Set<Key> arrived = all.subList(boundary, all.size()).stream().map(x -> parse(x, hookAt).key())
                .collect(Collectors.toSet());
        Set<Key> missing = new HashSet<>(logged);
        missing.removeAll(arrived);
        unsettled = "logged " + r.json().get("count").asLong() + " deliveries, " + logged.size()
                + " listed; DELIVERED but not received after the restart: " + missing
                + "; received after the restart: " + arrived;
        return r.json().get("count").asLong() == logged.size() && missing.isEmpty();
    }

    // ---- what the receiver got

    private static Sent parse(Received r, Map<String, Hook> hookAt) {
        assertThat(r.method()).isEqualTo("POST");
        assertThat(hookAt).as("requests only at the webhooks' URLs").containsKey(r.path());
        assertThat(r.header("content-type")).hasValue("application/json");
        String id = r.header("carbon-webhook-id").orElseThrow(() -> new AssertionError("no Carbon-Webhook-Id"));
        String attempt = r.header("carbon-webhook-attempt").orElseThrow(() -> new AssertionError("no attempt header"));
        return new Sent(new Key(Long.parseLong(id), hookAt.get(r.path()).id()), Integer.parseInt(attempt), r.body(), r);
    }

    private static Hook hookOf(Map<String, Hook> hookAt, Sent s) {
        return hookAt.get(s.raw().path());
    }

    private static void assertBodyIs(Sent s, EventRow event) {
        JsonNode outer = Json.read(new String(s.body(), StandardCharsets.UTF_8));
        assertThat(outer.size()).as("the body is {\"payload\": ...} only").isEqualTo(1);
        JsonNode inner = Json.read(outer.get("payload").asText());
        assertThat(inner.get("webhook_type").asText()).as("event %d", event.id()).isEqualTo(event.type());
        assertThat(inner.get("customer_id").asText()).isEqualTo(event.customerId());
        assertThat(inner.get("object")).isEqualTo(Json.read(event.object()));
        assertThat(inner.get("obj")).isEqualTo(inner.get("object"));
        assertThat(inner.get("timestamp").asText()).isEqualTo(Long.toString(event.occurredAt().getEpochSecond()));
        if (!event.type().equals("CHECKUP")) assertThat(event.customerId()).isEqualTo(CUSTOMER);
    }

    /** Checks both signatures with an HMAC of the test's own (the server's Signer is not used). */
    private static void assertSigned(Sent s, String signingKey) throws Exception {
        Matcher v1 = V1.matcher(s.raw().header("carbon-signature").orElseThrow());
        assertThat(v1.matches()).as("Carbon-Signature of event %d", s.key().eventId()).isTrue();
        assertThat(v1.group(2)).as("v1 of event %d", s.key().eventId()).isEqualTo(hmac(signingKey, v1.group(1), s.body()));
        Matcher v2 = V2.matcher(s.raw().header("carbon-signature-compact").orElseThrow());
        assertThat(v2.matches()).isTrue();
        assertThat(v2.group(1)).isEqualTo(v1.group(1));
        byte[] compact = PLAIN.writeValueAsBytes(PLAIN.readTree(s.body()));
        assertThat(v2.group(2)).as("v2 of event %d", s.key().eventId()).isEqualTo(hmac(signingKey, v2.group(1), compact));
    }

    private static String hmac(String hexKey, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HexFormat.of().parseHex(hexKey), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static Map<Key, List<Sent>> byKey(List<Sent> sent) {
        return sent.stream().collect(Collectors.groupingBy(Sent::key, LinkedHashMap::new, Collectors.toList()));
    }

    private static List<Integer> range(int n) {
        return IntStream.rangeClosed(1, n).boxed().toList();
    }

    /** Whether the newest request arrived so recently that the receiver has not answered it yet. */
    private boolean attemptInFlight() {
        List<Received> all = receiver.received();
        return !all.isEmpty()
                && all.getLast().receivedAt().plus(IN_FLIGHT_MARGIN).isAfter(Instant.now());
    }

    /** The receiver's count once it has stopped changing (the killed process cannot send more). */
    private int settledCount() throws InterruptedException {
        int n;
        do {
            n = receiver.received().size();
            Thread.sleep(500);
        } while (receiver.received().size() != n);
        return n;
    }

    // ---- the server process

    private Process start(int port, String logName) throws IOException {
        Files.createDirectories(data);
        Path repo = Path.of(System.getProperty("catchment.repo", "..")).toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of(repo.resolve("bin/catchment").toString(), "serve", "--port",
                Integer.toString(port), "--data-dir", data.toString(),
                // The receiver is on loopback, which webhooks refuse unless allowlisted.
                "--url-allowlist", "127.0.0.1"));
        if (kind == DatabaseKind.POSTGRESQL) {
            command.addAll(List.of("--database-url", settings.jdbcUrl(), "--database-user", settings.user()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(data.resolve(logName).toFile());
        // The test polls the log several times a second; the API's per-key limits are not under test.
        builder.environment().put("CATCHMENT_RATE_LIMITS", "TIER_1=0,TIER_2=0,TIER_3=0,UNTIERED=0");
        Process p = builder.start();
        started.add(p);
        return p;
    }

    /** Waits for /health, then returns a client with the first-run API key. */
    private Client awaitHealthy(Client anonymous, Process process, Path log) throws Exception {
        waitUntil(() -> {
            if (!process.isAlive()) throw new AssertionError("server exited:\n" + Files.readString(log));
            try {
                return anonymous.get("/health").status() == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        }, Duration.ofSeconds(60), "healthy server");
        Path keyFile = data.resolve(FirstRun.KEY_FILE);
        waitUntil(() -> Files.exists(keyFile), Duration.ofSeconds(10), "first-run key");
        return anonymous.with("authorization", "Bearer " + Files.readString(keyFile).strip());
    }

    private static int countReady(Client client) {
        JsonNode r = client.post("/user_files_v2", Map.of("filters", Map.of("sync_statuses", List.of("READY")),
                "include_count", true)).json();
        return r.get("count").asInt();
    }

    private static String text(int seed) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) sb.append("word").append((i * 37 + seed) % 193).append(i % 13 == 12 ? ". " : " ");
        return sb.toString();
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    private static void waitUntil(Check check, Duration timeout, String what) throws Exception {
        waitUntil(check, timeout, what, () -> "");
    }

    private static void waitUntil(Check check, Duration timeout, String what, Supplier<String> detail)
            throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (check.ok()) return;
            Thread.sleep(100);
        }
        String why = detail.get();
        throw new AssertionError("timed out waiting for " + what + (why.isEmpty() ? "" : ": " + why));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
