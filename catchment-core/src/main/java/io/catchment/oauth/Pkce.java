package io.catchment.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A PKCE pair (RFC 7636): the verifier kept with the pending flow and sent at the token call, and its
 * S256 challenge sent at authorize. The verifier is a secret until the exchange; it never appears in
 * {@code toString()}.
 */
public record Pkce(String verifier, String challenge) {
    /** RFC 7636 §4.1: 43 to 128 characters of ALPHA / DIGIT / "-" / "." / "_" / "~". */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** 48 random bytes encode to 64 base64url characters (288 bits of entropy, above the RFC's 256). */
    private static final int VERIFIER_BYTES = 48;

    public Pkce {
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(challenge, "challenge");
        if (!VERIFIER.matcher(verifier).matches()) {
            throw new IllegalArgumentException("A PKCE verifier is 43 to 128 characters of A-Z a-z 0-9 - . _ ~");
        }
        if (!challenge.equals(s256(verifier))) {
            throw new IllegalArgumentException("The challenge is not the verifier's S256 challenge");
        }
    }

    /** A fresh random verifier and its challenge. */
    public static Pkce generate() {
        byte[] bytes = new byte[VERIFIER_BYTES];
        RANDOM.nextBytes(bytes);
        return of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** The pair for a known verifier (a stored flow's, or a test vector). */
    public static Pkce of(String verifier) {
        return new Pkce(verifier, s256(verifier));
    }

    /** {@code BASE64URL-ENCODE(SHA256(ASCII(verifier)))} without padding. */
    public static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The method {@link #challenge()} was made with (the only one sent). */
    public static String method() {
        return "S256";
    }

    @Override
    public String toString() {
        return "Pkce[challenge=" + challenge + "]";
    }
}
