package io.catchment.server;

import io.catchment.server.http.RateLimits;
import io.catchment.store.DatabaseSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

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
        int workerThreads,
        Duration shutdownGrace,
        long maxUploadBytes,
        Set<String> urlAllowlist,
        Duration sweepInterval,
        ModelSettings models,
        MasterKeySource masterKeys,
        OAuthSettings oauth,
        SyncConfig sync) {

    public static final Duration DEFAULT_ACCESS_TOKEN_TTL = Duration.ofHours(10);
    public static final long DEFAULT_MAX_JSON_BODY_BYTES = 1 << 20;
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 100L << 20;

    /** Embedded defaults for a data directory: H2 file, every role, Carbon's limits. */
    public static ServerConfig embedded(Path dataDir, int port) {
        return new ServerConfig("0.0.0.0", port, dataDir, DatabaseSettings.embedded(dataDir), Optional.empty(),
                Role.ALL, DEFAULT_ACCESS_TOKEN_TTL, Duration.ofDays(30), RateLimits.carbonDefaults(),
                DEFAULT_MAX_JSON_BODY_BYTES, 2, Duration.ofSeconds(10), DEFAULT_MAX_UPLOAD_BYTES, Set.of(),
                Duration.ofSeconds(10), ModelSettings.localOnly(), new MasterKeySource.InDataDir(),
                OAuthSettings.none(), SyncConfig.defaults());
    }

    public ServerConfig withDatabase(DatabaseSettings settings) {
        return new Builder(this).database(settings).build();
    }

    public ServerConfig withRateLimits(RateLimits limits) {
        return new Builder(this).rateLimits(limits).build();
    }

    public ServerConfig withHost(String newHost) {
        return new Builder(this).host(newHost).build();
    }

    public ServerConfig withRole(Role newRole) {
        return new Builder(this).role(newRole).build();
    }

    public ServerConfig withPublicUrl(Optional<URI> url) {
        return new Builder(this).publicUrl(url).build();
    }

    public ServerConfig withAccessTokenTtl(Duration ttl) {
        return new Builder(this).accessTokenTtl(ttl).build();
    }

    public ServerConfig withShutdownGrace(Duration grace) {
        return new Builder(this).shutdownGrace(grace).build();
    }

    public ServerConfig withMaxUploadBytes(long bytes) {
        return new Builder(this).maxUploadBytes(bytes).build();
    }

    public ServerConfig withUrlAllowlist(Set<String> hosts) {
        return new Builder(this).urlAllowlist(hosts).build();
    }

    public ServerConfig withSweepInterval(Duration interval) {
        return new Builder(this).sweepInterval(interval).build();
    }

    public ServerConfig withModels(ModelSettings settings) {
        return new Builder(this).models(settings).build();
    }

    public ServerConfig withMasterKeys(MasterKeySource source) {
        return new Builder(this).masterKeys(source).build();
    }

    public ServerConfig withOAuth(OAuthSettings settings) {
        return new Builder(this).oauth(settings).build();
    }

    public ServerConfig withSync(SyncConfig settings) {
        return new Builder(this).sync(settings).build();
    }

    public ServerConfig withWorkerThreads(int threads) {
        return new Builder(this).workerThreads(threads).build();
    }

    /** Copies a config with some fields changed (records have no "with" of their own). */
    private static final class Builder {
        private String host;
        private int port;
        private Path dataDir;
        private DatabaseSettings database;
        private Optional<URI> publicUrl;
        private Role role;
        private Duration accessTokenTtl;
        private Duration refreshTokenTtl;
        private RateLimits rateLimits;
        private long maxJsonBodyBytes;
        private int workerThreads;
        private Duration shutdownGrace;
        private long maxUploadBytes;
        private Set<String> urlAllowlist;
        private Duration sweepInterval;
        private ModelSettings models;
        private MasterKeySource masterKeys;
        private OAuthSettings oauth;
        private SyncConfig sync;

        Builder(ServerConfig c) {
            host = c.host; port = c.port; dataDir = c.dataDir; database = c.database; publicUrl = c.publicUrl;
            role = c.role; accessTokenTtl = c.accessTokenTtl; refreshTokenTtl = c.refreshTokenTtl;
            rateLimits = c.rateLimits; maxJsonBodyBytes = c.maxJsonBodyBytes; workerThreads = c.workerThreads;
            shutdownGrace = c.shutdownGrace; maxUploadBytes = c.maxUploadBytes; urlAllowlist = c.urlAllowlist;
            sweepInterval = c.sweepInterval; models = c.models; masterKeys = c.masterKeys;
            oauth = c.oauth; sync = c.sync;
        }

        Builder host(String v) { host = v; return this; }
        Builder database(DatabaseSettings v) { database = v; return this; }
        Builder publicUrl(Optional<URI> v) { publicUrl = v; return this; }
        Builder role(Role v) { role = v; return this; }
        Builder accessTokenTtl(Duration v) { accessTokenTtl = v; return this; }
        Builder rateLimits(RateLimits v) { rateLimits = v; return this; }
        Builder shutdownGrace(Duration v) { shutdownGrace = v; return this; }
        Builder maxUploadBytes(long v) { maxUploadBytes = v; return this; }
        Builder urlAllowlist(Set<String> v) { urlAllowlist = Set.copyOf(v); return this; }
        Builder sweepInterval(Duration v) { sweepInterval = v; return this; }
        Builder workerThreads(int v) { workerThreads = v; return this; }
        Builder models(ModelSettings v) { models = v; return this; }
        Builder masterKeys(MasterKeySource v) { masterKeys = v; return this; }
        Builder oauth(OAuthSettings v) { oauth = v; return this; }
        Builder sync(SyncConfig v) { sync = v; return this; }

        ServerConfig build() {
            return new ServerConfig(host, port, dataDir, database, publicUrl, role, accessTokenTtl, refreshTokenTtl,
                    rateLimits, maxJsonBodyBytes, workerThreads, shutdownGrace, maxUploadBytes, urlAllowlist, sweepInterval,
                    models, masterKeys, oauth, sync);
        }
    }
}
