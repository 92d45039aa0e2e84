package io.catchment.embed.credentials;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.embed.EmbeddingGenerator.Provider;
import io.catchment.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Server-wide provider credentials from the environment, the same variable names the providers'
 * own SDKs read:
 * <pre>
 * OPENAI_API_KEY [OPENAI_ORGANIZATION] [OPENAI_BASE_URL]
 * AZURE_OPENAI_ENDPOINT AZURE_OPENAI_API_KEY [AZURE_OPENAI_API_VERSION]
 *     [AZURE_OPENAI_DEPLOYMENTS=OPENAI_ADA_SMALL_512=my-small,AZURE_OPENAI=my-ada]
 * COHERE_API_KEY [COHERE_BASE_URL]
 * UPSTAGE_API_KEY [UPSTAGE_BASE_URL]
 * JINA_API_KEY [JINA_BASE_URL]
 * GOOGLE_APPLICATION_CREDENTIALS=key-file.json [GOOGLE_CLOUD_PROJECT] [GOOGLE_CLOUD_LOCATION] [VERTEX_BASE_URL]
 * </pre>
 * A provider is configured when its first variable is set; a half-configured one fails the start
 * with a message naming the variable.
 */
public final class ServerCredentials {
    private ServerCredentials() {}

    public static Map<Provider, ModelCredentials> fromEnvironment(Map<String, String> env) {
        Map<Provider, ModelCredentials> out = new EnumMap<>(Provider.class);
        value(env, "OPENAI_API_KEY").ifPresent(key -> {
            ObjectNode n = Json.object().put("api_key", key);
            value(env, "OPENAI_ORGANIZATION").ifPresent(v -> n.put("organization", v));
            value(env, "OPENAI_BASE_URL").ifPresent(v -> n.put("base_url", v));
            out.put(Provider.OPENAI, read(Provider.OPENAI, n, "OPENAI_"));
        });
        value(env, "AZURE_OPENAI_ENDPOINT").ifPresent(endpoint -> {
            ObjectNode n = Json.object().put("endpoint", endpoint);
            n.put("api_key", value(env, "AZURE_OPENAI_API_KEY").orElseThrow(() ->
                    new IllegalArgumentException("AZURE_OPENAI_ENDPOINT is set but AZURE_OPENAI_API_KEY is not")));
            value(env, "AZURE_OPENAI_API_VERSION").ifPresent(v -> n.put("api_version", v));
            value(env, "AZURE_OPENAI_DEPLOYMENTS").ifPresent(v -> {
                ObjectNode d = n.putObject("deployments");
                for (String pair : v.split(",")) {
                    String[] kv = pair.split("=", 2);
                    if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                        throw new IllegalArgumentException("AZURE_OPENAI_DEPLOYMENTS must be MODEL=deployment pairs "
                                + "separated by commas");
                    }
                    d.put(kv[0].strip(), kv[1].strip());
                }
            });
            out.put(Provider.AZURE_OPENAI, read(Provider.AZURE_OPENAI, n, "AZURE_OPENAI_"));
        });
        simple(env, out, Provider.COHERE, "COHERE_API_KEY", "COHERE_BASE_URL");
        simple(env, out, Provider.UPSTAGE, "UPSTAGE_API_KEY", "UPSTAGE_BASE_URL");
        simple(env, out, Provider.JINA, "JINA_API_KEY", "JINA_BASE_URL");
        value(env, "GOOGLE_APPLICATION_CREDENTIALS").ifPresent(file -> {
            String keyFile;
            try {
                keyFile = Files.readString(Path.of(file));
            } catch (IOException e) {
                throw new IllegalArgumentException("GOOGLE_APPLICATION_CREDENTIALS names " + file
                        + ", which cannot be read: " + e.getMessage());
            }
            ObjectNode n = Json.object().put("service_account", keyFile);
            value(env, "GOOGLE_CLOUD_PROJECT").ifPresent(v -> n.put("project_id", v));
            value(env, "GOOGLE_CLOUD_LOCATION").ifPresent(v -> n.put("location", v));
            value(env, "VERTEX_BASE_URL").ifPresent(v -> n.put("base_url", v));
            out.put(Provider.VERTEX_AI, read(Provider.VERTEX_AI, n, "GOOGLE_CLOUD_ / GOOGLE_APPLICATION_CREDENTIALS"));
        });
        return out;
    }

    private static void simple(Map<String, String> env, Map<Provider, ModelCredentials> out, Provider provider,
                               String keyVar, String baseVar) {
        value(env, keyVar).ifPresent(key -> {
            ObjectNode n = Json.object().put("api_key", key);
            value(env, baseVar).ifPresent(v -> n.put("base_url", v));
            out.put(provider, read(provider, n, provider.name() + "_"));
        });
    }

    private static ModelCredentials read(Provider provider, ObjectNode node, String variables) {
        try {
            return CredentialsJson.read(provider, node);
        } catch (InvalidCredentials e) {
            throw new IllegalArgumentException(provider + " credentials from the environment (" + variables
                    + "…): " + e.field() + " " + e.getMessage());
        }
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }
}
