package io.catchment.embed.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.embed.EmbeddingGenerator.Provider;
import io.catchment.json.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON form of {@link ModelCredentials}, the same for the organization settings API,
 * {@code custom_credentials}, and what is sealed in the database:
 * <pre>
 * OPENAI        {"api_key", "organization"?, "base_url"?}
 * AZURE_OPENAI  {"endpoint", "api_key", "api_version"?, "deployments"?: {model: deployment}}
 * COHERE, UPSTAGE, JINA  {"api_key", "base_url"?}
 * VERTEX_AI     {"service_account": key file object or its JSON text, "project_id"?, "location"?, "base_url"?}
 * </pre>
 */
public final class CredentialsJson {
    private CredentialsJson() {}

    public static ModelCredentials read(Provider provider, JsonNode node) throws InvalidCredentials {
        if (node == null || !node.isObject()) throw new InvalidCredentials("credentials", "must be an object");
        return switch (provider) {
            case OPENAI -> {
                allowOnly(node, Set.of("api_key", "organization", "base_url"));
                yield new ModelCredentials.OpenAi(required(node, "api_key"), optional(node, "organization"),
                        url(node, "base_url").orElse(ModelCredentials.OpenAi.DEFAULT_BASE_URL));
            }
            case AZURE_OPENAI -> {
                allowOnly(node, Set.of("endpoint", "api_key", "api_version", "deployments"));
                URI endpoint = url(node, "endpoint").orElseThrow(() -> new InvalidCredentials("endpoint",
                        "is required: the resource's endpoint, like https://NAME.openai.azure.com"));
                yield new ModelCredentials.AzureOpenAi(endpoint, required(node, "api_key"),
                        optional(node, "api_version").orElse(ModelCredentials.AzureOpenAi.DEFAULT_API_VERSION),
                        deployments(node));
            }
            case COHERE -> {
                allowOnly(node, Set.of("api_key", "base_url"));
                yield new ModelCredentials.Cohere(required(node, "api_key"),
                        url(node, "base_url").orElse(ModelCredentials.Cohere.DEFAULT_BASE_URL));
            }
            case UPSTAGE -> {
                allowOnly(node, Set.of("api_key", "base_url"));
                yield new ModelCredentials.Upstage(required(node, "api_key"),
                        url(node, "base_url").orElse(ModelCredentials.Upstage.DEFAULT_BASE_URL));
            }
            case JINA -> {
                allowOnly(node, Set.of("api_key", "base_url"));
                yield new ModelCredentials.Jina(required(node, "api_key"),
                        url(node, "base_url").orElse(ModelCredentials.Jina.DEFAULT_BASE_URL));
            }
            case VERTEX_AI -> vertex(node);
            case LOCAL -> throw new InvalidCredentials("provider", "the local model needs no credentials");
        };
    }

    /** The full form, secrets included: only for sealing. */
    public static ObjectNode write(ModelCredentials credentials) {
        ObjectNode node = Json.object();
        switch (credentials) {
            case ModelCredentials.OpenAi c -> {
                node.put("api_key", c.apiKey());
                c.organization().ifPresent(o -> node.put("organization", o));
                node.put("base_url", c.baseUrl().toString());
            }
            case ModelCredentials.AzureOpenAi c -> {
                node.put("endpoint", c.endpoint().toString());
                node.put("api_key", c.apiKey());
                node.put("api_version", c.apiVersion());
                ObjectNode deployments = node.putObject("deployments");
                c.deployments().forEach(deployments::put);
            }
            case ModelCredentials.Cohere c -> apiKeyAndBase(node, c.apiKey(), c.baseUrl());
            case ModelCredentials.Upstage c -> apiKeyAndBase(node, c.apiKey(), c.baseUrl());
            case ModelCredentials.Jina c -> apiKeyAndBase(node, c.apiKey(), c.baseUrl());
            case ModelCredentials.VertexAi c -> {
                ObjectNode account = node.putObject("service_account");
                account.put("type", "service_account");
                account.put("client_email", c.account().clientEmail());
                account.put("private_key", c.account().privateKeyPem());
                c.account().privateKeyId().ifPresent(id -> account.put("private_key_id", id));
                account.put("token_uri", c.account().tokenUri().toString());
                account.put("project_id", c.projectId());
                node.put("project_id", c.projectId());
                node.put("location", c.location());
                c.baseUrl().ifPresent(u -> node.put("base_url", u.toString()));
            }
        }
        return node;
    }

    private static void apiKeyAndBase(ObjectNode node, String apiKey, URI baseUrl) {
        node.put("api_key", apiKey);
        node.put("base_url", baseUrl.toString());
    }

    private static ModelCredentials vertex(JsonNode node) throws InvalidCredentials {
        allowOnly(node, Set.of("service_account", "project_id", "location", "base_url"));
        JsonNode given = node.get("service_account");
        if (given == null || given.isNull()) {
            throw new InvalidCredentials("service_account", "is required: the service account's JSON key file");
        }
        JsonNode account;
        try {
            account = given.isTextual() ? Json.mapper().readTree(given.asText()) : given;
        } catch (Exception e) {
            throw new InvalidCredentials("service_account", "is not a JSON key file");
        }
        ModelCredentials.ServiceAccount sa = serviceAccount(account);
        String project = optional(node, "project_id").or(() -> optional(account, "project_id"))
                .orElseThrow(() -> new InvalidCredentials("project_id", "is required (the key file has none)"));
        String location = optional(node, "location").orElse(ModelCredentials.VertexAi.DEFAULT_LOCATION);
        if (!location.matches("[a-z0-9-]{2,40}")) {
            throw new InvalidCredentials("location", "must be a Google Cloud region such as us-central1");
        }
        return new ModelCredentials.VertexAi(sa, project, location, url(node, "base_url"));
    }

    /** Reads a service-account key file (its JSON object). */
    public static ModelCredentials.ServiceAccount serviceAccount(JsonNode account) throws InvalidCredentials {
        if (!account.isObject()) throw new InvalidCredentials("service_account", "must be the key file's JSON object");
        String type = optional(account, "type").orElse("service_account");
        if (!type.equals("service_account")) {
            throw new InvalidCredentials("service_account.type", "must be service_account, was " + type);
        }
        String email = requiredIn(account, "client_email", "service_account.client_email");
        String key = requiredIn(account, "private_key", "service_account.private_key");
        if (!key.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new InvalidCredentials("service_account.private_key", "must be a PEM PKCS#8 private key");
        }
        URI tokenUri = url(account, "token_uri").orElse(ModelCredentials.ServiceAccount.DEFAULT_TOKEN_URI);
        return new ModelCredentials.ServiceAccount(email, key, optional(account, "private_key_id"), tokenUri);
    }

    private static Map<String, String> deployments(JsonNode node) throws InvalidCredentials {
        JsonNode d = node.get("deployments");
        if (d == null || d.isNull()) return Map.of();
        if (!d.isObject()) throw new InvalidCredentials("deployments", "must be an object of model → deployment name");
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                throw new InvalidCredentials("deployments." + e.getKey(), "must be a deployment name");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static void allowOnly(JsonNode node, Set<String> fields) throws InvalidCredentials {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!fields.contains(name)) {
                throw new InvalidCredentials(name, "is not a field of these credentials (expected: "
                        + String.join(", ", new java.util.TreeSet<>(fields)) + ")");
            }
        }
    }

    private static String required(JsonNode node, String field) throws InvalidCredentials {
        return requiredIn(node, field, field);
    }

    private static String requiredIn(JsonNode node, String field, String path) throws InvalidCredentials {
        return optional(node, field).orElseThrow(() -> new InvalidCredentials(path, "is required"));
    }

    private static Optional<String> optional(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? Optional.of(v.asText().strip()) : Optional.empty();
    }

    private static Optional<URI> url(JsonNode node, String field) throws InvalidCredentials {
        Optional<String> text = optional(node, field);
        if (text.isEmpty()) return Optional.empty();
        try {
            URI uri = new URI(text.get().replaceAll("/+$", ""));
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new InvalidCredentials(field, "must be an http(s) URL");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw new InvalidCredentials(field, "is not a valid URL");
        }
    }

    /** Pairs of name and value; empty Optionals are left out, present ones unwrapped, URIs as text. */
    static Map<String, Object> maskedMap(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Object value = pairs[i + 1];
            if (value instanceof Optional<?> o) {
                if (o.isEmpty()) continue;
                value = o.get();
            }
            out.put((String) pairs[i], value instanceof URI u ? u.toString() : value);
        }
        return out;
    }
}
