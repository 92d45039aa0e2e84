package io.catchment.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.crypto.SecretBox;
import io.catchment.json.Json;
import io.catchment.store.Rows;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Pending flows: an OAuth authorization waiting for its callback, or a sync-URL session. Each is
 * found by a random 256-bit state (only its SHA-256 is stored), bound to an organization, a
 * customer and a service, used once, and expires. The payload is sealed.
 */
public final class OAuthFlows {
    /** How long a user has to finish consenting. */
    public static final Duration OAUTH_TTL = Duration.ofMinutes(15);

    private final Jdbi jdbi;
    private final SecretBox box;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public OAuthFlows(Jdbi jdbi, SecretBox box, Clock clock) {
        this.jdbi = jdbi;
        this.box = box;
        this.clock = clock;
    }

    /**
     * What kind of flow a state starts: an OAuth authorization, a sync URL (an existing data source,
     * no OAuth), or a picker hand-off (a hosted page trades it once for the customer's access token).
     */
    public enum Kind { OAUTH, SYNC_URL, PICKER }

    public record Started(String state, Instant expiresAt) {}

    public record Flow(Kind kind, long organizationId, long customerId, OAuthService service, ObjectNode payload) {}

    /** The outcome of presenting a state. */
    public sealed interface Claim {
        record Claimed(Flow flow) implements Claim {}

        /** Not a state we issued (or tampered with). */
        record Unknown() implements Claim {}

        record AlreadyUsed() implements Claim {}

        record Expired() implements Claim {}
    }

    /** A fresh random state, for flows that must name it before they can start (OAuth 1.0a callbacks). */
    public String newState() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public Started start(Kind kind, long organizationId, long customerId, OAuthService service, ObjectNode payload,
                         Duration ttl) {
        return start(newState(), kind, organizationId, customerId, service, payload, ttl);
    }

    /** Starts a flow under a state from {@link #newState()}. */
    public Started start(String state, Kind kind, long organizationId, long customerId, OAuthService service,
                         ObjectNode payload, Duration ttl) {
        String hash = hash(state);
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO oauth_flows (state_hash, kind, organization_id, customer_id, service, sealed_payload,
                        created_at, expires_at) VALUES (:hash, :kind, :org, :customer, :service, :payload, :now, :expires)""")
                .bind("hash", hash).bind("kind", kind.name()).bind("org", organizationId).bind("customer", customerId)
                .bind("service", service.name()).bind("payload", box.seal(Json.write(payload), "oauth-flow:" + hash))
                .bind("now", Rows.timestamp(now)).bind("expires", Rows.timestamp(expires)).execute());
        return new Started(state, expires);
    }

    /** Uses the state up: a second claim of the same state is {@link Claim.AlreadyUsed}. */
    public Claim claim(String state) {
        if (state == null || state.isBlank() || state.length() > 200) return new Claim.Unknown();
        String hash = hash(state);
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            record Row(Kind kind, long org, long customer, OAuthService service, String payload, Instant expires,
                       Optional<Instant> consumed) {}
            Optional<Row> row = h.createQuery("""
                            SELECT kind, organization_id, customer_id, service, sealed_payload, expires_at, consumed_at
                            FROM oauth_flows WHERE state_hash = :hash FOR UPDATE""")
                    .bind("hash", hash)
                    .map((rs, ctx) -> new Row(Kind.valueOf(rs.getString("kind")), rs.getLong("organization_id"),
                            rs.getLong("customer_id"), OAuthService.valueOf(rs.getString("service")),
                            rs.getString("sealed_payload"), Rows.instant(rs, "expires_at"),
                            Rows.optionalInstant(rs, "consumed_at")))
                    .findOne();
            if (row.isEmpty()) return new Claim.Unknown();
            Row r = row.get();
            if (r.consumed().isPresent()) return new Claim.AlreadyUsed();
            // An expired state stays unused, so it keeps saying "expired" rather than "already used".
            if (!r.expires().isAfter(now)) return new Claim.Expired();
            h.createUpdate("UPDATE oauth_flows SET consumed_at = :now WHERE state_hash = :hash")
                    .bind("now", Rows.timestamp(now)).bind("hash", hash).execute();
            try {
                ObjectNode payload = Json.readObject(box.open(r.payload(), "oauth-flow:" + hash));
                return new Claim.Claimed(new Flow(r.kind(), r.org(), r.customer(), r.service(), payload));
            } catch (SecretBox.SecretException e) {
                return new Claim.Unknown();
            }
        });
    }

    /** Deletes flows that ended more than a day ago (housekeeping). */
    public int purge() {
        Instant cutoff = clock.instant().minus(Duration.ofDays(1));
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM oauth_flows WHERE expires_at < :cutoff")
                .bind("cutoff", Rows.timestamp(cutoff)).execute());
    }

    /** Hourly housekeeping run by the job workers: drops flows that ended a day ago. */
    public com.github.kagkarlsson.scheduler.task.helper.RecurringTask<Void> purgeTask() {
        return com.github.kagkarlsson.scheduler.task.helper.Tasks.recurring("oauth-flows-purge",
                com.github.kagkarlsson.scheduler.task.schedule.FixedDelay.ofHours(1)).execute((instance, ctx) -> purge());
    }

    private static String hash(String state) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
