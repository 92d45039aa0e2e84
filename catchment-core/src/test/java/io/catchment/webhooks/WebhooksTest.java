package io.catchment.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.crypto.MasterKeys;
import io.catchment.crypto.SecretBox;
import io.catchment.store.Database;
import io.catchment.store.Page;
import io.catchment.store.Rows;
import io.catchment.store.SortDirection;
import io.catchment.tenancy.Organizations;
import io.catchment.testing.time.MutableClock;
import io.catchment.testsupport.DatabaseKind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The webhook store on both databases: keys sealed and shown once, URL rules, listing, flagging. */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class WebhooksTest {
    /** Names this test's resolver answers; anything else does not resolve. */
    static final Map<String, String> DNS = Map.of(
            "hooks.acme.example", "93.184.215.14",
            "intranet.acme.example", "10.1.2.3",
            "metadata.acme.example", "169.254.169.254",
            "mapped.acme.example", "::ffff:127.0.0.1",
            "allowed.acme.example", "192.168.1.20");

    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    Database db;
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    SecretBox box = new SecretBox(MasterKeys.generate("k1"));
    Webhooks store;
    long acme;
    long other;

    @BeforeEach
    void open() {
        db = Database.open(kind.settings(dir));
        store = new Webhooks(db.jdbi(), box, clock, Set.of("allowed.acme.example", "[::1]"), WebhooksTest::resolve);
        var organizations = new Organizations(db.jdbi(), clock);
        acme = organizations.create("Acme").id();
        other = organizations.create("Other").id();
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** IP literals as the JDK reads them; names from {@link #DNS} only, so no test depends on real DNS. */
    static InetAddress[] resolve(String host) throws UnknownHostException {
        String ip = DNS.get(host);
        if (ip != null) return new InetAddress[] {InetAddress.getByName(ip)};
        if (host.indexOf(':') >= 0 || host.matches("[0-9.]+")) return new InetAddress[] {InetAddress.getByName(host)};
        throw new UnknownHostException(host);
    }

    Webhooks.Added added(long org, String url, Optional<List<WebhookType>> types) {
        Webhooks.Addition a = store.add(org, url, types);
        assertThat(a).as(url).isInstanceOf(Webhooks.Added.class);
        return (Webhooks.Added) a;
    }

    Webhooks.Added added(String url) {
        return added(acme, url, Optional.empty());
    }

    String refusal(String url) {
        Webhooks.Addition a = store.add(acme, url, Optional.empty());
        assertThat(a).as(url).isInstanceOf(Webhooks.Refused.class);
        return ((Webhooks.Refused) a).reason();
    }

    @Test
    void theKeyIsShownOnceSealedAtRestAndOpensForTheDispatcher() {
        Webhooks.Added a = added("  https://hooks.acme.example/carbon?x=1  ");
        Webhook w = a.webhook();
        assertThat(a.signingKey()).matches("[0-9a-f]{32}");
        assertThat(a.toString()).doesNotContain(a.signingKey());
        assertThat(w.url()).isEqualTo("https://hooks.acme.example/carbon?x=1");
        assertThat(w.organizationId()).isEqualTo(acme);
        assertThat(w.status()).isEqualTo(WebhookStatus.ACTIVE);
        assertThat(w.statusReason()).isEmpty();
        assertThat(w.eventTypes()).isEmpty();
        assertThat(w.accepts(WebhookType.FILE_READY)).isTrue();
        assertThat(w.createdAt()).isEqualTo(clock.instant()).isEqualTo(w.updatedAt());

        String sealed = db.jdbi().withHandle(h -> h.createQuery("SELECT sealed_key FROM webhooks WHERE id = :id")
                .bind("id", w.id()).mapTo(String.class).one());
        assertThat(sealed).doesNotContain(a.signingKey()).isNotBlank();
        assertThat(store.openKey(w.id())).contains(a.signingKey());
        assertThat(store.find(acme, w.id())).contains(w);

        Webhooks.Added second = added("https://hooks.acme.example/carbon?x=1");
        assertThat(second.signingKey()).as("every webhook has its own key").isNotEqualTo(a.signingKey());
        assertThat(store.openKey(second.webhook().id())).contains(second.signingKey());
        assertThat(store.openKey(999_999)).isEmpty();

        var otherServer = new Webhooks(db.jdbi(), new SecretBox(MasterKeys.generate("k2")), clock, Set.of());
        assertThat(otherServer.openKey(w.id())).as("a key sealed under a master key this server lacks").isEmpty();
    }

    @Test
    void eventTypesAreStoredOnceEachInEnumOrder() {
        Webhook w = added(acme, "https://hooks.acme.example/files",
                Optional.of(List.of(WebhookType.FILE_READY, WebhookType.ADD, WebhookType.FILE_READY))).webhook();
        assertThat(w.eventTypes()).contains(List.of(WebhookType.ADD, WebhookType.FILE_READY));
        assertThat(w.accepts(WebhookType.ADD)).isTrue();
        assertThat(w.accepts(WebhookType.FILE_ERROR)).isFalse();
        String column = db.jdbi().withHandle(h -> h.createQuery("SELECT event_types FROM webhooks WHERE id = :id")
                .bind("id", w.id()).mapTo(String.class).one());
        assertThat(column).isEqualTo("[\"ADD\",\"FILE_READY\"]");
        String all = db.jdbi().withHandle(h -> h.createQuery("SELECT event_types FROM webhooks WHERE id = :id")
                .bind("id", added("https://hooks.acme.example/all").webhook().id()).mapTo(String.class).findOne()
                .orElse(null));
        assertThat(all).as("every event is NULL, as the dispatcher expects").isNull();
    }

    @Test
    void urlsThatCannotOrMustNotReceiveWebhooksAreRefused() {
        assertThat(refusal("ftp://hooks.acme.example/x")).contains("only absolute http and https");
        assertThat(refusal("hooks.acme.example/x")).contains("only absolute http and https");
        assertThat(refusal("")).contains("empty");
        assertThat(refusal("https:///path")).contains("no valid host");
        assertThat(refusal("https://user:pw@hooks.acme.example/")).contains("credentials");
        assertThat(refusal("https://hooks.acme.example/a b")).contains("not a valid URL");
        assertThat(refusal("https://hooks.acme.example/" + "a".repeat(Webhooks.MAX_URL))).contains("longer than 2048");

        assertThat(refusal("http://127.0.0.1:8080/hook")).contains("the address 127.0.0.1 is loopback")
                .contains("allowlist the host 127.0.0.1");
        assertThat(refusal("http://10.0.0.1/hook")).contains("private");
        assertThat(refusal("http://172.16.5.4/hook")).contains("private");
        assertThat(refusal("http://192.168.0.1/hook")).contains("private");
        assertThat(refusal("http://169.254.169.254/latest/meta-data")).contains("link-local");
        assertThat(refusal("http://224.0.0.1/hook")).contains("multicast");
        assertThat(refusal("http://0.0.0.0/hook")).contains("unspecified");
        assertThat(refusal("http://[fe80::1]/hook")).contains("link-local");
        assertThat(refusal("http://[::ffff:10.0.0.1]/hook")).contains("private");
        assertThat(refusal("http://intranet.acme.example/hook"))
                .contains("intranet.acme.example resolves to 10.1.2.3, which is private");
        assertThat(refusal("https://metadata.acme.example/")).contains("169.254.169.254").contains("link-local");
        assertThat(refusal("https://mapped.acme.example/")).contains("loopback");

        assertThat(store.list(acme, WebhookQuery.DEFAULT).count()).as("nothing refused was stored").isZero();

        added("https://ALLOWED.acme.example/hook"); // allowlisted, though it resolves to a private address
        added("http://[::1]:9000/hook"); // allowlisted with brackets, compared without
        added("https://93.184.215.14/hook");
        added("https://hooks.acme.example:8443/hook");
        added("https://not-yet-in-dns.acme.example/hook"); // the dispatcher checks again at delivery
        assertThat(store.list(acme, WebhookQuery.DEFAULT).count()).isEqualTo(5);
    }

    @Test
    void listFiltersOrdersAndPagesWithinTheOrganization() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(added("https://hooks.acme.example/" + i).webhook().id());
            clock.advance(Duration.ofMinutes(1));
        }
        added(other, "https://hooks.acme.example/theirs", Optional.empty());
        // The first webhook changes last (the dispatcher flags it): updated_at order differs from created_at order.
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE webhooks SET status = 'FLAGGED', updated_at = :now WHERE id = :id")
                .bind("now", io.catchment.store.Rows.timestamp(clock.instant())).bind("id", ids.getFirst()).execute());

        assertThat(idsOf(store.list(acme, WebhookQuery.DEFAULT))).containsExactly(ids.get(1), ids.get(2), ids.get(3), ids.get(0));
        var byCreated = new WebhookQuery(List.of(), WebhookQuery.OrderBy.CREATED_AT, SortDirection.DESC, Page.DEFAULT);
        assertThat(idsOf(store.list(acme, byCreated))).containsExactly(ids.get(3), ids.get(2), ids.get(1), ids.get(0));

        var paged = new WebhookQuery(List.of(), WebhookQuery.OrderBy.CREATED_AT, SortDirection.ASC, new Page(2, 1, 0));
        Webhooks.Listing page = store.list(acme, paged);
        assertThat(idsOf(page)).containsExactly(ids.get(1), ids.get(2));
        assertThat(page.count()).isEqualTo(4);

        var after = new WebhookQuery(List.of(), WebhookQuery.OrderBy.CREATED_AT, SortDirection.ASC, new Page(10, 0, ids.get(1)));
        assertThat(idsOf(store.list(acme, after))).containsExactly(ids.get(2), ids.get(3));

        var filtered = new WebhookQuery(List.of(ids.get(2), ids.get(0), 999_999L), WebhookQuery.OrderBy.CREATED_AT,
                SortDirection.ASC, Page.DEFAULT);
        Webhooks.Listing some = store.list(acme, filtered);
        assertThat(idsOf(some)).containsExactly(ids.get(0), ids.get(2));
        assertThat(some.count()).isEqualTo(2);

        assertThat(store.list(other, WebhookQuery.DEFAULT).count()).isEqualTo(1);
        assertThat(store.find(other, ids.get(1))).as("another organization's").isEmpty();
    }

    @Test
    void deleteRemovesOnlyTheOrganizationsOwnWebhookAndItsDeliveries() {
        long id = added("https://hooks.acme.example/x").webhook().id();
        long event = event();
        delivery(event, id, "DELIVERED");

        assertThat(store.delete(other, id)).as("another organization's").isFalse();
        assertThat(store.find(acme, id)).isPresent();
        assertThat(store.delete(acme, id)).isTrue();
        assertThat(store.find(acme, id)).isEmpty();
        assertThat(store.delete(acme, id)).as("already gone").isFalse();
        assertThat(deliveryStatuses(id)).isEmpty();
    }

    // ---- helpers

    static List<Long> idsOf(Webhooks.Listing listing) {
        return listing.results().stream().map(Webhook::id).toList();
    }

    long event() {
        return db.jdbi().withHandle(h -> h.createUpdate("""
                        INSERT INTO webhook_events (organization_id, customer_id, webhook_type, object, occurred_at)
                        VALUES (:org, 'alice', 'FILE_READY', '{}', :now)""")
                .bind("org", acme).bind("now", Rows.timestamp(clock.instant()))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    void delivery(long event, long webhook, String status) {
        db.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO webhook_deliveries (event_id, webhook_id, status, next_attempt_at, created_at, updated_at)
                        VALUES (:event, :webhook, :status, :now, :now, :now)""")
                .bind("event", event).bind("webhook", webhook).bind("status", status)
                .bind("now", Rows.timestamp(clock.instant())).execute());
    }

    List<String> deliveryStatuses(long webhook) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT status FROM webhook_deliveries WHERE webhook_id = :id ORDER BY id")
                .bind("id", webhook).mapTo(String.class).list());
    }
}
