package io.catchment.server.web;

import io.catchment.server.http.Access;
import io.catchment.server.http.ApiError;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.Call;
import io.catchment.server.http.HttpApp;
import io.catchment.server.http.RateTier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pages' static files, bundled in the jar and read once at start. Links carry a hash of the
 * content ({@code ?v=}), so browsers may cache them for good and still never run a stale script.
 */
public final class Assets {
    private static final String ROOT = "/io/catchment/server/web/assets/";
    private static final List<String> NAMES = List.of("catchment.css", "api.js", "ui.js", "connect.js", "picker.js",
            "console.js");

    private record Asset(byte[] body, String type, String version) {}

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    public Assets() {
        for (String name : NAMES) {
            byte[] body = read(name);
            String type = name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
            assets.put(name, new Asset(body, type, HexFormat.of().formatHex(sha256(body), 0, 6)));
        }
    }

    public List<ApiRoute> routes() {
        return List.of(ApiRoute.get("/assets/{name}", Access.PUBLIC, RateTier.NONE, this::serve));
    }

    /** The URL of an asset, versioned by its content. */
    public String url(String name) {
        Asset asset = assets.get(name);
        if (asset == null) throw new IllegalArgumentException("no asset " + name);
        return "/assets/" + name + "?v=" + asset.version();
    }

    private Object serve(Call call) {
        Asset asset = assets.get(call.ctx().pathParam("name"));
        if (asset == null) throw ApiError.notFound("Not found");
        call.ctx().header("Cache-Control", asset.version().equals(call.ctx().queryParam("v"))
                ? "public, max-age=31536000, immutable" : "no-cache");
        call.ctx().header("X-Content-Type-Options", "nosniff");
        call.ctx().header("ETag", "\"" + asset.version() + "\"");
        return new HttpApp.Raw(200, asset.type(), asset.body());
    }

    private static byte[] read(String name) {
        try (InputStream in = Assets.class.getResourceAsStream(ROOT + name)) {
            if (in == null) throw new IllegalStateException("asset missing from the jar: " + ROOT + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
