package io.catchment.server;

import io.catchment.blob.FileSystemBlobStore;
import io.catchment.crypto.SecretBox;
import io.catchment.embed.EmbeddingModels;
import io.catchment.embed.LocalMiniLmModel;
import io.catchment.embed.credentials.ModelCredentialStore;
import io.catchment.embed.providers.RemoteModels;
import io.catchment.embed.remote.JsonApiClient;
import io.catchment.server.models.ModelsApi;
import io.catchment.server.whitelabel.WhiteLabelApi;
import io.catchment.connector.credentials.CredentialVerifiers;
import io.catchment.datasource.DataSources;
import io.catchment.oauth.ClientApps;
import io.catchment.oauth.IdentityClient;
import io.catchment.oauth.OAuth1Client;
import io.catchment.oauth.OAuthEngine;
import io.catchment.oauth.OAuthFlows;
import io.catchment.oauth.ProviderCatalog;
import io.catchment.oauth.ProviderRevocation;
import io.catchment.oauth.ProviderTokens;
import io.catchment.oauth.TokenClient;
import io.catchment.server.integrations.ConnectApi;
import io.catchment.server.integrations.CredentialConnectApi;
import io.catchment.server.integrations.OAuthCallbackApi;
import io.catchment.server.web.Assets;
import io.catchment.server.web.ConsolePage;
import io.catchment.server.web.Pages;
import io.catchment.server.integrations.OAuthUrlApi;
import io.catchment.server.integrations.PublicUrls;
import io.catchment.server.integrations.DataSourcesApi;
import java.net.http.HttpClient;
import io.catchment.whitelabel.WhiteLabels;
import io.catchment.files.FileLifecycle;
import io.catchment.files.FileStore;
import io.catchment.ingest.IngestJobs;
import io.catchment.ingest.Indexer;
import io.catchment.ingest.Ingestion;
import io.catchment.ingest.IngestionPipeline;
import io.catchment.ingest.chunk.TokenChunker;
import io.catchment.ingest.fetch.SafeUrlFetcher;
import io.catchment.ingest.fetch.UrlPolicy;
import io.catchment.ingest.parse.DocumentParser;
import io.catchment.ingest.parse.TikaDocumentParser;
import io.catchment.jobs.JobQueue;
import io.catchment.jobs.JobWorkers;
import io.catchment.search.ChunkIndex;
import io.catchment.server.api.AuthApi;
import io.catchment.server.api.OpsApi;
import io.catchment.server.api.OrganizationApi;
import io.catchment.server.api.UsersApi;
import io.catchment.server.files.FilesApi;
import io.catchment.server.search.ChunksApi;
import io.catchment.server.search.SearchApi;
import io.catchment.files.ChunkStore;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.Authenticator;
import io.catchment.server.http.HttpApp;
import io.catchment.server.http.HttpSettings;
import io.catchment.server.http.LinkSigner;
import io.catchment.server.http.RateLimiter;
import io.catchment.store.Database;
import io.catchment.store.ServerSecrets;
import io.catchment.tenancy.AccessTokens;
import io.catchment.tenancy.ApiKeys;
import io.catchment.tenancy.Customers;
import io.catchment.tenancy.Organizations;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import io.catchment.connector.Connectors;
import io.catchment.connectors.ContentConnectors;
import io.catchment.datasource.DataSource;
import io.catchment.server.integrations.SyncApi;
import io.catchment.server.webhooks.WebhooksApi;
import io.catchment.webhooks.Webhooks;
import io.catchment.server.webhooks.WebhookDeliveriesApi;
import io.catchment.webhooks.DeliveryLog;
import io.catchment.webhooks.Dispatcher;
import io.catchment.webhooks.RetrySchedule;
import io.catchment.sync.AutoSync;
import io.catchment.sync.ConnectorContent;
import io.catchment.sync.ProviderDoors;
import io.catchment.sync.Reconciler;
import io.catchment.sync.Selections;
import io.catchment.sync.SourceItems;
import io.catchment.sync.SyncEngine;
import io.catchment.sync.SyncJobs;
import io.catchment.sync.SyncService;
import io.catchment.sync.SyncStates;
import io.catchment.tenancy.UserConfiguration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component by constructor, in dependency order, and
 * starts what this process's role asks for. Closing stops intake first, then workers, then
 * the index and the database.
 */
public final class Catchment implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Catchment.class);

    private final Database database;
    private final Organizations organizations;
    private final ApiKeys apiKeys;
    private final ChunkIndex index;
    private final Optional<HttpApp> http;
    private final Optional<JobWorkers> workers;

    private Catchment(Database database, Organizations organizations, ApiKeys apiKeys, ChunkIndex index,
                      Optional<HttpApp> http, Optional<JobWorkers> workers) {
        this.database = database;
        this.organizations = organizations;
        this.apiKeys = apiKeys;
        this.index = index;
        this.http = http;
        this.workers = workers;
    }

    public static Catchment start(ServerConfig config, Clock clock) {
        Database database = Database.open(config.database());
        ChunkIndex index = null;
        try {
            var organizations = new Organizations(database.jdbi(), clock);
            var apiKeys = new ApiKeys(database.jdbi(), clock);
            var customers = new Customers(database.jdbi(), clock);
            var tokens = new AccessTokens(database.jdbi(), clock, config.accessTokenTtl(), config.refreshTokenTtl());

            var blobs = new FileSystemBlobStore(config.dataDir().resolve("blobs"));
            index = ChunkIndexes.open(database, config.dataDir());
            var files = new FileStore(database, clock);
            var lifecycle = new FileLifecycle(database.jdbi(), clock);
            var indexer = new Indexer(lifecycle, index);
            DocumentParser parser = new TikaDocumentParser();
            var chunker = new TokenChunker();
            var keys = config.masterKeys().load(config.dataDir());
            var box = new SecretBox(keys);
            var credentialStore = new ModelCredentialStore(database.jdbi(), box, clock);
            var whiteLabels = new WhiteLabels(database.jdbi(), box, clock);
            var webhooks = new Webhooks(database.jdbi(), box, clock, config.urlAllowlist());
            var remoteModels = new RemoteModels(config.models().credentials(), credentialStore::credentials,
                    new JsonApiClient(config.models().retry()), clock);
            var models = new EmbeddingModels(List.of(new LocalMiniLmModel()), config.models().defaultEmbeddingModel(),
                    remoteModels);
            var flows = new OAuthFlows(database.jdbi(), box, clock);
            var dataSources = new DataSources(database.jdbi(), box, clock);
            var noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(java.time.Duration.ofSeconds(10)).build();
            var catalog = ProviderCatalog.bundled().withOverrides(config.oauth().urlOverrides());
            var tokenClient = new TokenClient(noRedirects, clock);
            var clientApps = new ClientApps(config.oauth().apps(), whiteLabels);
            var providerTokens = new ProviderTokens(dataSources, catalog, clientApps, tokenClient, clock);
            var connectorEndpoints = ConnectorEndpoints.from(config.oauth().connectorEndpoints());
            var endpoints = connectorEndpoints.stores();
            var connectors = new Connectors(ContentConnectors.all(endpoints, connectorEndpoints.googleResourceManager()));
            var sourceItems = new SourceItems(database.jdbi(), clock);
            var doors = new ProviderDoors(dataSources, providerTokens, catalog, noRedirects, config.sync().http(), clock,
                    config.sync().perSourceConcurrency());
            var pipeline = new IngestionPipeline(files, lifecycle, blobs, parser, chunker, models, indexer,
                    customers, organizations, new ConnectorContent(dataSources, connectors, sourceItems, doors));
            var jobs = new IngestJobs(() -> pipeline, lifecycle, indexer, clock, config.sweepInterval());
            var ingestion = new Ingestion(files, lifecycle, jobs, indexer, blobs, clock);
            Function<DataSource, UserConfiguration> userSettings = ds -> organizations.find(ds.organizationId())
                    .map(o -> o.globalUserConfig()).orElse(UserConfiguration.EMPTY)
                    .overlay(customers.findById(ds.customerId()).map(c -> c.configuration()).orElse(UserConfiguration.EMPTY));
            var syncStates = new SyncStates(database.jdbi(), clock);
            var selections = new Selections(database.jdbi(), clock);
            var reconciler = new Reconciler(selections, sourceItems, files, lifecycle, ingestion, userSettings);
            var syncEngine = new SyncEngine(database.jdbi(), dataSources, connectors, sourceItems, syncStates, reconciler, doors, clock);
            var syncJobs = new SyncJobs(syncEngine, syncStates,
                    new AutoSync(dataSources, connectors, syncStates, userSettings, config.sync().autoSyncInterval()),
                    clock, config.sync().sweepEvery());
            var sync = new SyncService(dataSources, connectors, syncStates, selections, sourceItems, files, syncJobs, doors);
            var webhookDispatcher = new Dispatcher(database, box, clock, config.urlAllowlist(),
                    RetrySchedule.DEFAULT, Dispatcher.DEFAULT_TIMEOUT, java.time.Duration.ofSeconds(1));
            List<com.github.kagkarlsson.scheduler.task.Task<?>> tasks = new ArrayList<>(jobs.tasks());
            tasks.addAll(syncJobs.tasks());
            tasks.addAll(webhookDispatcher.tasks());
            var queue = new JobQueue(database, tasks);
            jobs.attach(queue);
            syncJobs.attach(queue);

            var prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ProcessorMetrics(),
                    new UptimeMetrics()).forEach(binder -> binder.bindTo(prometheus));

            tasks.add(flows.purgeTask());
            tasks.add(providerTokens.refreshTask());
            Optional<JobWorkers> workers = config.role().runsWorkers()
                    ? Optional.of(JobWorkers.start(database, tasks, config.workerThreads(),
                            java.time.Duration.ofMillis(500)))
                    : Optional.empty();

            List<ApiRoute> routes = new ArrayList<>(new OpsApi(database, prometheus, parser).routes());
            if (config.role().servesApi()) {
                var signer = new LinkSigner(new ServerSecrets(database.jdbi(), clock).getOrCreate("download-links"), clock);
                var fetcher = new SafeUrlFetcher(UrlPolicy.defaults().withAllowedHosts(config.urlAllowlist())
                        .withMaxBytes(config.maxUploadBytes()));
                var publicBase = config.publicUrl().map(u -> u.toString().replaceAll("/+$", ""));
                var fileContext = new io.catchment.server.files.FileContext(files, ingestion, blobs, models,
                        organizations, signer, publicBase,
                        config.maxUploadBytes());
                routes.addAll(new AuthApi(tokens).routes());
                var usage = new io.catchment.files.UsageStore(database.jdbi());
                routes.addAll(new UsersApi(customers, organizations, usage, files, ingestion).routes());
                routes.addAll(new OrganizationApi(organizations, usage).routes());
                routes.addAll(new FilesApi(fileContext, fetcher).routes());
                var chunksApi = new ChunksApi(files, new ChunkStore(database.jdbi()), ingestion, models, remoteModels, chunker);
                routes.addAll(new SearchApi(files, index, models, remoteModels, fileContext, chunksApi).routes());
                routes.addAll(new ModelsApi(models, remoteModels, credentialStore).routes());
                routes.addAll(new WhiteLabelApi(whiteLabels, organizations).routes());
                routes.addAll(new WebhooksApi(webhooks).routes());
                routes.addAll(new WebhookDeliveriesApi(new DeliveryLog(database.jdbi())).routes());
                var verifiers = new CredentialVerifiers(noRedirects, clock, endpoints, fetcher);
                var identity = new IdentityClient(noRedirects);
                var engine = new OAuthEngine(catalog, clientApps, flows, tokenClient, identity,
                        new OAuth1Client(noRedirects), dataSources);
                var urls = new PublicUrls(publicBase);
                var revocation = new ProviderRevocation(dataSources, catalog, clientApps, tokenClient);
                routes.addAll(new OAuthUrlApi(engine, flows, dataSources, models, urls).routes());
                var assets = new Assets();
                var pages = new Pages(assets);
                routes.addAll(assets.routes());
                routes.addAll(new ConsolePage(pages).routes());
                routes.addAll(new OAuthCallbackApi(engine, flows, dataSources, organizations, tokens, signer, pages,
                        sync::connected).routes());
                routes.addAll(new ConnectApi(catalog, identity, verifiers, dataSources, flows, urls, sync::connected).routes());
                routes.addAll(new DataSourcesApi(dataSources, customers, revocation::revoke, sync::fileCounts).routes());
                routes.addAll(new CredentialConnectApi(verifiers, dataSources, models, sync::connected).routes());
                routes.addAll(new SyncApi(dataSources, sync, models).routes());
            }
            var http = HttpApp.start(
                    new HttpSettings(config.host(), config.port(), config.maxJsonBodyBytes(), config.shutdownGrace(),
                            config.maxUploadBytes(), config.dataDir().resolve("uploads")),
                    routes, new Authenticator(apiKeys, tokens, customers),
                    new RateLimiter(config.rateLimits(), clock), prometheus);
            log.atInfo().addKeyValue("port", http.port()).addKeyValue("role", config.role())
                    .addKeyValue("default_embedding_model", models.defaultModelName())
                    .addKeyValue("model_providers", remoteModels.serverProviders())
                    .addKeyValue("master_key", keys.currentId())
                    .addKeyValue("database", database.vendor()).addKeyValue("ocr", parser.ocr().detail())
                    .log("catchment started");
            return new Catchment(database, organizations, apiKeys, index, Optional.of(http), workers);
        } catch (IOException e) {
            closeQuietly(index, database);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly(index, database);
            throw e;
        }
    }

    private static void closeQuietly(ChunkIndex index, Database database) {
        if (index != null) index.close();
        database.close();
    }

    public int port() {
        return http.map(HttpApp::port).orElseThrow();
    }

    public Organizations organizations() {
        return organizations;
    }

    public ApiKeys apiKeys() {
        return apiKeys;
    }

    /** The chunk index (read-only use by operators' tools and tests). */
    public ChunkIndex chunkIndex() {
        return index;
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        http.ifPresent(HttpApp::close);
        workers.ifPresent(JobWorkers::close);
        index.close();
        database.close();
        log.info("catchment stopped");
    }
}
