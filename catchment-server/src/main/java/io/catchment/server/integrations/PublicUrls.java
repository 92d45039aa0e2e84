package io.catchment.server.integrations;

import io.javalin.http.Context;
import java.util.Optional;

/**
 * The URL users' browsers reach this server at: {@code --public-url} when set (behind a proxy or
 * TLS terminator it must be), else the scheme and host the request came in on.
 */
public record PublicUrls(Optional<String> configured) {
    public String base(Context ctx) {
        return configured.orElseGet(() -> ctx.scheme() + "://" + ctx.host());
    }
}
