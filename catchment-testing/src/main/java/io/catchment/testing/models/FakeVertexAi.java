package io.catchment.testing.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google's OAuth token endpoint and Vertex AI's multimodalembedding@001 {@code :predict}, for one
 * project and location, validating requests as Google does and answering in its formats.
 *
 * <p><b>{@code POST /token}</b> takes the JWT bearer grant of a service account whose key file came
 * from {@link #serviceAccountJson}: the form's {@code grant_type}, the RS256 signature (by the
 * account's key, named by {@code kid}), {@code iss}, {@code aud} (this fake's {@link #tokenUrl()}),
 * {@code scope}, and {@code iat}/{@code exp} (at most an hour apart, around the fake's clock). It
 * answers {@code {"access_token", "expires_in", "token_type": "Bearer"}}, or 400
 * {@code {"error", "error_description"}} as Google does ({@code invalid_grant} and friends).
 *
 * <p><b>{@code POST /projects/{p}/locations/{l}/publishers/google/models/multimodalembedding@001:predict}</b>
 * (directly under {@link #baseUrl()}, which stands for {@code https://{l}-aiplatform.googleapis.com/v1})
 * needs {@code Authorization: Bearer} with a token it issued, unexpired and not revoked (else 401
 * {@code UNAUTHENTICATED}). It takes exactly one instance with {@code text} (under 1024
 * characters) and/or {@code image.bytesBase64Encoded} (PNG, JPEG, GIF or BMP by their magic bytes,
 * at most 20 MB), and {@code parameters.dimension} in {128, 256, 512, 1408}; else 400
 * {@code INVALID_ARGUMENT}. Vectors are {@link #expectedTextVector} and {@link #expectedImageVector}.
 * Messages follow Google's where they are known, and are modelled on them otherwise.
 */
public final class FakeVertexAi extends FakeHttpApi {
    public static final String MODEL = "multimodalembedding@001";
    public static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    public static final Set<Integer> DIMENSIONS = Set.of(128, 256, 512, 1408);
    public static final int MAX_TEXT_CHARS = 1023;
    public static final int MAX_IMAGE_BYTES = 20_000_000;

    private static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final String BAD_TIMES = "Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
            + "reasonable timeframe. Check your iat and exp values in the JWT claim.";

    private final String projectId;
    private final String location;
    private final KeyPair keys;
    private final String keyId;
    /** Issued tokens and when each expires. */
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile int tokenLifetimeSeconds = 3599;
    private volatile Clock clock = Clock.systemUTC();
    private volatile String lastIssuedToken = "";

    public FakeVertexAi(String projectId, String location) {
        this.projectId = Objects.requireNonNull(projectId, "projectId");
        this.location = Objects.requireNonNull(location, "location");
        this.keys = rsaKeyPair();
        this.keyId = HexFormat.of().formatHex(keys.getPublic().getEncoded(), 0, 20);
        post("/token", this::token);
        post(predictPath(), this::predict);
    }

    /** The path of {@code :predict} for this fake's project and location. */
    public String predictPath() {
        return "/projects/" + projectId + "/locations/" + location + "/publishers/google/models/" + MODEL + ":predict";
    }

    /** Where the key files send token requests. */
    public URI tokenUrl() {
        return URI.create(baseUrl() + "/token");
    }

    /** The email of the service account in {@link #serviceAccountJson}. */
    public String clientEmail() {
        return "catchment-test@" + projectId + ".iam.gserviceaccount.com";
    }

    /** The service account's public key, for checking signatures independently of this fake. */
    public RSAPublicKey publicKey() {
        return (RSAPublicKey) keys.getPublic();
    }

    public String privateKeyId() {
        return keyId;
    }

    /** A key file this fake accepts: type, project_id, private_key_id, private_key (PEM PKCS#8), client_email, token_uri. */
    public String serviceAccountJson(String keyProjectId) {
        return keyFile(keyProjectId, keyId, keys.getPrivate());
    }

    /** A key file for the same account but with a key Google does not know (deleted, or never uploaded). */
    public String untrustedServiceAccountJson(String keyProjectId) {
        return keyFile(keyProjectId, keyId, rsaKeyPair().getPrivate());
    }

    /** Lifetime of the tokens issued from now on ({@code expires_in}); Google's is 3599 s. */
    public void tokenLifetimeSeconds(int seconds) {
        tokenLifetimeSeconds = seconds;
    }

    /** The clock that assertion times and token expiry are judged by (tests pass their own). */
    public void clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Requests received at the token endpoint, answered or not. */
    public int tokenRequests() {
        return (int) count(r -> r.path().equals("/token"));
    }

    /** Requests received at {@code :predict}. */
    public List<RecordedRequest> predictRequests() {
        return requests().stream().filter(r -> r.path().equals(predictPath())).toList();
    }

    /** The access token most recently issued ("" before the first). */
    public String lastIssuedToken() {
        return lastIssuedToken;
    }

    /** Every token issued so far stops working, as when a key is disabled. */
    public void revokeTokens() {
        tokens.clear();
    }

    /** The text vector this fake answers. */
    public static float[] expectedTextVector(String text, int dimension) {
        return FakeVectors.of(text, dimension);
    }

    /** The image vector this fake answers: dense, unit length, seeded by the SHA-256 of the bytes. */
    public static float[] expectedImageVector(byte[] image, int dimension) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(image);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        long seed = 0;
        for (int i = 0; i < 8; i++) seed = seed << 8 | (digest[i] & 0xff);
        // java.util.Random's sequence is fixed by its specification, so vectors are stable across JVMs.
        Random values = new Random(seed);
        double[] v = new double[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            v[i] = values.nextGaussian();
            norm += v[i] * v[i];
        }
        float[] out = new float[dimension];
        for (int i = 0; i < dimension; i++) out[i] = (float) (v[i] / Math.sqrt(norm));
        return out;
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        // The token endpoint authenticates by the assertion in its body.
        if (request.path().equals("/token")) return true;
        return request.header("authorization").filter(h -> h.startsWith("Bearer ")).map(h -> h.substring(7))
                .map(tokens::get).filter(expires -> clock.instant().isBefore(expires)).isPresent();
    }

    @Override
    protected Reply unauthorized() {
        return googleError(401, "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                + "login cookie or other valid authentication credential. See "
                + "https://developers.google.com/identity/sign-in/web/devconsole-project.", "UNAUTHENTICATED")
                .withHeader("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
    }

    /** Google APIs' error body: {@code {"error": {"code", "message", "status"}}}. */
    public static Reply googleError(int code, String message, String status) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.put("status", status);
        return Reply.json(code, body);
    }

    /** The OAuth endpoint's error body: {@code {"error", "error_description"}}. */
    public static Reply oauthError(String error, String description) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", error);
        body.put("error_description", description);
        return Reply.json(400, body);
    }

    private Reply token(RecordedRequest request) throws Exception {
        if (!request.header("content-type").orElse("").startsWith("application/x-www-form-urlencoded")) {
            return oauthError("invalid_request", "Invalid Content-Type header: expected application/x-www-form-urlencoded");
        }
        Map<String, String> form = request.form();
        String grantType = form.getOrDefault("grant_type", "");
        if (!grantType.equals(GRANT_TYPE)) return oauthError("unsupported_grant_type", "Invalid grant_type: " + grantType);
        String[] parts = form.getOrDefault("assertion", "").split("\\.", -1);
        if (parts.length != 3) return oauthError("invalid_request", "Invalid JWT format");
        JsonNode header;
        JsonNode claims;
        try {
            header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (Exception e) {
            return oauthError("invalid_request", "Invalid JWT format");
        }
        if (header == null || claims == null || !header.path("alg").asText().equals("RS256")) {
            return oauthError("invalid_request", "Invalid JWT: unsupported or missing alg");
        }
        if (header.has("kid") && !header.path("kid").asText().equals(keyId)) {
            return oauthError("invalid_grant", "Invalid JWT Signature.");
        }
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(keys.getPublic());
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        boolean valid;
        try {
            valid = verifier.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (IllegalArgumentException | java.security.SignatureException e) {
            valid = false;
        }
        if (!valid) return oauthError("invalid_grant", "Invalid JWT Signature.");
        if (!claims.path("iss").asText().equals(clientEmail())) {
            return oauthError("invalid_grant", "Invalid grant: account not found");
        }
        if (!claims.path("aud").asText().equals(tokenUrl().toString())) {
            return oauthError("invalid_grant", "Invalid JWT: Failed audience check. The right audience is " + tokenUrl());
        }
        String scope = claims.path("scope").asText("");
        if (scope.isBlank()) return oauthError("invalid_scope", "Empty or missing scope not allowed.");
        if (!List.of(scope.split(" ")).contains(SCOPE)) return oauthError("invalid_scope", "Invalid OAuth scope or ID token audience provided.");
        long now = clock.instant().getEpochSecond();
        JsonNode iat = claims.path("iat");
        JsonNode exp = claims.path("exp");
        if (!iat.canConvertToLong() || !exp.canConvertToLong() || exp.asLong() <= iat.asLong()
                || exp.asLong() - iat.asLong() > 3600 || iat.asLong() > now + 300 || exp.asLong() <= now) {
            return oauthError("invalid_grant", BAD_TIMES);
        }
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = "ya29.fake-" + HexFormat.of().formatHex(bytes);
        int lifetime = tokenLifetimeSeconds;
        tokens.put(token, clock.instant().plusSeconds(lifetime));
        lastIssuedToken = token;
        ObjectNode body = JSON.createObjectNode();
        body.put("access_token", token);
        body.put("expires_in", lifetime);
        body.put("token_type", "Bearer");
        return Reply.json(200, body);
    }

    private Reply predict(RecordedRequest request) {
        JsonNode json = request.json();
        if (!json.isObject()) {
            return googleError(400, "Invalid JSON payload received. Unexpected token.", "INVALID_ARGUMENT");
        }
        JsonNode instances = json.path("instances");
        if (!instances.isArray() || instances.isEmpty()) {
            return googleError(400, "instances must be a non-empty list", "INVALID_ARGUMENT");
        }
        if (instances.size() > 1) {
            return googleError(400, "1 instance(s) is allowed per prediction. Actual: " + instances.size(),
                    "INVALID_ARGUMENT");
        }
        int dimension = 1408;
        JsonNode given = json.path("parameters").path("dimension");
        if (!given.isMissingNode()) {
            if (!given.canConvertToInt() || !DIMENSIONS.contains(given.asInt())) {
                return googleError(400, "Invalid dimension: " + given + ". Supported values: 128, 256, 512, 1408.",
                        "INVALID_ARGUMENT");
            }
            dimension = given.asInt();
        }
        JsonNode instance = instances.get(0);
        JsonNode text = instance.path("text");
        JsonNode image = instance.path("image");
        if (instance.has("video")) {
            return googleError(400, "Multimodal embedding failed with the following error: this fake serves no video.",
                    "INVALID_ARGUMENT");
        }
        if (!text.isTextual() && !image.isObject()) {
            return googleError(400, "Multimodal embedding failed with the following error: At least one of text, "
                    + "image or video must be provided.", "INVALID_ARGUMENT");
        }
        ObjectNode prediction = JSON.createObjectNode();
        if (text.isTextual()) {
            if (text.asText().length() > MAX_TEXT_CHARS
                    || text.asText().getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_CHARS) {
                return googleError(400, "Multimodal embedding failed with the following error: Text field must be "
                        + "smaller than 1024 characters.", "INVALID_ARGUMENT");
            }
            put(prediction.putArray("textEmbedding"), expectedTextVector(text.asText(), dimension));
        }
        if (image.isObject()) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(image.path("bytesBase64Encoded").asText(""));
            } catch (IllegalArgumentException e) {
                return googleError(400, "Invalid value at 'instances[0].image.bytes_base64_encoded' (TYPE_BYTES), "
                        + "Base64 decoding failed", "INVALID_ARGUMENT");
            }
            if (bytes.length == 0 || bytes.length > MAX_IMAGE_BYTES || !knownImageFormat(bytes)) {
                return googleError(400, "Multimodal embedding failed with the following error: the image is empty, "
                        + "larger than 20 MB or not BMP, GIF, JPG or PNG.", "INVALID_ARGUMENT");
            }
            put(prediction.putArray("imageEmbedding"), expectedImageVector(bytes, dimension));
        }
        ObjectNode body = JSON.createObjectNode();
        body.putArray("predictions").add(prediction);
        body.put("deployedModelId", "fake-multimodal-embedding");
        return Reply.json(200, body);
    }

    private static boolean knownImageFormat(byte[] b) {
        return startsWith(b, 0x89, 'P', 'N', 'G') || startsWith(b, 0xFF, 0xD8, 0xFF) || startsWith(b, 'G', 'I', 'F', '8')
                || startsWith(b, 'B', 'M');
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if ((bytes[i] & 0xff) != prefix[i]) return false;
        return true;
    }

    private static void put(ArrayNode array, float[] vector) {
        for (float x : vector) array.add(x);
    }

    private String keyFile(String keyProjectId, String kid, PrivateKey key) {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        ObjectNode file = JSON.createObjectNode();
        file.put("type", "service_account");
        file.put("project_id", keyProjectId);
        file.put("private_key_id", kid);
        file.put("private_key", pem);
        file.put("client_email", clientEmail());
        file.put("client_id", "100000000000000000001");
        file.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        file.put("token_uri", tokenUrl().toString());
        try {
            return JSON.writeValueAsString(file);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
