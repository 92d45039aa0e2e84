package io.catchment.embed.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.embed.EmbeddingException;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.EmbeddingGenerator.Provider;
import io.catchment.embed.EmbeddingVectors;
import io.catchment.embed.EmbeddingModel.InputType;
import io.catchment.embed.ImageInput;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.remote.ApiRequest;
import io.catchment.embed.remote.BatchLimits;
import io.catchment.embed.remote.JsonApiClient;
import io.catchment.embed.remote.RemoteEmbeddingModel;
import io.catchment.embed.remote.Vectors;
import io.catchment.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Vertex AI's multimodalembedding@001 through {@code :predict}: one text or one image per request,
 * text and image vectors in one space. Authenticates with a service account
 * ({@link ServiceAccountTokens}); a 401 drops the token and the request is sent once more with a
 * new one.
 */
public final class VertexMultimodalEmbeddings {
    static final String PROVIDER = "Vertex AI";

    /**
     * One instance per request. The model reads 32 of its own tokens and silently drops the rest;
     * its tokenizer is not cl100k, so windows are 28 cl100k tokens, leaving room for a tokenizer
     * that splits a little finer.
     */
    public static final BatchLimits LIMITS = new BatchLimits(1, 28, 28);

    /** The API refuses a {@code text} of 1024 characters or more (bytes, reportedly, for non-ASCII). */
    static final int MAX_TEXT_BYTES = 1000;

    /** Base64 images may be up to 20 MB; the model scales them to 512 x 512 anyway. */
    static final int MAX_IMAGE_BYTES = 20_000_000;

    /** BMP, GIF, JPG and PNG are the formats the model takes (image/jpg and image/x-ms-bmp are aliases seen in the wild). */
    static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/jpg", "image/gif", "image/bmp",
            "image/x-ms-bmp");

    private final ModelCredentials.VertexAi credentials;
    private final JsonApiClient client;
    private final ServiceAccountTokens tokens;
    private final URI predictUri;
    private final int dimension;

    private VertexMultimodalEmbeddings(EmbeddingGenerator generator, ModelCredentials.VertexAi credentials,
                                       JsonApiClient client, Clock clock) {
        this.credentials = credentials;
        this.client = client;
        this.tokens = new ServiceAccountTokens(credentials.account(), credentials.fingerprint() + ":token", client,
                clock);
        this.dimension = generator.dimensions();
        String base = credentials.effectiveBaseUrl().toString().replaceAll("/+$", "");
        this.predictUri = URI.create(base + "/projects/" + credentials.projectId() + "/locations/"
                + credentials.location() + "/publishers/google/models/" + generator.upstreamModel() + ":predict");
    }

    /** {@code generator} must be Vertex AI's ({@code VERTEX_MULTIMODAL}); the model embeds text and images. */
    public static RemoteEmbeddingModel model(EmbeddingGenerator generator, ModelCredentials.VertexAi credentials,
                                             JsonApiClient client, Clock clock) {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(clock, "clock");
        if (generator.provider() != Provider.VERTEX_AI) {
            throw new IllegalArgumentException(generator.wireName() + " is not a Vertex AI model");
        }
        VertexMultimodalEmbeddings api = new VertexMultimodalEmbeddings(generator, credentials, client, clock);
        return new RemoteEmbeddingModel(generator, PROVIDER, LIMITS, api::embedTexts, Optional.of(api::embedImage));
    }

    /** The model is symmetric: queries and documents are sent the same way. */
    private List<float[]> embedTexts(List<String> texts, InputType type) throws EmbeddingException {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            List<float[]> parts = new ArrayList<>();
            for (String piece : pieces(text)) {
                ObjectNode instance = Json.object();
                instance.put("text", piece);
                parts.add(EmbeddingVectors.unit(predict(instance, "textEmbedding")));
            }
            out.add(EmbeddingVectors.pool(parts));
        }
        return out;
    }

    private float[] embedImage(ImageInput image) throws EmbeddingException {
        String type = image.mimeType().split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!IMAGE_TYPES.contains(type)) {
            throw new EmbeddingException(PROVIDER + " embeds PNG, JPEG, GIF and BMP images, not " + type, false, null);
        }
        if (image.bytes().length == 0) throw new EmbeddingException("the image is empty", false, null);
        if (image.bytes().length > MAX_IMAGE_BYTES) {
            throw new EmbeddingException(PROVIDER + " embeds images of at most 20 MB; this one has "
                    + image.bytes().length + " bytes", false, null);
        }
        ObjectNode instance = Json.object();
        instance.putObject("image").put("bytesBase64Encoded", Base64.getEncoder().encodeToString(image.bytes()));
        return predict(instance, "imageEmbedding");
    }

    /**
     * A window is at most 28 tokens, which is far below the API's character limit, except for
     * tokens that are long runs of whitespace or repeated symbols: whitespace is squeezed (it
     * carries no meaning), and whatever is still too long is cut into pieces embedded one by one.
     */
    static List<String> pieces(String text) {
        if (utf8Length(text) <= MAX_TEXT_BYTES) return List.of(text);
        String squeezed = text.replaceAll("\\s+", " ").strip();
        List<String> out = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < squeezed.length(); ) {
            int codePoint = squeezed.codePointAt(i);
            int size = utf8Length(Character.toString(codePoint));
            if (bytes + size > MAX_TEXT_BYTES) {
                out.add(piece.toString());
                piece.setLength(0);
                bytes = 0;
            }
            piece.appendCodePoint(codePoint);
            bytes += size;
            i += Character.charCount(codePoint);
        }
        if (!piece.isEmpty()) out.add(piece.toString());
        out.removeIf(String::isBlank);
        return out.isEmpty() ? List.of(squeezed) : out;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private float[] predict(ObjectNode instance, String field) throws EmbeddingException {
        ObjectNode body = Json.object();
        body.putArray("instances").add(instance);
        body.putObject("parameters").put("dimension", dimension);
        String token = tokens.accessToken();
        JsonNode answer;
        try {
            answer = client.post(request(token, body));
        } catch (EmbeddingException e) {
            if (!unauthenticated(e)) throw e;
            // Revoked or expired early: one more try with a new token; a second 401 stands.
            tokens.invalidate(token);
            answer = client.post(request(tokens.accessToken(), body));
        }
        JsonNode vector = answer.path("predictions").path(0).path(field);
        if (!vector.isArray() || vector.isEmpty()) {
            throw new EmbeddingException(PROVIDER + " answered without predictions[0]." + field, true, null);
        }
        if (vector.size() != dimension) {
            throw new EmbeddingException(PROVIDER + " returned a vector of " + vector.size() + " dimensions, not "
                    + dimension, false, null);
        }
        return Vectors.fromJson(vector);
    }

    private ApiRequest request(String token, ObjectNode body) {
        List<String> secrets = new ArrayList<>(credentials.secrets());
        secrets.add(token);
        return ApiRequest.json(PROVIDER, predictUri, Map.of("Authorization", "Bearer " + token), body,
                credentials.fingerprint(), secrets);
    }

    private static boolean unauthenticated(EmbeddingException e) {
        return e.httpStatus().orElse(0) == 401;
    }
}
