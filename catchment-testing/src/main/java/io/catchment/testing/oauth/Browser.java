package io.catchment.testing.oauth;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** What the fakes share: the user's browser at an authorize URL, and query and header parsing. */
final class Browser {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Browser() {}

    /** GETs {@code url} without following redirects and returns where the provider sent the browser. */
    static String follow(String url) {
        HttpResponse<String> response;
        try {
            response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("the authorize page could not be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Optional<String> location = response.headers().firstValue("location");
        if ((response.statusCode() == 302 || response.statusCode() == 303) && location.isPresent()) {
            return location.get();
        }
        throw new IllegalStateException("the authorize page did not redirect (HTTP " + response.statusCode() + "): "
                + response.body());
    }

    /** Decoded form or query parameters (the first value of each name). */
    static Map<String, String> decode(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        if (encoded == null) return out;
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) continue;
            String[] kv = pair.split("=", 2);
            out.putIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    static String encode(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** {@code uri} with {@code params} appended to its query. */
    static String withQuery(String uri, Map<String, String> params) {
        return uri + (uri.contains("?") ? "&" : "?") + encode(params);
    }

    /** The user and password of an {@code Authorization: Basic} header. */
    static Optional<String[]> basic(Optional<String> header) {
        if (header.isEmpty() || !header.get().regionMatches(true, 0, "Basic ", 0, 6)) return Optional.empty();
        try {
            String pair = new String(Base64.getDecoder().decode(header.get().substring(6).strip()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon < 0 ? Optional.empty() : Optional.of(new String[] {pair.substring(0, colon), pair.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The token of an {@code Authorization: Bearer} header. */
    static Optional<String> bearer(Optional<String> header) {
        return header.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7)).map(h -> h.substring(7).strip());
    }
}
