package io.catchment.tenancy;

import io.catchment.store.Rows;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Customer-scoped access tokens ({@code authorization: Token ...}). A token is valid until it
 * expires, is revoked, its customer is deleted, or the API key that minted it is revoked.
 */
public final class AccessTokens {
    static final String ACCESS_PREFIX = "cat_";
    static final String REFRESH_PREFIX = "crt_";

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration accessTtl;
    private final Duration refreshTtl;

    public AccessTokens(Jdbi jdbi, Clock clock, Duration accessTtl, Duration refreshTtl) {
        if (accessTtl.isNegative() || accessTtl.isZero()) throw new IllegalArgumentException("access token TTL must be positive");
        this.jdbi = jdbi;
        this.clock = clock;
        this.accessTtl = accessTtl;
        this.refreshTtl = refreshTtl;
    }

    public TokenPair mint(long customerId, long apiKeyId) {
        String access = Secrets.newSecret(ACCESS_PREFIX);
        String refresh = Secrets.newSecret(REFRESH_PREFIX);
        Instant now = clock.instant();
        Instant expires = now.plus(accessTtl);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO access_tokens (customer_id, api_key_id, token_hash, refresh_hash, expires_at,
                                                   refresh_expires_at, created_at)
                        VALUES (:customer, :key, :token, :refresh, :expires, :refreshExpires, :now)""")
                .bind("customer", customerId)
                .bind("key", apiKeyId)
                .bind("token", Secrets.hash(access))
                .bind("refresh", Secrets.hash(refresh))
                .bind("expires", Rows.timestamp(expires))
                .bind("refreshExpires", Rows.timestamp(now.plus(refreshTtl)))
                .bind("now", Rows.timestamp(now))
                .execute());
        return new TokenPair(access, refresh, Rows.timestamp(expires).toInstant());
    }

    public Optional<TokenGrant> authenticate(String accessToken) {
        if (!accessToken.startsWith(ACCESS_PREFIX)) return Optional.empty();
        return grantWhere("t.token_hash = :hash AND t.expires_at > :now", Secrets.hash(accessToken));
    }

    /**
     * Trades a refresh token for a new pair and revokes the old one (Carbon returns a refresh
     * token but offers no way to use it; we do).
     */
    public Optional<TokenPair> refresh(String refreshToken) {
        if (!refreshToken.startsWith(REFRESH_PREFIX)) return Optional.empty();
        String hash = Secrets.hash(refreshToken);
        return grantWhere("t.refresh_hash = :hash AND t.refresh_expires_at > :now", hash).flatMap(grant -> {
            int revoked = jdbi.withHandle(h -> h.createUpdate(
                            "UPDATE access_tokens SET revoked_at = :now WHERE refresh_hash = :hash AND revoked_at IS NULL")
                    .bind("now", Rows.timestamp(clock.instant())).bind("hash", hash).execute());
            // Only the caller that revoked the old pair gets a new one, so a refresh token works once.
            return revoked == 1 ? Optional.of(mint(grant.customerId(), grant.apiKeyId())) : Optional.empty();
        });
    }

    private Optional<TokenGrant> grantWhere(String condition, String hash) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT c.organization_id, t.customer_id, t.api_key_id
                        FROM access_tokens t
                        JOIN customers c ON c.id = t.customer_id
                        JOIN api_keys k ON k.id = t.api_key_id
                        WHERE t.revoked_at IS NULL AND k.revoked_at IS NULL AND """ + " " + condition)
                .bind("hash", hash)
                .bind("now", Rows.timestamp(clock.instant()))
                .map((rs, ctx) -> new TokenGrant(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                .findOne());
    }
}
