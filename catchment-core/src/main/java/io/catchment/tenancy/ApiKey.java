package io.catchment.tenancy;

import java.time.Instant;
import java.util.Optional;

/** An API key's public record: never the key itself, only its first characters for recognition. */
public record ApiKey(long id, long organizationId, String name, String prefix, Instant createdAt,
                     Optional<Instant> revokedAt) {

    public boolean isActive() {
        return revokedAt.isEmpty();
    }
}
