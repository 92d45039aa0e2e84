package io.catchment.server;

import io.catchment.server.http.RateLimits;
import io.catchment.store.DatabaseSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Everything a Catchment process needs to start; built by the CLI from flags and environment. */
public record ServerConfig(
        String host,
        int port,
        Path dataDir,
        DatabaseSettings database,
        Optional<URI> publicUrl,
        Role role,
        Duration accessTokenTtl,
        Duration refreshTokenTtl,
        RateLimits rateLimits,
        long maxJsonBodyBytes,
        int workerThreads) {

    public static final Duration DEFAULT_ACCESS_TOKEN_TTL = Duration.ofHours(10);
    public static final long DEFAULT_MAX_JSON_BODY_BYTES = 1 << 20;

    /** Embedded defaults for a data directory: H2 file, every role, Carbon's limits. */
    public static ServerConfig embedded(Path dataDir, int port) {
        return new ServerConfig("0.0.0.0", port, dataDir, DatabaseSettings.embedded(dataDir), Optional.empty(),
                Role.ALL, DEFAULT_ACCESS_TOKEN_TTL, Duration.ofDays(30), RateLimits.carbonDefaults(),
                DEFAULT_MAX_JSON_BODY_BYTES, 4);
    }

    public ServerConfig withDatabase(DatabaseSettings settings) {
        return new ServerConfig(host, port, dataDir, settings, publicUrl, role, accessTokenTtl, refreshTokenTtl,
                rateLimits, maxJsonBodyBytes, workerThreads);
    }

    public ServerConfig withRateLimits(RateLimits limits) {
        return new ServerConfig(host, port, dataDir, database, publicUrl, role, accessTokenTtl, refreshTokenTtl,
                limits, maxJsonBodyBytes, workerThreads);
    }

    public ServerConfig withHost(String newHost) {
        return new ServerConfig(newHost, port, dataDir, database, publicUrl, role, accessTokenTtl, refreshTokenTtl,
                rateLimits, maxJsonBodyBytes, workerThreads);
    }

    public ServerConfig withRole(Role newRole) {
        return new ServerConfig(host, port, dataDir, database, publicUrl, newRole, accessTokenTtl, refreshTokenTtl,
                rateLimits, maxJsonBodyBytes, workerThreads);
    }

    public ServerConfig withPublicUrl(Optional<URI> url) {
        return new ServerConfig(host, port, dataDir, database, url, role, accessTokenTtl, refreshTokenTtl,
                rateLimits, maxJsonBodyBytes, workerThreads);
    }

    public ServerConfig withAccessTokenTtl(Duration ttl) {
        return new ServerConfig(host, port, dataDir, database, publicUrl, role, ttl, refreshTokenTtl,
                rateLimits, maxJsonBodyBytes, workerThreads);
    }
}
