package io.catchment.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.catchment.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** A plain HTTP client for one server, with the headers a test chooses (over a real socket). */
public final class Client {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String baseUrl;
    private final Map<String, String> headers;

    public Client(String baseUrl, Map<String, String> headers) {
        this.baseUrl = baseUrl;
        this.headers = Map.copyOf(headers);
    }

    public Client with(String header, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(header, value);
        return new Client(baseUrl, copy);
    }

    public Client without(String header) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.remove(header);
        return new Client(baseUrl, copy);
    }

    public Reply get(String path) {
        return send(request(path).GET());
    }

    public Reply delete(String path) {
        return send(request(path).DELETE());
    }

    public Reply post(String path, Object body) {
        String text = body instanceof String s ? s : Json.write(body);
        return postRaw(path, text);
    }

    public Reply postRaw(String path, String text) {
        return send(request(path).header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(text)));
    }

    public Reply postBytes(String path, byte[] bytes) {
        return send(request(path).header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    /** A multipart/form-data POST with one file field named {@code field}. */
    public Reply upload(String path, String field, String fileName, byte[] content) {
        String boundary = "----catchment" + System.nanoTime();
        var out = new java.io.ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        out.writeBytes(head.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return send(request(path).header("content-type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path));
        headers.forEach(b::header);
        return b;
    }

    private static Reply send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> r = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = r.body().isBlank() ? MissingNode.getInstance() : Json.mapper().readTree(r.body());
            } catch (IOException notJson) {
                json = MissingNode.getInstance();
            }
            return new Reply(r.statusCode(), r.headers(), r.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
