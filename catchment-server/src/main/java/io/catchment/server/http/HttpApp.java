package io.catchment.server.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin on virtual threads with our routes, each wrapped in the same
 * pipeline (request id → auth → rate limit → handler → JSON), Carbon's error shapes for
 * everything that goes wrong, one log line and one timer sample per request.
 */
public final class HttpApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("io.catchment.http");
    private static final String CALLER = "catchment.caller";

    private final Javalin javalin;

    private HttpApp(Javalin javalin) {
        this.javalin = javalin;
    }

    public static HttpApp start(HttpSettings settings, List<ApiRoute> routes, Authenticator auth,
                                RateLimiter limiter, MeterRegistry meters) {
        Javalin app = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.prefer405over404 = true;
            cfg.http.maxRequestSize = Long.MAX_VALUE; // bodies are size-checked per endpoint by Call
            cfg.jetty.host = settings.host();
            cfg.jetty.multipartConfig.cacheDirectory(spool(settings.uploadSpool()));
            cfg.jetty.multipartConfig.maxFileSize(settings.maxUploadBytes(), io.javalin.config.SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxInMemoryFileSize(1, io.javalin.config.SizeUnit.MB);
            cfg.jetty.port = settings.port();
            cfg.jetty.modifyServer(server -> {
                server.insertHandler(new GracefulHandler()); // lets in-flight requests finish on stop
                server.setStopTimeout(settings.shutdownGrace().toMillis());
            });
            cfg.routes.before(RequestIds::assign);
            for (ApiRoute route : routes) {
                cfg.routes.addHttpHandler(route.method(), route.path(),
                        ctx -> handle(ctx, route, auth, limiter, settings.maxJsonBodyBytes()));
            }
            cfg.routes.exception(Exception.class, HttpApp::unexpected);
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> Responses.detail(ctx, e.getStatus(), e.getMessage()));
            cfg.requestLogger.http((ctx, ms) -> logRequest(ctx, ms, meters));
        });
        app.start();
        return new HttpApp(app);
    }

    private static String spool(java.nio.file.Path dir) {
        try {
            return java.nio.file.Files.createDirectories(dir).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public int port() {
        return javalin.port();
    }

    private static void handle(Context ctx, ApiRoute route, Authenticator auth, RateLimiter limiter, long maxBody)
            throws Exception {
        try {
            Caller caller = auth.authenticate(ctx, route.access());
            ctx.attribute(CALLER, caller);
            if (!(caller instanceof Caller.Anonymous)) limiter.acquire(caller.apiKeyId(), route.tier());
            Object result = route.handler().handle(new Call(ctx, caller, maxBody));
            if (result instanceof Raw raw) {
                ctx.status(raw.status()).contentType(raw.contentType()).result(raw.body());
            } else {
                Responses.json(ctx, 200, result);
            }
        } catch (ApiError e) {
            Responses.detail(ctx, e.status(), e.detail());
        } catch (ValidationFailed e) {
            Responses.validation(ctx, e.problems());
        } catch (RateLimiter.RateLimited e) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            Responses.detail(ctx, 429, e.getMessage());
        }
    }

    private static void unexpected(Exception e, Context ctx) {
        log.atError().setCause(e).addKeyValue("request_id", RequestIds.of(ctx)).addKeyValue("method", ctx.method())
                .addKeyValue("path", ctx.path()).log("unexpected error");
        Responses.detail(ctx, 500, "Internal server error");
    }

    private static void logRequest(Context ctx, float ms, MeterRegistry meters) {
        var endpoint = ctx.endpoints().lastHttpEndpoint();
        String route = endpoint == null || ctx.statusCode() == 404 && endpoint.method == HandlerType.BEFORE
                ? "unmatched" : endpoint.path;
        Timer.builder("http.server.requests")
                .tag("method", ctx.method().name())
                .tag("route", route)
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(meters)
                .record((long) (ms * 1000), TimeUnit.MICROSECONDS);
        var line = log.atInfo()
                .addKeyValue("request_id", RequestIds.of(ctx))
                .addKeyValue("method", ctx.method().name())
                .addKeyValue("path", ctx.path())
                .addKeyValue("status", ctx.statusCode())
                .addKeyValue("ms", String.format(java.util.Locale.ROOT, "%.1f", ms));
        if (ctx.attribute(CALLER) instanceof Caller caller) {
            switch (caller) {
                case Caller.Organization o -> line = line.addKeyValue("org", o.organizationId()).addKeyValue("api_key", o.apiKeyId());
                case Caller.CustomerScoped c -> line = line.addKeyValue("org", c.organizationId())
                        .addKeyValue("api_key", c.apiKeyId()).addKeyValue("customer", c.customer().id());
                case Caller.Anonymous a -> { }
            }
        }
        line.log("request");
    }

    /** A non-JSON response (metrics text, files). */
    public record Raw(int status, String contentType, byte[] body) {}

    @Override
    public void close() {
        javalin.stop();
    }
}
