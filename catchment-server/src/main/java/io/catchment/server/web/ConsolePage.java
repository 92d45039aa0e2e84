package io.catchment.server.web;

import io.catchment.json.Json;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.Call;
import io.catchment.server.http.RateTier;
import java.util.List;

/**
 * {@code GET /console}: the operator console's shell. An organization's admin signs in with an API
 * key, which the page keeps in the tab's session storage only, and every view calls the public API
 * with it; the server holds no console session and grants the page nothing an API client lacks.
 */
public final class ConsolePage {
    private final Pages pages;

    public ConsolePage(Pages pages) {
        this.pages = pages;
    }

    public List<ApiRoute> routes() {
        return List.of(ApiRoute.get("/console", Access.PUBLIC, RateTier.NONE, this::page));
    }

    private Object page(Call call) {
        String main = "<h1 id=\"console-title\">Operator console</h1><div id=\"console\" role=\"region\" aria-labelledby=\"console-title\">"
                + "<noscript><p>The console needs JavaScript.</p></noscript></div>";
        return pages.respond(call, Page.of(200, "Console", Branding.DEFAULT, main).withScript("console.js", Json.object()));
    }
}
