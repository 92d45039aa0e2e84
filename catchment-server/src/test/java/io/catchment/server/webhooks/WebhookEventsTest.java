package io.catchment.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.catchment.http.HttpPolicy;
import io.catchment.server.OAuthSettings;
import io.catchment.server.support.Client;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.sources.FakeS3;
import io.catchment.testing.webhooks.FakeWebhookReceiver;
import io.catchment.testing.webhooks.FakeWebhookReceiver.Received;
import io.catchment.testsupport.DatabaseKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
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

/**
 * Every event the server emits, caused through the public API as a client would cause it, and
 * received by a real endpoint: each arrives once, in Carbon's body ({@code {"payload": "<JSON
 * string>"}} written like Python's {@code json.dumps}), with the customer's own id, the event's
 * time and the right object, signed so that an HMAC verifier written here (not the server's
 * {@code Signer}) accepts both signatures. A webhook with {@code event_types} gets only those,
 * and the delivery log shows every event DELIVERED.
 */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class WebhookEventsTest {
    static final String BUCKET = "acme-docs";
    static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    /** Non-ASCII on purpose: Python's json.dumps escapes it, so the body must too. */
    static final String REQUEST_ID = "sync-\u00fcber-1";
    static final Duration PATIENCE = Duration.ofSeconds(40);
    static final Pattern V1 = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})");
    static final Pattern V2 = Pattern.compile("t=(\\d+),v2=([0-9a-f]{64})");
    static final Pattern UPPER_ESCAPE = Pattern.compile("\\\\u([0-9A-F]{4})");

    /** Jackson's own compact writer: what a JavaScript receiver's JSON.stringify of the parsed body gives. */
    static final ObjectMapper COMPACT = new ObjectMapper();
    /** Jackson made to write like Python's json.dumps defaults, independently of the server's PythonJson. */
    static final ObjectMapper PYTHON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    static final String ALPHA = "Alpha report. The northern orchard yielded more apples than any year before, "
            + "and the cider press ran through the night.";
    static final String BETA = "Beta report. Tide tables for the harbour, with the spring tides marked, "
            + "and notes on the new breakwater.";

    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    final FakeWebhookReceiver receiver = new FakeWebhookReceiver();
    final FakeS3 s3 = new FakeS3(ACCESS_KEY, SECRET, "us-east-1", Clock.systemUTC()).withBuckets(BUCKET);
    TestServer server;
    Client org;
    /**
     * The requests already matched by an expectation, as path and Carbon-Webhook-Id (an event has
     * one id on every webhook): the next match of a type is another event.
     */
    final Set<String> matched = new HashSet<>();

    /** A webhook as the test knows it: the receiver path it posts to, and the key shown once. */
    record Hook(String name, long id, String key) {
        String path() {
            return "/hooks/" + name;
        }
    }

    /** One event as received: the request and its parsed inner payload. */
    record Seen(Received request, JsonNode payload) {
        JsonNode info() {
            return payload.get("object").get("additional_information");
        }
    }

    @BeforeEach
    void start() {
        server = TestServer.start(kind, dir, c -> c.withUrlAllowlist(Set.of("127.0.0.1"))
                .withOAuth(new OAuthSettings(Map.of(), Map.of(), Map.of("s3", s3.baseUrl().toString())))
                // A Retry-After of 5 s is more than this server waits in place: the file is put back, RATE_LIMITED.
                .withSync(c.sync().withSweepEvery(Duration.ofMillis(500))
                        .withHttp(HttpPolicy.defaults().withWaits(Duration.ofMillis(50), Duration.ofSeconds(2)))));
        org = server.newOrganization("Acme").client();
    }

    @AfterEach
    void stop() {
        server.close();
        s3.close();
        receiver.close();
    }

    @Test
    void fileAndCustomerEventsArriveOnceSignedAndOnlyAsSubscribed() {
        Hook all = add("all", Optional.empty());
        Hook some = add("some", Optional.of(List.of("FILE_READY", "ORGANIZATION_USER_DELETED")));
        for (Hook h : List.of(all, some)) {
            Seen checkup = expect(h, "CHECKUP", "", "NONE", json(null));
            assertThat(checkup.info().isNull()).isTrue();
        }

        // alice: an upload that is processed (FILES_CREATED, FILE_SYNCING, FILE_READY, then ALL_FILES_PROCESSED
        // for its upload_id: uploads carry no request_id, so the upload is what "all files" means).
        Client alice = org.with("customer-id", "alice");
        Reply text = alice.post("/upload_text", Map.of("contents", ALPHA, "name", "orchard.txt"));
        assertThat(text.status()).as(text.toString()).isEqualTo(200);
        long aliceFile = text.json().get("id").asLong();
        String aliceUpload = text.json().get("upload_id").asText();
        assertThat(text.json().get("upload_id").isTextual()).as(text.toString()).isTrue();
        Seen created = expect(all, "FILES_CREATED", "alice", "FILE_LIST", json(List.of(aliceFile)));
        assertThat(created.info().get("upload_id").asText()).isEqualTo(aliceUpload);
        expect(all, "FILE_SYNCING", "alice", "FILE", json(aliceFile));
        assertThat(expect(all, "FILE_READY", "alice", "FILE", json(aliceFile)).info().isNull()).isTrue();
        Seen processed = expect(all, "ALL_FILES_PROCESSED", "alice", "UPLOAD_REQUEST_ID", json(aliceUpload));
        assertThat(processed.info().get("upload_id").asText()).isEqualTo(aliceUpload);
        assertThat(processed.info().get("files").asInt()).isEqualTo(1);

        // bob: limits make one upload fail (FILE_ERROR) and the next be refused (FILE_SYNC_LIMIT_REACHED).
        Client bob = org.with("customer-id", "bob");
        assertThat(bob.get("/whoami").status()).as("bob exists once he called").isEqualTo(200);
        Reply limits = org.post("/update_users", Map.of("customer_ids", List.of("bob"), "max_characters_per_file", 40,
                "max_files", 1));
        assertThat(limits.status()).as(limits.toString()).isEqualTo(200);
        Reply tooLong = bob.upload("/uploadfile", "file", "long.txt", BETA.getBytes(StandardCharsets.UTF_8));
        assertThat(tooLong.status()).as(tooLong.toString()).isEqualTo(200);
        long bobFile = tooLong.json().get("id").asLong();
        expect(all, "FILES_CREATED", "bob", "FILE_LIST", json(List.of(bobFile)));
        expect(all, "FILE_SYNCING", "bob", "FILE", json(bobFile));
        assertThat(expect(all, "FILE_ERROR", "bob", "FILE", json(bobFile)).info().get("error").asText())
                .contains("max_characters_per_file");
        Reply refused = bob.upload("/uploadfile", "file", "second.txt", "one more".getBytes(StandardCharsets.UTF_8));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(expect(all, "FILE_SYNC_LIMIT_REACHED", "bob", "NONE", json(null)).info().get("reason").asText())
                .contains("max_files");

        // Deleting a file, then a whole user (whose files go first).
        Reply deleted = bob.post("/delete_files_v2", Map.of("filters", Map.of("ids", List.of(bobFile)),
                "send_webhook", true));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        expect(all, "FILE_DELETED", "bob", "FILE", json(bobFile));
        Reply gone = org.post("/delete_users", Map.of("customer_ids", List.of("alice")));
        assertThat(gone.status()).as(gone.toString()).isEqualTo(200);
        expect(all, "FILE_DELETED", "alice", "FILE", json(aliceFile));
        expect(all, "ORGANIZATION_USER_DELETED", "alice", "ORGANIZATION_USER", json("alice"));

        // The filtered webhook: its two types, and (documented) the CHECKUP its creation sent.
        expect(some, "FILE_READY", "alice", "FILE", json(aliceFile));
        expect(some, "ORGANIZATION_USER_DELETED", "alice", "ORGANIZATION_USER", json("alice"));

        assertDeliveredOnceAndLogged(all);
        // Events are fanned out in order to every webhook at once, so by now "some" has all it will get.
        assertDeliveredOnceAndLogged(some);
        assertThat(receiver.receivedAt(some.name())).extracting(r -> type(r))
                .containsExactlyInAnyOrder("CHECKUP", "FILE_READY", "ORGANIZATION_USER_DELETED");
        assertThat(receiver.receivedAt(all.name())).extracting(r -> type(r)).as("every event type of this test")
                .contains("CHECKUP", "FILES_CREATED", "FILE_SYNCING", "FILE_READY", "ALL_FILES_PROCESSED", "FILE_ERROR",
                        "FILE_SYNC_LIMIT_REACHED", "FILE_DELETED", "ORGANIZATION_USER_DELETED");
    }

    @Test
    void dataSourceAndSyncEventsArriveOnceAndSigned() {
        verifierAcceptsCarbonsOwnSample();
        Hook all = add("all", Optional.empty());
        expect(all, "CHECKUP", "", "NONE", json(null));
        s3.addFolder(BUCKET, "Reports/");
        s3.putObject(BUCKET, "Reports/alpha.txt", ALPHA);
        s3.putObject(BUCKET, "Reports/beta.txt", BETA);

        // Connecting (ADD) crawls the bucket (DATA_SOURCE_READY).
        Client carol = org.with("customer-id", "carol");
        Reply connected = carol.post("/integrations/s3", Map.of("access_key", ACCESS_KEY, "access_key_secret", SECRET));
        assertThat(connected.status()).as(connected.toString()).isEqualTo(200);
        long ds = connected.json().get("id").asLong();
        assertThat(expect(all, "ADD", "carol", "DATA_SOURCE", json(ds)).info().get("data_source_type").asText())
                .isEqualTo("S3");
        expect(all, "DATA_SOURCE_READY", "carol", "DATA_SOURCE", json(ds));

        // Syncing the folder (UPDATE), with the first download answered "slow down" (RATE_LIMIT_ERROR).
        s3.failNext(new FakeHttpApi.Reply(429, Map.of("Retry-After", "5"), ""));
        Map<String, Object> folder = Map.of("bucket", BUCKET, "prefix", "Reports/");
        Reply sync = carol.post("/integrations/s3/files", Map.of("data_source_id", ds, "ids", List.of(folder),
                "request_id", REQUEST_ID));
        assertThat(sync.status()).as(sync.toString()).isEqualTo(200);
        expect(all, "UPDATE", "carol", "DATA_SOURCE", json(ds));
        Seen queued = expect(all, "ALL_UPLOADED_FILES_QUEUED", "carol", "UPLOAD_REQUEST_ID", json(REQUEST_ID));
        assertThat(queued.info().get("data_source_id").asLong()).isEqualTo(ds);
        assertThat(queued.info().get("files_queued").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(queued.request().bodyText()).as("non-ASCII escaped twice: in the payload, then in the body")
                .contains("sync-\\\\u00fcber-1").doesNotContain("\u00fc");

        Map<String, Long> files = files(carol, ds);
        long alpha = files.get("alpha.txt");
        long beta = files.get("beta.txt");
        Seen createdFiles = expectMatching(all, "FILES_CREATED", "carol", "FILE_LIST",
                id -> id.isArray() && contains(id, alpha), "a list with alpha.txt's id");
        assertThat(ids(createdFiles.payload().get("object").get("object_id"))).contains(alpha, beta);
        assertThat(createdFiles.info().get("request_id").asText()).isEqualTo(REQUEST_ID);
        Seen limited = expectMatching(all, "RATE_LIMIT_ERROR", "carol", "FILE",
                id -> id.asLong() == alpha || id.asLong() == beta, "alpha.txt's or beta.txt's id");
        assertThat(limited.info().get("error").asText()).contains("rate limit");
        for (long f : List.of(alpha, beta)) {
            expect(all, "FILE_SYNCING", "carol", "FILE", json(f));
            expect(all, "FILE_READY", "carol", "FILE", json(f));
        }
        Seen processed = expect(all, "ALL_FILES_PROCESSED", "carol", "UPLOAD_REQUEST_ID", json(REQUEST_ID));
        assertThat(processed.info().get("request_id").asText()).isEqualTo(REQUEST_ID);

        // The same folder with incremental_sync: nothing changed at the source (UPDATE, FILES_SKIPPED).
        Reply again = carol.post("/integrations/s3/files", Map.of("data_source_id", ds, "ids", List.of(folder),
                "incremental_sync", true));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        expect(all, "UPDATE", "carol", "DATA_SOURCE", json(ds));
        Seen skipped = expectMatching(all, "FILES_SKIPPED", "carol", "FILE_LIST",
                id -> id.isArray() && contains(id, alpha) && contains(id, beta), "alpha.txt's and beta.txt's ids");
        assertThat(ids(skipped.payload().get("object").get("object_id"))).containsExactlyInAnyOrder(alpha, beta);
        assertThat(skipped.info().get("reason").asText()).contains("incremental_sync");

        Reply cancel = carol.post("/integrations/items/sync/cancel", Map.of("data_source_id", ds));
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
        expect(all, "CANCEL", "carol", "DATA_SOURCE", json(ds));
        Reply revoke = carol.post("/revoke_access_token", Map.of("data_source_id", ds));
        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(200);
        assertThat(expect(all, "REVOKE", "carol", "DATA_SOURCE", json(ds)).info().get("data_source_type").asText())
                .isEqualTo("S3");

        assertDeliveredOnceAndLogged(all);
    }

    /** The checks in {@link #verified} are right only if they accept what Carbon itself sent (its sample). */
    static void verifierAcceptsCarbonsOwnSample() {
        String key = "aa76aee859f223451fd9bfb37ce893a0";
        String t = "1721392406";
        String raw = "{\"payload\": \"{\\\"webhook_type\\\": \\\"FILES_CREATED\\\", \\\"obj\\\": "
                + "{\\\"object_type\\\": \\\"FILE_LIST\\\", \\\"object_id\\\": [\\\"46654\\\"], "
                + "\\\"additional_information\\\": \\\"null\\\"}, \\\"customer_id\\\": \\\"satvik\\\", "
                + "\\\"timestamp\\\": \\\"1721392406\\\"}\"}";
        String payload = read(raw).get("payload").textValue();
        assertThat(python(read(raw))).isEqualTo(raw);
        assertThat(python(read(payload))).isEqualTo(payload);
        assertThat(hmac(key, t, raw.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("aa2273ab64bb9162e7e7983a9cd7ab9f90d686691b1fd25c577991ad42c53fc1");
        assertThat(hmac(key, t, write(COMPACT, read(raw)).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("42a86d4083fee090b5a0800a91e82fb389f0bed4da757d07ee8ba97485194e59");
    }

    // --- the webhook side -------------------------------------------------------------------

    Hook add(String name, Optional<List<String>> eventTypes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", receiver.url(name));
        eventTypes.ifPresent(t -> body.put("event_types", t));
        Reply r = org.post("/add_webhook", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return new Hook(name, r.json().get("id").asLong(), r.json().get("signing_key").asText());
    }

    Seen expect(Hook hook, String type, String customer, String objectType, JsonNode objectId) {
        return expectMatching(hook, type, customer, objectType, objectId::equals, objectId.toString());
    }

    /**
     * Waits for a not yet matched event of {@code type} whose object_id satisfies {@code which},
     * checks its body, signatures and payload, and marks it matched.
     */
    Seen expectMatching(Hook hook, String type, String customer, String objectType, Predicate<JsonNode> which,
                        String what) {
        Received r;
        try {
            r = receiver.await(x -> x.path().equals(hook.path()) && !matched.contains(x.path() + " " + eventId(x))
                    && type(x).equals(type) && which.test(payload(x).get("object").get("object_id")), PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (AssertionError e) {
            throw new AssertionError("webhook " + hook.name() + ": no " + type + " for " + what + " within " + PATIENCE
                    + "; got " + receiver.receivedAt(hook.name()).stream().map(x -> payload(x).toString()).toList(), e);
        }
        matched.add(r.path() + " " + eventId(r));
        JsonNode payload = verified(hook, r);
        assertThat(payload.get("webhook_type").asText()).isEqualTo(type);
        assertThat(payload.get("customer_id").asText()).as("the customer's own id").isEqualTo(customer);
        assertThat(payload.get("object").get("object_type").asText()).isEqualTo(objectType);
        assertThat(payload.get("obj")).as("obj, as Carbon's sample names it, is object")
                .isEqualTo(payload.get("object"));
        return new Seen(r, payload);
    }

    /**
     * Checks one request as a receiver would, with nothing from the server's code: the body is
     * exactly {@code {"payload": "<string>"}} in Python's json.dumps form at both levels, and both
     * signatures are HMAC-SHA256 under the hex-decoded key (v1 over the raw bytes, v2 over the
     * body re-serialized compactly). Returns the inner payload.
     */
    JsonNode verified(Hook hook, Received r) {
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.header("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        String body = r.bodyText();
        assertThat(body).as("ASCII only: Python's json.dumps escapes the rest").matches("[\\x20-\\x7e]*");
        JsonNode outer = read(body);
        assertThat(outer.isObject()).isTrue();
        assertThat(outer.size()).as("a single key").isEqualTo(1);
        assertThat(outer.get("payload").isTextual()).as("the payload is a JSON string").isTrue();
        assertThat(body).as("the body as Python's json.dumps writes it").isEqualTo(python(outer));
        String inner = outer.get("payload").textValue();
        JsonNode payload = read(inner);
        assertThat(inner).as("the payload as Python's json.dumps writes it").isEqualTo(python(payload));
        List<String> fields = new ArrayList<>();
        payload.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("webhook_type", "object", "obj", "customer_id", "timestamp");
        List<String> objectFields = new ArrayList<>();
        payload.get("object").fieldNames().forEachRemaining(objectFields::add);
        assertThat(objectFields).containsExactlyInAnyOrder("object_type", "object_id", "additional_information");
        String now = Long.toString(server.clock().instant().getEpochSecond());
        assertThat(payload.get("timestamp").isTextual()).as("unix seconds as a string").isTrue();
        assertThat(payload.get("timestamp").asText()).as("when it happened (the test's clock stands still)")
                .isEqualTo(now);

        Matcher v1 = V1.matcher(r.header("carbon-signature").orElseThrow());
        Matcher v2 = V2.matcher(r.header("carbon-signature-compact").orElseThrow());
        assertThat(v1.matches()).as(r.header("carbon-signature").orElseThrow()).isTrue();
        assertThat(v2.matches()).as(r.header("carbon-signature-compact").orElseThrow()).isTrue();
        assertThat(v1.group(1)).isEqualTo(now).isEqualTo(v2.group(1));
        assertThat(hmac(hook.key(), v1.group(1), r.body())).as("v1 over the raw body").isEqualTo(v1.group(2));
        String compact = write(COMPACT, outer);
        assertThat(compact).doesNotContain("\": \"").startsWith("{\"payload\":\"");
        assertThat(hmac(hook.key(), v2.group(1), compact.getBytes(StandardCharsets.UTF_8)))
                .as("v2 over the compact body").isEqualTo(v2.group(2));
        assertThat(hmac(receiverKeyOtherThan(hook.key()), v1.group(1), r.body())).as("another key does not verify")
                .isNotEqualTo(v1.group(2));

        assertThat(eventId(r)).matches("\\d+");
        assertThat(r.header("carbon-webhook-attempt")).hasValue("1");
        return payload;
    }

    /**
     * Each event reached the hook once (one request per Carbon-Webhook-Id), every request
     * verifies, and the delivery log lists exactly those events, DELIVERED on the first attempt.
     */
    void assertDeliveredOnceAndLogged(Hook hook) {
        List<Received> got = receiver.receivedAt(hook.name());
        got.forEach(r -> verified(hook, r));
        List<String> ids = got.stream().map(WebhookEventsTest::eventId).toList();
        assertThat(ids).as("no event delivered twice").doesNotHaveDuplicates();
        Map<String, String> types = new LinkedHashMap<>();
        got.forEach(r -> types.put(eventId(r), type(r)));

        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode log;
        while (true) {
            Reply r = org.post("/webhooks/deliveries", Map.of("webhook_id", hook.id(),
                    "pagination", Map.of("limit", 100)));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            log = r.json();
            boolean settled = log.get("count").asLong() == ids.size();
            for (JsonNode d : log.get("results")) settled &= "DELIVERED".equals(d.get("status").asText());
            // The log records a delivery just after the receiver answers.
            if (settled) break;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("delivery log of " + hook.name() + " not settled on " + ids + ": " + log);
            }
            sleep(50);
        }
        List<String> logged = new ArrayList<>();
        for (JsonNode d : log.get("results")) {
            String id = d.get("event_id").asText();
            logged.add(id);
            assertThat(d.get("webhook_id").asLong()).isEqualTo(hook.id());
            assertThat(d.get("webhook_type").asText()).as("event " + id).isEqualTo(types.get(id));
            assertThat(d.get("attempts").asInt()).as("event " + id).isEqualTo(1);
            assertThat(d.get("last_status").asInt()).as("event " + id).isEqualTo(200);
            assertThat(d.get("last_error").isNull()).as("event " + id).isTrue();
        }
        assertThat(logged).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(receiver.receivedAt(hook.name())).as("nothing more arrived while the log was read")
                .hasSize(got.size());
    }

    // --- the client side ----------------------------------------------------------------------

    /** The data source's files by name, as /user_files_v2 lists them. */
    static Map<String, Long> files(Client user, long dataSourceId) {
        Reply r = user.post("/user_files_v2", Map.of("filters", Map.of("organization_user_data_source_id",
                List.of(dataSourceId)), "pagination", Map.of("limit", 100)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Map<String, Long> byName = new LinkedHashMap<>();
        r.json().get("results").forEach(f -> byName.put(f.get("name").asText(), f.get("id").asLong()));
        assertThat(byName).containsKeys("alpha.txt", "beta.txt");
        return byName;
    }

    // --- JSON and HMAC, written here so the server's code checks nothing about itself ----------

    /** Python's separators: ", " between items and ": " after keys, nothing else. */
    static final class PythonSeparators extends MinimalPrettyPrinter {
        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }
    }

    /** {@code json.dumps(node)}: Jackson escapes non-ASCII as {@code \\uXXXX} too, but in upper case. */
    static String python(JsonNode node) {
        String text;
        try {
            text = PYTHON.writer(new PythonSeparators()).writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return UPPER_ESCAPE.matcher(text).replaceAll(m -> "\\\\u" + m.group(1).toLowerCase(java.util.Locale.ROOT));
    }

    static String write(ObjectMapper mapper, JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(String text) {
        try {
            return COMPACT.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A value as it looks after a trip through JSON text (so 5 compares equal to a parsed 5). */
    static JsonNode json(Object value) {
        try {
            return read(COMPACT.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean contains(JsonNode array, long id) {
        for (JsonNode e : array) if (e.asLong() == id) return true;
        return false;
    }

    static List<Long> ids(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asLong()));
        return out;
    }

    static JsonNode payload(Received r) {
        return read(read(r.bodyText()).get("payload").textValue());
    }

    static String type(Received r) {
        return payload(r).get("webhook_type").asText();
    }

    static String eventId(Received r) {
        return r.header("carbon-webhook-id")
                .orElseThrow(() -> new AssertionError("no Carbon-Webhook-Id on " + r.path()));
    }

    static String hmac(String hexKey, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HexFormat.of().parseHex(hexKey), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key with its last hex digit changed: the verifier must tell them apart. */
    static String receiverKeyOtherThan(String key) {
        char last = key.charAt(key.length() - 1);
        return key.substring(0, key.length() - 1) + (last == '0' ? '1' : '0');
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
