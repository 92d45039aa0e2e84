package io.catchment.server.http;

import io.javalin.http.HandlerType;

/** One endpoint: method and path, who may call it, its rate-limit tier, and its handler. */
public record ApiRoute(HandlerType method, String path, Access access, RateTier tier, ApiHandler handler) {

    public static ApiRoute get(String path, Access access, RateTier tier, ApiHandler handler) {
        return new ApiRoute(HandlerType.GET, path, access, tier, handler);
    }

    public static ApiRoute post(String path, Access access, RateTier tier, ApiHandler handler) {
        return new ApiRoute(HandlerType.POST, path, access, tier, handler);
    }

    public static ApiRoute delete(String path, Access access, RateTier tier, ApiHandler handler) {
        return new ApiRoute(HandlerType.DELETE, path, access, tier, handler);
    }
}
