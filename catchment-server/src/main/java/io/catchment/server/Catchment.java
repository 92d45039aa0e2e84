package io.catchment.server;

import io.catchment.jobs.JobWorkers;
import io.catchment.server.api.AuthApi;
import io.catchment.server.api.OpsApi;
import io.catchment.server.api.OrganizationApi;
import io.catchment.server.api.UsersApi;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.Authenticator;
import io.catchment.server.http.HttpApp;
import io.catchment.server.http.HttpSettings;
import io.catchment.server.http.RateLimiter;
import io.catchment.store.Database;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component by constructor, in dependency order, and
 * starts what this process's role asks for. Closing stops intake first, then workers, then
 * the database.
 */
public final class Catchment implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Catchment.class);

    private final Database database;
    private final Organizations organizations;
    private final ApiKeys apiKeys;
    private final Optional<HttpApp> http;
    private final Optional<JobWorkers> workers;

    private Catchment(Database database, Organizations organizations, ApiKeys apiKeys, Optional<HttpApp> http,
                      Optional<JobWorkers> workers) {
        this.database = database;
        this.organizations = organizations;
        this.apiKeys = apiKeys;
        this.http = http;
        this.workers = workers;
    }

    public static Catchment start(ServerConfig config, Clock clock) {
        Database database = Database.open(config.database());
        try {
            var organizations = new Organizations(database.jdbi(), clock);
            var apiKeys = new ApiKeys(database.jdbi(), clock);
            var customers = new Customers(database.jdbi(), clock);
            var tokens = new AccessTokens(database.jdbi(), clock, config.accessTokenTtl(), config.refreshTokenTtl());

            var prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ProcessorMetrics(),
                    new UptimeMetrics()).forEach(binder -> binder.bindTo(prometheus));

            Optional<JobWorkers> workers = config.role().runsWorkers()
                    ? Optional.of(JobWorkers.start(database, List.of(), config.workerThreads(), Duration.ofSeconds(1)))
                    : Optional.empty();

            List<ApiRoute> routes = new ArrayList<>(new OpsApi(database, prometheus).routes());
            if (config.role().servesApi()) {
                routes.addAll(new AuthApi(tokens).routes());
                routes.addAll(new UsersApi(customers, organizations).routes());
                routes.addAll(new OrganizationApi(organizations).routes());
            }
            var http = HttpApp.start(
                    new HttpSettings(config.host(), config.port(), config.maxJsonBodyBytes(),
                            config.shutdownGrace()),
                    routes, new Authenticator(apiKeys, tokens, customers),
                    new RateLimiter(config.rateLimits(), clock), prometheus);
            log.atInfo().addKeyValue("port", http.port()).addKeyValue("role", config.role())
                    .addKeyValue("database", database.vendor()).log("catchment started");
            return new Catchment(database, organizations, apiKeys, Optional.of(http), workers);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
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

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        http.ifPresent(HttpApp::close);
        workers.ifPresent(JobWorkers::close);
        database.close();
        log.info("catchment stopped");
    }
}
