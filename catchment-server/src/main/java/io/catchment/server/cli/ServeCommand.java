package io.catchment.server.cli;

import io.catchment.server.Catchment;
import io.catchment.server.FirstRun;
import io.catchment.server.Role;
import io.catchment.server.ServerConfig;
import io.catchment.server.http.RateLimits;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Catchment server.")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions db;

    @Option(names = "--port", defaultValue = "${env:CATCHMENT_PORT:-8080}", description = "HTTP port. Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--host", defaultValue = "${env:CATCHMENT_HOST:-0.0.0.0}", description = "Address to bind. Default: ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--public-url", defaultValue = "${env:CATCHMENT_PUBLIC_URL}",
            description = "The URL users reach this server at (OAuth callbacks, links)")
    URI publicUrl;

    @Option(names = "--role", defaultValue = "${env:CATCHMENT_ROLE:-all}",
            description = "api, worker or all. Default: ${DEFAULT-VALUE}", converter = RoleConverter.class)
    Role role;

    @Option(names = "--access-token-ttl", defaultValue = "${env:CATCHMENT_ACCESS_TOKEN_TTL:-PT10H}",
            description = "Lifetime of customer access tokens (ISO-8601). Default: ${DEFAULT-VALUE}")
    Duration accessTokenTtl;

    @Option(names = "--rate-limits", defaultValue = "${env:CATCHMENT_RATE_LIMITS:-}",
            description = "Requests per minute per API key by tier, e.g. TIER_1=30,TIER_2=90,TIER_3=180,UNTIERED=600 "
                    + "(0 = unlimited). Unnamed tiers keep Carbon's defaults.")
    String rateLimits;

    @Option(names = "--max-upload-bytes", defaultValue = "${env:CATCHMENT_MAX_UPLOAD_BYTES:-104857600}",
            description = "Largest accepted upload in bytes. Default: ${DEFAULT-VALUE}")
    long maxUploadBytes;

    @Option(names = "--url-allowlist", defaultValue = "${env:CATCHMENT_URL_ALLOWLIST:-}", split = ",",
            description = "Hosts /upload_file_from_url may fetch although private or loopback (comma-separated)")
    java.util.List<String> urlAllowlist;

    @Option(names = "--embedding-model", defaultValue = "${env:CATCHMENT_EMBEDDING_MODEL:-ALL_MINILM_L6_V2}",
            description = "embedding_model used when a request names none: the local ALL_MINILM_L6_V2 or a remote model "
                    + "whose provider credentials are set in the environment. Default: ${DEFAULT-VALUE}")
    String embeddingModel;

    @Option(names = "--embedding-concurrency", defaultValue = "${env:CATCHMENT_EMBEDDING_CONCURRENCY:-4}",
            description = "Requests in flight at once per model provider and API key. Default: ${DEFAULT-VALUE}")
    int embeddingConcurrency;

    @Option(names = "--auto-sync-interval", defaultValue = "${env:CATCHMENT_AUTO_SYNC_INTERVAL_HOURS:-6}",
            description = "Hours between auto-syncs of a connection whose user set no auto_sync_interval. Default: ${DEFAULT-VALUE}")
    int autoSyncHours;

    @Option(names = "--master-key-file", defaultValue = "${env:CATCHMENT_MASTER_KEY_FILE}",
            description = "File with the master key(s) sealing secrets at rest (default: master.key in the data "
                    + "directory, made on first start). CATCHMENT_MASTER_KEY gives the keys themselves instead.")
    java.nio.file.Path masterKeyFile;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(db.dataDir());
        ServerConfig config = ServerConfig.embedded(db.dataDir(), port)
                .withDatabase(db.settings())
                .withHost(host)
                .withRole(role)
                .withPublicUrl(Optional.ofNullable(publicUrl))
                .withAccessTokenTtl(accessTokenTtl)
                .withRateLimits(RateLimits.parse(rateLimits))
                .withMaxUploadBytes(maxUploadBytes)
                .withUrlAllowlist(urlAllowlist == null ? java.util.Set.of() : urlAllowlist.stream()
                        .map(String::strip).filter(h -> !h.isEmpty()).collect(java.util.stream.Collectors.toSet()))
                .withModels(io.catchment.server.ModelSettings.localOnly()
                        .withCredentials(io.catchment.embed.credentials.ServerCredentials.fromEnvironment(System.getenv()))
                        .withDefault(embeddingModel.strip())
                        .withRetry(io.catchment.embed.remote.RetryPolicy.defaults().withConcurrency(embeddingConcurrency)))
                .withMasterKeys(masterKeySource())
                .withOAuth(new io.catchment.server.OAuthSettings(
                        io.catchment.oauth.ClientApps.fromEnvironment(System.getenv()),
                        io.catchment.oauth.ProviderCatalog.overridesFromEnvironment(System.getenv()),
                        connectorEndpoints(System.getenv("CATCHMENT_CONNECTOR_ENDPOINTS"))))
                .withSync(io.catchment.server.SyncConfig.defaults()
                        .withAutoSyncInterval(java.time.Duration.ofHours(Math.max(1, autoSyncHours))));
        Catchment catchment = Catchment.start(config, Clock.systemUTC());
        FirstRun.ensureOrganization(catchment, db.dataDir(), System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            catchment.close();
            stopped.countDown();
        }, "catchment-shutdown"));
        stopped.await();
        return 0;
    }

    /**
     * {@code freshdesk=https://…,s3=https://…}: the connectors' APIs elsewhere (proxies, tests); also
     * {@code google_resource_manager} (where Google Cloud Storage finds projects).
     */
    static java.util.Map<String, String> connectorEndpoints(String value) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        if (value == null || value.isBlank()) return out;
        for (String pair : value.split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2) throw new IllegalArgumentException("CATCHMENT_CONNECTOR_ENDPOINTS must be name=url pairs");
            out.put(kv[0].strip(), kv[1].strip());
        }
        return out;
    }

    private io.catchment.server.MasterKeySource masterKeySource() {
        String given = System.getenv("CATCHMENT_MASTER_KEY");
        if (given != null && !given.isBlank()) return new io.catchment.server.MasterKeySource.Given(given);
        if (masterKeyFile != null) return new io.catchment.server.MasterKeySource.KeyFile(masterKeyFile);
        return new io.catchment.server.MasterKeySource.InDataDir();
    }

    static final class RoleConverter implements picocli.CommandLine.ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            return Role.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
        }
    }
}
