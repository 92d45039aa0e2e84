package io.catchment.testing.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Zotero's OAuth 1.0a key exchange ({@code https://www.zotero.org/oauth/...}) and its key API:
 * <ol>
 *   <li>{@code POST /oauth/request}: signed with the consumer secret, carrying {@code oauth_callback};
 *       answers {@code oauth_token, oauth_token_secret, oauth_callback_confirmed=true} as a form;
 *   <li>{@code GET /oauth/authorize?oauth_token=...}: the user approves at once; 302 to the
 *       callback with {@code oauth_token} and {@code oauth_verifier};
 *   <li>{@code POST /oauth/access}: signed with the consumer secret and the request token's
 *       secret, carrying {@code oauth_verifier}; answers the API key in both {@code oauth_token}
 *       and {@code oauth_token_secret}, with {@code userID} and {@code username};
 *   <li>{@code GET /keys/current} (the key in {@code Zotero-API-Key} or as a Bearer token) and
 *       {@code DELETE /keys/current} (revokes it).
 * </ol>
 * Every signed call is checked as a provider would: HMAC-SHA1 recomputed here from the request as
 * received (this class's own RFC 5849 code), the consumer key, a fresh timestamp, an unused nonce;
 * problems answer 401 with {@code oauth_problem=...}. Request tokens and verifiers work once.
 */
public final class FakeZoteroOAuth extends FakeHttpApi {
    private static final Pattern HEADER_PARAM = Pattern.compile("([A-Za-z0-9_%.~-]+)=\"([^\"]*)\"");
    private static final long MAX_CLOCK_SKEW_SECONDS = 600;

    private final String consumerKey;
    private final String consumerSecret;
    private final SecureRandom random = new SecureRandom();

    // Guarded by this.
    private final Map<String, Pending> pending = new HashMap<>();
    private final Set<String> nonces = new HashSet<>();
    private final Map<String, String> keys = new LinkedHashMap<>(); // key → userID
    private final List<String> revoked = new ArrayList<>();
    private String userId = "475425";
    private String username = "fakezotero";
    private Map<String, String> lastAuthorization = Map.of();
    private final AtomicInteger signatureFailures = new AtomicInteger();

    /** A request token on its way to becoming a key. */
    private record Pending(String secret, String callback, Optional<String> verifier) {}

    public FakeZoteroOAuth(String consumerKey, String consumerSecret) {
        this.consumerKey = consumerKey;
        this.consumerSecret = consumerSecret;
        post("/oauth/request", this::requestToken);
        get("/oauth/authorize", this::authorizePage);
        post("/oauth/access", this::accessToken);
        get("/keys/current", this::currentKey);
        route("DELETE", "/keys/current", this::deleteKey);
    }

    /** The Zotero user the keys belong to. */
    public synchronized FakeZoteroOAuth account(String userId, String username) {
        this.userId = userId;
        this.username = username;
        return this;
    }

    /**
     * {@code request_token_url}, {@code authorize_url}, {@code token_url} (the access-token
     * endpoint), {@code identity_url} ({@code /keys/current}), {@code api_base_url}. Deleting a key
     * ({@code DELETE /keys/current}) is served but not listed: the catalogue names no revoke URL for
     * Zotero; {@link #keyUrl()} gives it.
     */
    public Map<String, String> urls() {
        String base = baseUrl().toString();
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("request_token_url", base + "/oauth/request");
        urls.put("authorize_url", base + "/oauth/authorize");
        urls.put("token_url", base + "/oauth/access");
        urls.put("identity_url", base + "/keys/current");
        urls.put("api_base_url", base);
        return urls;
    }

    /** {@code /keys/current}: GET describes the key, DELETE revokes it. */
    public String keyUrl() {
        return baseUrl() + "/keys/current";
    }

    /** The user's browser at the authorize URL; returns the callback URL it was sent to. */
    public String authorize(String authorizeUrl) {
        return Browser.follow(authorizeUrl);
    }

    /** API keys issued so far (each still valid unless revoked). */
    public synchronized List<String> issuedKeys() {
        return List.copyOf(keys.keySet());
    }

    public synchronized List<String> revokedKeys() {
        return List.copyOf(revoked);
    }

    /** Signed calls refused for a wrong signature. */
    public int signatureFailures() {
        return signatureFailures.get();
    }

    /** The query parameters of the last authorize request (decoded). */
    public synchronized Map<String, String> lastAuthorization() {
        return lastAuthorization;
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return true; // signed calls are verified by their routes
    }

    @Override
    protected Reply unauthorized() {
        return problem("consumer_key_unknown");
    }

    private synchronized Reply requestToken(RecordedRequest request) {
        Map<String, String> oauth = new LinkedHashMap<>();
        Optional<Reply> refused = verify(request, "", oauth);
        if (refused.isPresent()) return refused.get();
        String callback = oauth.get("oauth_callback");
        if (callback == null || callback.isBlank()) return problem("parameter_absent");
        String token = hex(10);
        String secret = hex(10);
        pending.put(token, new Pending(secret, callback, Optional.empty()));
        return form(Map.of("oauth_token", token, "oauth_token_secret", secret, "oauth_callback_confirmed", "true"));
    }

    private synchronized Reply authorizePage(RecordedRequest request) {
        Map<String, String> q = Browser.decode(request.query().orElse(""));
        lastAuthorization = Map.copyOf(q);
        String token = q.get("oauth_token");
        Pending p = token == null ? null : pending.get(token);
        if (p == null || p.verifier().isPresent()) {
            return new Reply(400, Map.of("Content-Type", "text/html; charset=utf-8"),
                    "<html><body><p>Invalid or expired request token.</p></body></html>");
        }
        String verifier = hex(10);
        pending.put(token, new Pending(p.secret(), p.callback(), Optional.of(verifier)));
        Map<String, String> back = new LinkedHashMap<>();
        back.put("oauth_token", token);
        back.put("oauth_verifier", verifier);
        return new Reply(302, Map.of("Location", Browser.withQuery(p.callback(), back)), "");
    }

    private synchronized Reply accessToken(RecordedRequest request) {
        Map<String, String> oauth = header(request);
        String token = oauth.get("oauth_token");
        Pending p = token == null ? null : pending.get(token);
        if (p == null) return problem("token_rejected");
        Optional<Reply> refused = verify(request, p.secret(), new LinkedHashMap<>());
        if (refused.isPresent()) return refused.get();
        if (p.verifier().isEmpty() || !p.verifier().get().equals(oauth.get("oauth_verifier"))) {
            return problem("verifier_invalid");
        }
        pending.remove(token); // a request token is exchanged once
        String key = hex(12);
        keys.put(key, userId);
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("oauth_token", key);
        answer.put("oauth_token_secret", key);
        answer.put("userID", userId);
        answer.put("username", username);
        return form(answer);
    }

    private synchronized Reply currentKey(RecordedRequest request) {
        Optional<String> key = key(request);
        if (key.isEmpty()) return new Reply(403, Map.of("Content-Type", "text/plain"), "Invalid key");
        ObjectNode body = JSON.createObjectNode().put("key", key.get()).put("userID", Long.parseLong(keys.get(key.get())))
                .put("username", username);
        ObjectNode access = body.putObject("access");
        access.putObject("user").put("library", true).put("files", true).put("notes", true).put("write", false);
        access.putObject("groups").putObject("all").put("library", true).put("write", false);
        return Reply.json(200, body);
    }

    private synchronized Reply deleteKey(RecordedRequest request) {
        Optional<String> key = key(request);
        if (key.isEmpty()) return new Reply(403, Map.of("Content-Type", "text/plain"), "Invalid key");
        keys.remove(key.get());
        revoked.add(key.get());
        return new Reply(204, Map.of(), "");
    }

    private Optional<String> key(RecordedRequest request) {
        return request.header("zotero-api-key").or(() -> Browser.bearer(request.header("authorization")))
                .filter(keys::containsKey);
    }

    // ---------------------------------------------------------------- RFC 5849, independently

    /**
     * Checks a signed request: HMAC-SHA1, our consumer key, a timestamp within ten minutes, a nonce
     * not seen before, and the signature recomputed from the request as received. Fills
     * {@code oauth} with the header's protocol parameters.
     */
    private Optional<Reply> verify(RecordedRequest request, String tokenSecret, Map<String, String> oauth) {
        oauth.putAll(header(request));
        if (oauth.isEmpty()) return Optional.of(problem("parameter_absent"));
        if (!"HMAC-SHA1".equals(oauth.get("oauth_signature_method"))) return Optional.of(problem("signature_method_rejected"));
        if (!consumerKey.equals(oauth.get("oauth_consumer_key"))) return Optional.of(problem("consumer_key_unknown"));
        if (oauth.containsKey("oauth_version") && !"1.0".equals(oauth.get("oauth_version"))) {
            return Optional.of(problem("version_rejected"));
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(oauth.getOrDefault("oauth_timestamp", ""));
        } catch (NumberFormatException e) {
            return Optional.of(problem("parameter_rejected"));
        }
        if (Math.abs(Instant.now().getEpochSecond() - timestamp) > MAX_CLOCK_SKEW_SECONDS) {
            return Optional.of(problem("timestamp_refused"));
        }
        String nonce = oauth.get("oauth_nonce");
        if (nonce == null || nonce.isEmpty()) return Optional.of(problem("parameter_absent"));
        String signature = oauth.get("oauth_signature");
        if (signature == null || !signature.equals(expectedSignature(request, oauth, tokenSecret))) {
            signatureFailures.incrementAndGet();
            return Optional.of(problem("signature_invalid"));
        }
        if (!nonces.add(timestamp + ":" + nonce)) return Optional.of(problem("nonce_used"));
        return Optional.empty();
    }

    /** The signature a correct client computes for this request (RFC 5849 §3.4.1-3.4.2). */
    private String expectedSignature(RecordedRequest request, Map<String, String> oauth, String tokenSecret) {
        // Sorted by encoded name, then encoded value; TreeMap of name → sorted values does both.
        TreeMap<String, List<String>> params = new TreeMap<>();
        List<String[]> all = new ArrayList<>();
        request.query().ifPresent(q -> all.addAll(pairs(q)));
        if (request.header("content-type").orElse("").startsWith("application/x-www-form-urlencoded")) {
            all.addAll(pairs(request.bodyText()));
        }
        oauth.forEach((k, v) -> {
            if (!k.equals("oauth_signature") && !k.equals("realm")) all.add(new String[] {k, v});
        });
        for (String[] p : all) params.computeIfAbsent(encode(p[0]), k -> new ArrayList<>()).add(encode(p[1]));
        StringBuilder normalized = new StringBuilder();
        params.forEach((name, values) -> values.stream().sorted().forEach(value -> {
            if (!normalized.isEmpty()) normalized.append('&');
            normalized.append(name).append('=').append(value);
        }));
        String base = request.method() + "&" + encode(baseUrl() + request.path()) + "&" + encode(normalized.toString());
        String key = encode(consumerSecret) + "&" + encode(tokenSecret);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The protocol parameters of {@code Authorization: OAuth ...}, decoded. */
    private static Map<String, String> header(RecordedRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        Optional<String> header = request.header("authorization").filter(h -> h.regionMatches(true, 0, "OAuth ", 0, 6));
        if (header.isEmpty()) return out;
        Matcher m = HEADER_PARAM.matcher(header.get().substring(6));
        while (m.find()) {
            out.put(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8), URLDecoder.decode(m.group(2), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String[]> pairs(String encoded) {
        List<String[]> out = new ArrayList<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) continue;
            String[] kv = pair.split("=", 2);
            out.add(new String[] {URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : ""});
        }
        return out;
    }

    /** RFC 3986 encoding by way of the form encoder: its {@code +}, {@code *} and {@code %7E} fixed. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private static Reply problem(String problem) {
        return new Reply(401, Map.of("Content-Type", "application/x-www-form-urlencoded"), "oauth_problem=" + problem);
    }

    private static Reply form(Map<String, String> fields) {
        return new Reply(200, Map.of("Content-Type", "application/x-www-form-urlencoded"), Browser.encode(fields));
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
