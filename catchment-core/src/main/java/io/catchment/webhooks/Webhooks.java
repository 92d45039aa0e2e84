package io.catchment.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.crypto.SecretBox;
import io.catchment.ingest.fetch.AddressRules;
import io.catchment.ingest.fetch.UrlPolicy;
import io.catchment.json.Json;
import io.catchment.store.PagedSelect;
import io.catchment.store.Rows;
import io.catchment.store.SqlWhere;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Organizations' webhooks (table {@code webhooks}). Each has a random signing key of 16 bytes,
 * written as 32 lower-case hex characters as Carbon's are, sealed at rest with the context
 * {@code "webhook:<id>"}: {@link #add} returns it once, {@link #openKey} opens it for the
 * dispatcher, and nothing else ever sees it.
 *
 * <p>A URL must be http or https with a host, and its host must not be, or resolve to, an
 * internal address (loopback, private, link-local, multicast, unspecified: {@link AddressRules})
 * unless the host is allowlisted. A host that does not resolve now is accepted: the dispatcher
 * checks the addresses again at every delivery anyway (DNS answers change), so this early check
 * is only there to refuse the obvious mistakes and probes at once.
 */
public final class Webhooks {
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int KEY_BYTES = 16;
    private static final int MAX_SHOWN_URL = 300;
    /** A slow DNS server must not hold an API request for long; an unanswered name is accepted (see above). */
    private static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(5);

    /** The longest URL stored (the column's size). */
    public static final int MAX_URL = 2048;

    /** Name resolution, replaceable so tests can give a name public or internal addresses. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Jdbi jdbi;
    private final SecretBox box;
    private final Clock clock;
    private final UrlPolicy allowlist;
    private final Resolver resolver;

    /** @param allowedHosts hosts (as written in URLs) that may be internal, e.g. a receiver on this machine */
    public Webhooks(Jdbi jdbi, SecretBox box, Clock clock, Set<String> allowedHosts) {
        this(jdbi, box, clock, allowedHosts, InetAddress::getAllByName);
    }

    Webhooks(Jdbi jdbi, SecretBox box, Clock clock, Set<String> allowedHosts, Resolver resolver) {
        this.jdbi = jdbi;
        this.box = box;
        this.clock = clock;
        this.allowlist = UrlPolicy.defaults().withAllowedHosts(allowedHosts);
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** What {@link #add} did: added the webhook, or refused its URL (nothing stored). */
    public sealed interface Addition permits Added, Refused {}

    /** The new webhook and its signing key, which is never available again. */
    public record Added(Webhook webhook, String signingKey) implements Addition {
        @Override
        public String toString() {
            return "Added[webhook=" + webhook + ", signingKey=<hidden>]"; // records would print the key
        }
    }

    /** @param reason a sentence for the caller, naming the URL's problem */
    public record Refused(String reason) implements Addition {}

    /** One page of an organization's webhooks, and how many match the filters in all. */
    public record Listing(List<Webhook> results, long count) {
        public Listing {
            results = List.copyOf(results);
        }
    }

    /**
     * Adds a webhook for {@code url} (surrounding blanks removed), ACTIVE.
     *
     * @param eventTypes the only events to send it; empty = every event
     */
    public Addition add(long organizationId, String url, Optional<? extends Collection<WebhookType>> eventTypes) {
        String target = url.strip();
        Optional<String> refusal = refusal(target);
        if (refusal.isPresent()) return new Refused(refusal.get());
        Optional<String> types = eventTypes.map(Webhooks::typesColumn);
        String key = HexFormat.of().formatHex(randomKey());
        Webhook created = jdbi.inTransaction(h -> {
            Instant now = clock.instant();
            // The seal's context names the row's id, so the row comes first, with a placeholder.
            long id = h.createUpdate("""
                            INSERT INTO webhooks (organization_id, url, sealed_key, status, event_types, created_at, updated_at)
                            VALUES (:org, :url, '', :status, :types, :now, :now)""")
                    .bind("org", organizationId).bind("url", target).bind("status", WebhookStatus.ACTIVE.name())
                    .bind("types", types.orElse(null)).bind("now", Rows.timestamp(now))
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            h.createUpdate("UPDATE webhooks SET sealed_key = :sealed WHERE id = :id")
                    .bind("sealed", box.seal(key, context(id))).bind("id", id).execute();
            new Outbox(clock).recordCheckup(h, organizationId, id);
            return find(h, organizationId, id).orElseThrow();
        });
        log.atInfo().addKeyValue("organization_id", organizationId).addKeyValue("webhook_id", created.id())
                .addKeyValue("host", URI.create(target).getHost())
                .addKeyValue("event_types", created.eventTypes().map(Object::toString).orElse("all"))
                .log("webhook added");
        return new Added(created, key);
    }

    /**
     * Why {@code url} may not be a webhook's target, as a sentence for the caller; empty when it
     * may. Blanks around the URL count against it (callers strip first, as {@link #add} does).
     */
    public Optional<String> refusal(String url) {
        String shown = url.length() > MAX_SHOWN_URL ? url.substring(0, MAX_SHOWN_URL) + "…" : url;
        String subject = "Refused the webhook URL " + shown;
        if (url.isEmpty()) return Optional.of("The webhook URL is empty; give an absolute http or https URL");
        if (url.length() > MAX_URL) {
            return Optional.of(subject + ": it is longer than " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of(subject + ": not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of(subject + ": only absolute http and https URLs can receive webhooks");
        }
        if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of(subject + ": the URL has no valid host");
        }
        // The URL is listed back by /webhooks and appears in delivery logs: no place for a password.
        if (uri.getRawUserInfo() != null) {
            return Optional.of(subject + ": URLs with credentials (user:password@) are not accepted");
        }
        String host = normalizeHost(uri.getHost());
        if (allowlist.isAllowlisted(host)) return Optional.empty();
        boolean literal = host.indexOf(':') >= 0 || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        for (InetAddress address : resolve(host)) {
            Optional<String> why = AddressRules.whyInternal(address);
            if (why.isPresent()) {
                return Optional.of(subject + ": " + (literal
                        ? "the address " + host + " is " + why.get()
                        : host + " resolves to " + AddressRules.literal(address) + ", which is " + why.get())
                        + " (allowlist the host " + host + " in the server's configuration to permit it)");
            }
        }
        return Optional.empty();
    }

    public Listing list(long organizationId, WebhookQuery q) {
        return jdbi.withHandle(h -> {
            var page = PagedSelect.run(h, "*", "FROM webhooks", "id", q.orderBy().column(), () -> where(organizationId, q),
                    q.direction(), q.page(), (rs, ctx) -> map(rs));
            return new Listing(page.rows(), page.count());
        });
    }

    private static SqlWhere where(long organizationId, WebhookQuery q) {
        SqlWhere w = new SqlWhere();
        w.and("organization_id = " + w.param(organizationId));
        w.in("id", q.ids());
        return w;
    }

    /** The organization's webhook {@code id}; empty when it has none by that id. */
    public Optional<Webhook> find(long organizationId, long id) {
        return jdbi.withHandle(h -> find(h, organizationId, id));
    }

    /** Deletes the organization's webhook {@code id} and its deliveries; false when it has none by that id. */
    public boolean delete(long organizationId, long id) {
        int deleted = jdbi.withHandle(h -> h.createUpdate("DELETE FROM webhooks WHERE organization_id = :org AND id = :id")
                .bind("org", organizationId).bind("id", id).execute());
        if (deleted > 0) {
            log.atInfo().addKeyValue("organization_id", organizationId).addKeyValue("webhook_id", id)
                    .log("webhook deleted");
        }
        return deleted > 0;
    }

    /**
     * The signing key of webhook {@code id} (32 hex characters), for signing a delivery. Empty
     * when there is no such webhook, or its key cannot be opened (its master key is gone; logged).
     */
    public Optional<String> openKey(long id) {
        Optional<String> sealed = jdbi.withHandle(h -> h.createQuery("SELECT sealed_key FROM webhooks WHERE id = :id")
                .bind("id", id).mapTo(String.class).findOne());
        return sealed.flatMap(s -> {
            try {
                return Optional.of(box.open(s, context(id)));
            } catch (SecretBox.SecretException e) {
                log.atWarn().addKeyValue("webhook_id", id).addKeyValue("problem", e.getMessage())
                        .log("stored webhook signing key cannot be opened");
                return Optional.empty();
            }
        });
    }

    // ---- internals

    private static Optional<Webhook> find(Handle h, long organizationId, long id) {
        return h.createQuery("SELECT * FROM webhooks WHERE organization_id = :org AND id = :id")
                .bind("org", organizationId).bind("id", id).map((rs, ctx) -> map(rs)).findOne();
    }

    private static String context(long id) {
        return "webhook:" + id;
    }

    private static byte[] randomKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** The addresses of {@code host}; none when it does not resolve (in time). */
    private List<InetAddress> resolve(String host) {
        FutureTask<InetAddress[]> lookup = new FutureTask<>(() -> resolver.resolve(host));
        Thread.ofVirtual().name("catchment-webhook-resolve").start(lookup);
        try {
            InetAddress[] found = lookup.get(RESOLVE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            return found == null ? List.of() : List.of(found);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            return List.of();
        } catch (InterruptedException e) {
            lookup.cancel(true);
            Thread.currentThread().interrupt();
            return List.of();
        } catch (ExecutionException e) {
            return List.of();
        }
    }

    /** Lower case, without the brackets of an IPv6 literal (as {@link UrlPolicy} compares hosts). */
    private static String normalizeHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.length() >= 2 && h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** The types as stored: a JSON array of names, each once, in enum order. */
    private static String typesColumn(Collection<WebhookType> types) {
        Set<WebhookType> set = types.isEmpty() ? EnumSet.noneOf(WebhookType.class) : EnumSet.copyOf(types);
        return Json.write(set.stream().map(Enum::name).toList());
    }

    private static Optional<List<WebhookType>> types(String column) {
        if (column == null) return Optional.empty();
        List<WebhookType> out = new ArrayList<>();
        for (JsonNode name : Json.read(column)) {
            // A type a later version no longer knows is dropped rather than failing the whole row.
            for (WebhookType t : WebhookType.values()) if (t.name().equals(name.asText())) out.add(t);
        }
        return Optional.of(out);
    }

    private static Webhook map(ResultSet rs) throws SQLException {
        return new Webhook(
                rs.getLong("id"),
                rs.getLong("organization_id"),
                rs.getString("url"),
                WebhookStatus.valueOf(rs.getString("status")),
                Optional.ofNullable(rs.getString("status_reason")),
                types(rs.getString("event_types")),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }
}
