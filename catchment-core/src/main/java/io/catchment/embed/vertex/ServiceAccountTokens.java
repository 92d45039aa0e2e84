package io.catchment.embed.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.embed.EmbeddingException;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.remote.ApiRequest;
import io.catchment.embed.remote.JsonApiClient;
import io.catchment.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * OAuth access tokens for a Google service account (the JWT bearer grant, RFC 7523): an RS256 JWT
 * signed with the key file's private key is exchanged at its {@code token_uri} for a bearer token.
 *
 * <p>A token is reused until shortly before it expires, by {@link Clock}. Only one token request
 * runs at a time: callers arriving while one is under way wait for its result (success or
 * failure) instead of asking again. Thread-safe; one instance per service account.
 */
public final class ServiceAccountTokens {
    /** Vertex AI accepts the broad Cloud Platform scope; there is no narrower one for prediction. */
    public static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

    /** Google refuses assertions that live longer than an hour. */
    static final Duration ASSERTION_LIFETIME = Duration.ofHours(1);

    /** Refresh this long before expiry, so a token does not run out during a slow request. */
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);

    private static final String PROVIDER = "Google OAuth";
    private static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final ModelCredentials.ServiceAccount account;
    private final String limitKey;
    private final JsonApiClient client;
    private final Clock clock;
    private final AtomicReference<Token> current = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Token>> inFlight = new AtomicReference<>();
    private volatile PrivateKey key;

    /**
     * @param limitKey the concurrency-limit key for token requests (they do not count against the
     *     prediction requests' limit)
     */
    public ServiceAccountTokens(ModelCredentials.ServiceAccount account, String limitKey, JsonApiClient client,
                                Clock clock) {
        this.account = Objects.requireNonNull(account, "account");
        this.limitKey = Objects.requireNonNull(limitKey, "limitKey");
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private record Token(String value, Instant expiresAt, Duration lifetime) {
        /** Usable until the margin before expiry; short-lived tokens keep at least half their life. */
        boolean freshAt(Instant now) {
            Duration margin = REFRESH_MARGIN.compareTo(lifetime.dividedBy(2)) < 0 ? REFRESH_MARGIN : lifetime.dividedBy(2);
            return now.isBefore(expiresAt.minus(margin));
        }
    }

    /** A bearer token to use now: the cached one while it is fresh, else a new one. */
    public String accessToken() throws EmbeddingException {
        Token cached = current.get();
        if (cached != null && cached.freshAt(clock.instant())) return cached.value();
        CompletableFuture<Token> mine = new CompletableFuture<>();
        CompletableFuture<Token> running = inFlight.compareAndExchange(null, mine);
        if (running != null) return await(running).value();
        try {
            // Another caller may have finished a request between our look at the cache and now.
            Token latest = current.get();
            Token token = latest != null && latest.freshAt(clock.instant()) ? latest : request();
            current.set(token);
            mine.complete(token);
        } catch (EmbeddingException | RuntimeException e) {
            mine.completeExceptionally(e);
        } finally {
            inFlight.set(null);
        }
        return await(mine).value();
    }

    /**
     * Forgets {@code token} because the API refused it (revoked, or expired early), so the next
     * {@link #accessToken()} asks for a new one; a newer token that replaced it already is kept.
     */
    public void invalidate(String token) {
        current.getAndUpdate(t -> t != null && t.value().equals(token) ? null : t);
    }

    private static Token await(CompletableFuture<Token> future) throws EmbeddingException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingException("interrupted while waiting for a Google access token", true, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EmbeddingException cause) {
                // A new exception per waiting caller, each with its own stack; message and verdict are shared.
                throw new EmbeddingException(cause.getMessage(), cause.retryable(), cause);
            }
            throw new IllegalStateException("Google access token request failed", e.getCause());
        }
    }

    private Token request() throws EmbeddingException {
        Instant now = clock.instant();
        String assertion = assertion(now);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", GRANT_TYPE);
        form.put("assertion", assertion);
        ApiRequest request = new ApiRequest(PROVIDER, account.tokenUri(), Map.of(), new ApiRequest.Body.Form(form),
                limitKey, List.of(account.privateKeyPem(), assertion));
        JsonNode answer;
        try {
            answer = client.post(request);
        } catch (EmbeddingException e) {
            throw new EmbeddingException("Vertex AI: no access token for service account " + account.clientEmail()
                    + ": " + e.getMessage(), e.retryable(), e);
        }
        JsonNode value = answer.path("access_token");
        JsonNode expiresIn = answer.path("expires_in");
        String type = answer.path("token_type").asText("Bearer");
        if (!value.isTextual() || value.asText().isBlank() || !expiresIn.canConvertToLong()
                || expiresIn.asLong() <= 0 || !type.equalsIgnoreCase("Bearer")) {
            throw new EmbeddingException("Vertex AI: the token endpoint " + account.tokenUri()
                    + " answered without a usable bearer token", true, null);
        }
        Duration lifetime = Duration.ofSeconds(expiresIn.asLong());
        // Counted from before the request was sent, so the token is never believed fresher than it is.
        return new Token(value.asText(), now.plus(lifetime), lifetime);
    }

    /** The signed JWT: header {alg, typ, kid?}, claims {iss, scope, aud, iat, exp}. */
    String assertion(Instant now) throws EmbeddingException {
        ObjectNode header = Json.object();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        account.privateKeyId().ifPresent(kid -> header.put("kid", kid));
        ObjectNode claims = Json.object();
        claims.put("iss", account.clientEmail());
        claims.put("scope", SCOPE);
        claims.put("aud", account.tokenUri().toString());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(ASSERTION_LIFETIME).getEpochSecond());
        String signingInput = base64Url(Json.write(header).getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new EmbeddingException("Vertex AI: could not sign with the private key of service account "
                    + account.clientEmail(), false, null);
        }
    }

    private PrivateKey privateKey() throws EmbeddingException {
        PrivateKey parsed = key;
        if (parsed == null) {
            parsed = parse(account.privateKeyPem(), account.clientEmail());
            key = parsed;
        }
        return parsed;
    }

    /** A PEM PKCS#8 RSA key, as in Google key files. Failures never quote the key. */
    static PrivateKey parse(String pem, String clientEmail) throws EmbeddingException {
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                // Key files pasted through one JSON encoding too many keep their newlines as "\n".
                .replace("\\n", "").replaceAll("\\s+", "");
        try {
            byte[] der = Base64.getDecoder().decode(body);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new EmbeddingException("Vertex AI: the private_key of service account " + clientEmail
                    + " is not a PEM PKCS#8 RSA key", false, null);
        }
    }

    private static String base64Url(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }
}
