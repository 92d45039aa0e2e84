package io.catchment.tenancy;

import io.catchment.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Creates, lists, revokes and checks organization API keys (several per organization). */
public final class ApiKeys {
    static final String PREFIX = "ck_";
    private static final int SHOWN_CHARS = 10;

    private final Jdbi jdbi;
    private final Clock clock;

    public ApiKeys(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public NewApiKey create(long organizationId, String name) {
        String secret = Secrets.newSecret(PREFIX);
        long id = jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO api_keys (organization_id, name, key_prefix, key_hash, created_at)
                        VALUES (:org, :name, :prefix, :hash, :now)""")
                .bind("org", organizationId)
                .bind("name", name)
                .bind("prefix", secret.substring(0, SHOWN_CHARS))
                .bind("hash", Secrets.hash(secret))
                .bind("now", Rows.timestamp(clock.instant()))
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one());
        return new NewApiKey(find(id).orElseThrow(), secret);
    }

    public Optional<ApiKey> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> map(rs)).findOne());
    }

    public List<ApiKey> list(long organizationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE organization_id = :org ORDER BY id")
                .bind("org", organizationId).map((rs, ctx) -> map(rs)).list());
    }

    /** Revokes a key of the organization; false when there is no such key. Idempotent. */
    public boolean revoke(long organizationId, long keyId) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE api_keys SET revoked_at = COALESCE(revoked_at, :now)
                        WHERE id = :id AND organization_id = :org""")
                .bind("now", Rows.timestamp(clock.instant()))
                .bind("id", keyId)
                .bind("org", organizationId)
                .execute()) == 1;
    }

    /** The active key matching this secret, if any. */
    public Optional<ApiKey> authenticate(String secret) {
        if (!secret.startsWith(PREFIX)) return Optional.empty();
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE key_hash = :hash AND revoked_at IS NULL")
                .bind("hash", Secrets.hash(secret)).map((rs, ctx) -> map(rs)).findOne());
    }

    private static ApiKey map(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getLong("id"), rs.getLong("organization_id"), rs.getString("name"),
                rs.getString("key_prefix"), Rows.instant(rs, "created_at"), Rows.optionalInstant(rs, "revoked_at"));
    }
}
