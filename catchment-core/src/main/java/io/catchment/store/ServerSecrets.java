package io.catchment.store;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import org.jdbi.v3.core.Jdbi;

/**
 * Random secrets shared by every process of a deployment (they all read the same row), made
 * on first use. Not for secrets that must survive losing the database, nor for encryption keys.
 */
public final class ServerSecrets {
    private final Jdbi jdbi;
    private final Clock clock;

    public ServerSecrets(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** The named 256-bit secret as hex; concurrent first calls all get the same value. */
    public String getOrCreate(String name) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        return jdbi.withHandle(h -> {
            h.createUpdate("INSERT INTO server_secrets (name, secret, created_at) VALUES (:n, :s, :now) ON CONFLICT DO NOTHING")
                    .bind("n", name).bind("s", HexFormat.of().formatHex(fresh)).bind("now", Rows.timestamp(clock.instant()))
                    .execute();
            return h.createQuery("SELECT secret FROM server_secrets WHERE name = :n").bind("n", name)
                    .mapTo(String.class).one();
        });
    }
}
