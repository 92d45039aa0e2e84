package io.catchment.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One call to a provider. {@code authenticated=false} sends no credentials (pre-signed download
 * URLs). Build with {@link #get}/{@link #post} and the {@code with...} methods.
 */
public record ProviderRequest(String method, URI uri, Map<String, String> headers, Optional<byte[]> body,
                              boolean authenticated) {
    public ProviderRequest {
        headers = Map.copyOf(headers);
    }

    public static ProviderRequest get(URI uri) {
        return new ProviderRequest("GET", uri, Map.of(), Optional.empty(), true);
    }

    public static ProviderRequest get(String uri) {
        return get(URI.create(uri));
    }

    public static ProviderRequest post(String uri, String contentType, String body) {
        return new ProviderRequest("POST", URI.create(uri), Map.of("Content-Type", contentType),
                Optional.of(body.getBytes(StandardCharsets.UTF_8)), true);
    }

    /** A POST with a JSON body ({@code Content-Type: application/json}). */
    public static ProviderRequest postJson(String uri, String json) {
        return post(uri, "application/json", json);
    }

    public ProviderRequest withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ProviderRequest(method, uri, h, body, authenticated);
    }

    public ProviderRequest withoutCredentials() {
        return new ProviderRequest(method, uri, headers, body, false);
    }

    /** A short form for logs and error messages: method, host and path, never the query (it may hold tokens). */
    public String describe() {
        return method + " " + uri.getHost() + uri.getRawPath();
    }
}
