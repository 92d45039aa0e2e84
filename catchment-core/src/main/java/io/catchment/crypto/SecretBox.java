package io.catchment.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals short secrets with AES-256-GCM. The sealed form is text:
 * {@code v1.<key id>.<base64url(12-byte nonce || ciphertext || tag)>}. The {@code context} (for
 * example {@code "model-credentials:42:OPENAI"}) is authenticated but not stored, so a sealed
 * value only opens where it was sealed. Thread-safe.
 */
public final class SecretBox {
    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final MasterKeys keys;
    private final SecureRandom random = new SecureRandom();

    public SecretBox(MasterKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    public String seal(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.current(), nonce, context);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return VERSION + "." + keys.currentId() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * @throws SecretException when the value is malformed, sealed with a key this deployment
     *     does not hold, tampered with, or sealed for another context
     */
    public String open(String sealed, String context) throws SecretException {
        String[] parts = sealed.split("\\.", 3);
        if (parts.length != 3 || !parts[0].equals(VERSION)) throw new SecretException("not a sealed secret");
        SecretKey key = keys.byId(parts[1]).orElseThrow(() -> new SecretException(
                "sealed with master key '" + parts[1] + "', which this server does not have (held: " + keys.ids() + ")"));
        byte[] data;
        try {
            data = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new SecretException("sealed secret is not valid base64");
        }
        if (data.length < NONCE_BYTES + TAG_BITS / 8) throw new SecretException("sealed secret is truncated");
        try {
            byte[] nonce = java.util.Arrays.copyOf(data, NONCE_BYTES);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce, context);
            return new String(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SecretException("sealed secret failed authentication (tampered, or sealed for another record)");
        } catch (GeneralSecurityException e) {
            throw new SecretException("sealed secret could not be opened: " + e.getClass().getSimpleName());
        }
    }

    /** True when {@code sealed} was made with an older key and should be sealed again. */
    public boolean needsResealing(String sealed) {
        String[] parts = sealed.split("\\.", 3);
        return parts.length < 2 || !parts[1].equals(keys.currentId());
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** A sealed value cannot be opened; the message never contains secret material. */
    public static final class SecretException extends Exception {
        public SecretException(String message) {
            super(message, null, false, false);
        }
    }
}
