package io.catchment.embed.credentials;

import io.catchment.embed.EmbeddingGenerator.Provider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What it takes to call one provider. {@code toString()} never shows a secret; {@link #masked()}
 * is the form the API returns.
 */
public sealed interface ModelCredentials {
    Provider provider();

    /** The secret values, so that error messages can blank them out. */
    List<String> secrets();

    /** Fields as the API shows them, secrets reduced to their last four characters. */
    Map<String, Object> masked();

    /** Short, stable, not reversible: tells two keys of one provider apart (concurrency limits, caches). */
    default String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", secrets()).getBytes(StandardCharsets.UTF_8));
            return provider().name() + ":" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "sk-…wxyz": enough to recognise a key, not enough to use it. */
    static String mask(String secret) {
        if (secret.length() <= 8) return "****";
        return secret.substring(0, Math.min(3, secret.length() - 8)) + "…" + secret.substring(secret.length() - 4);
    }

    /** OpenAI: {@code Authorization: Bearer}, optional {@code OpenAI-Organization}. */
    record OpenAi(String apiKey, Optional<String> organization, URI baseUrl) implements ModelCredentials {
        public static final URI DEFAULT_BASE_URL = URI.create("https://api.openai.com/v1");

        public Provider provider() { return Provider.OPENAI; }

        public List<String> secrets() { return List.of(apiKey); }

        public Map<String, Object> masked() {
            return CredentialsJson.maskedMap("api_key", mask(apiKey), "organization", organization, "base_url", baseUrl);
        }

        @Override
        public String toString() { return "OpenAi[" + mask(apiKey) + ", " + baseUrl + "]"; }
    }

    /**
     * Azure OpenAI: {@code api-key} header, one deployment per model. {@code deployments} maps an
     * {@code embedding_model} value or an upstream model id (text-embedding-3-small) to a
     * deployment name; a model not in it is looked for under its upstream model id.
     */
    record AzureOpenAi(URI endpoint, String apiKey, String apiVersion, Map<String, String> deployments)
            implements ModelCredentials {
        public static final String DEFAULT_API_VERSION = "2024-10-21";

        public AzureOpenAi {
            deployments = Map.copyOf(deployments);
        }

        public Provider provider() { return Provider.AZURE_OPENAI; }

        public List<String> secrets() { return List.of(apiKey); }

        public Map<String, Object> masked() {
            return CredentialsJson.maskedMap("endpoint", endpoint, "api_key", mask(apiKey), "api_version", apiVersion,
                    "deployments", deployments);
        }

        /** The deployment serving {@code wireName} (whose upstream model is {@code upstreamModel}). */
        public String deploymentFor(String wireName, String upstreamModel) {
            return deployments.getOrDefault(wireName, deployments.getOrDefault(upstreamModel, upstreamModel));
        }

        @Override
        public String toString() { return "AzureOpenAi[" + endpoint + ", " + mask(apiKey) + "]"; }
    }

    /** Cohere: {@code Authorization: Bearer}. */
    record Cohere(String apiKey, URI baseUrl) implements ModelCredentials {
        public static final URI DEFAULT_BASE_URL = URI.create("https://api.cohere.com");

        public Provider provider() { return Provider.COHERE; }

        public List<String> secrets() { return List.of(apiKey); }

        public Map<String, Object> masked() {
            return CredentialsJson.maskedMap("api_key", mask(apiKey), "base_url", baseUrl);
        }

        @Override
        public String toString() { return "Cohere[" + mask(apiKey) + ", " + baseUrl + "]"; }
    }

    /** Upstage: {@code Authorization: Bearer}, OpenAI-style embeddings endpoint. */
    record Upstage(String apiKey, URI baseUrl) implements ModelCredentials {
        public static final URI DEFAULT_BASE_URL = URI.create("https://api.upstage.ai/v1");

        public Provider provider() { return Provider.UPSTAGE; }

        public List<String> secrets() { return List.of(apiKey); }

        public Map<String, Object> masked() {
            return CredentialsJson.maskedMap("api_key", mask(apiKey), "base_url", baseUrl);
        }

        @Override
        public String toString() { return "Upstage[" + mask(apiKey) + ", " + baseUrl + "]"; }
    }

    /** Jina AI (reranker): {@code Authorization: Bearer}. */
    record Jina(String apiKey, URI baseUrl) implements ModelCredentials {
        public static final URI DEFAULT_BASE_URL = URI.create("https://api.jina.ai/v1");

        public Provider provider() { return Provider.JINA; }

        public List<String> secrets() { return List.of(apiKey); }

        public Map<String, Object> masked() {
            return CredentialsJson.maskedMap("api_key", mask(apiKey), "base_url", baseUrl);
        }

        @Override
        public String toString() { return "Jina[" + mask(apiKey) + ", " + baseUrl + "]"; }
    }

    /**
     * Vertex AI with a Google service account: a signed JWT is exchanged at {@code tokenUri} for an
     * access token. {@code baseUrl} empty means {@code https://{location}-aiplatform.googleapis.com/v1}.
     */
    record VertexAi(ServiceAccount account, String projectId, String location, Optional<URI> baseUrl)
            implements ModelCredentials {
        public static final String DEFAULT_LOCATION = "us-central1";

        public Provider provider() { return Provider.VERTEX_AI; }

        public List<String> secrets() { return List.of(account.privateKeyPem()); }

        public Map<String, Object> masked() {
            return CredentialsJson.maskedMap("client_email", account.clientEmail(), "private_key_id",
                    account.privateKeyId().map(ModelCredentials::mask), "project_id", projectId, "location", location,
                    "base_url", baseUrl);
        }

        public URI effectiveBaseUrl() {
            return baseUrl.orElseGet(() -> URI.create("https://" + location + "-aiplatform.googleapis.com/v1"));
        }

        @Override
        public String toString() { return "VertexAi[" + account.clientEmail() + ", " + projectId + "/" + location + "]"; }
    }

    /** The fields of a Google service-account key file that signing needs. */
    record ServiceAccount(String clientEmail, String privateKeyPem, Optional<String> privateKeyId, URI tokenUri) {
        public static final URI DEFAULT_TOKEN_URI = URI.create("https://oauth2.googleapis.com/token");

        @Override
        public String toString() { return "ServiceAccount[" + clientEmail + "]"; }
    }
}
