package io.catchment.server.api;

import io.catchment.server.http.Access;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.Call;
import io.catchment.server.http.HttpApp;
import io.catchment.server.http.RateTier;
import io.catchment.ingest.parse.DocumentParser;
import io.catchment.store.Database;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Operations: liveness, readiness (database included) and Prometheus metrics. No credentials. */
public final class OpsApi {
    private final Database database;
    private final PrometheusMeterRegistry prometheus;
    private final DocumentParser parser;

    public OpsApi(Database database, PrometheusMeterRegistry prometheus, DocumentParser parser) {
        this.database = database;
        this.prometheus = prometheus;
        this.parser = parser;
    }

    /** {@code ocr} is "ok" or says why OCR is unavailable (files asking for OCR then fail clearly). */
    record Health(String status, String database, String ocr) {}

    record Liveness(String status) {}

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/health", Access.PUBLIC, RateTier.NONE, this::health),
                ApiRoute.get("/health/ready", Access.PUBLIC, RateTier.NONE, this::health),
                ApiRoute.get("/health/live", Access.PUBLIC, RateTier.NONE, call -> new Liveness("ok")),
                ApiRoute.get("/metrics", Access.PUBLIC, RateTier.NONE, this::metrics));
    }

    /** 200 when the database answers, else 503 with the same body shape. */
    private Object health(Call call) {
        boolean up = database.isReachable();
        var ocr = parser.ocr();
        Health body = new Health(up ? "ok" : "unavailable", up ? "ok" : "unreachable",
                ocr.available() ? "ok" : "unavailable: " + ocr.detail());
        if (up) return body;
        return new HttpApp.Raw(503, "application/json", io.catchment.json.Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private Object metrics(Call call) {
        return new HttpApp.Raw(200, "text/plain; version=0.0.4; charset=utf-8",
                prometheus.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
