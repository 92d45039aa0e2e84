package io.catchment.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Carbon's webhook signatures (carbon-api.md §7): {@code Carbon-Signature: t=<ts>,v1=<hex>} with
 * {@code v1 = HMAC-SHA256(key = hexdecode(signing_key), "<ts>.<raw body>")}, and
 * {@code Carbon-Signature-Compact: t=<ts>,v2=<hex>}, the same HMAC over the body re-serialized as
 * compact JSON, for receivers (JavaScript, mostly) that only have the parsed body left.
 */
public final class Signer {
    public static final String SIGNATURE_HEADER = "Carbon-Signature";
    public static final String COMPACT_SIGNATURE_HEADER = "Carbon-Signature-Compact";

    /** A plain mapper: the compact form must keep the body's own key order and number forms. */
    private static final ObjectMapper PARSER = new ObjectMapper();

    private Signer() {}

    /** The two header values for one delivery. */
    public record Signatures(String carbonSignature, String carbonSignatureCompact) {}

    /**
     * Signs {@code rawBody}, the exact text that is sent.
     *
     * @param signingKey the webhook's key, 32 hex characters
     * @param timestamp  unix seconds, as sent in {@code t=}
     * @throws IllegalArgumentException when the key is not hex or the body is not JSON
     */
    public static Signatures sign(String signingKey, String timestamp, String rawBody) {
        byte[] key = HexFormat.of().parseHex(signingKey);
        String compact = PythonJson.compact(parse(rawBody));
        return new Signatures("t=" + timestamp + ",v1=" + hmac(key, timestamp + "." + rawBody),
                "t=" + timestamp + ",v2=" + hmac(key, timestamp + "." + compact));
    }

    private static JsonNode parse(String rawBody) {
        try {
            return PARSER.readTree(rawBody);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("webhook body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
