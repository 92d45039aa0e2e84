package io.catchment.server.http;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Catchment's "presigned URLs": a path plus an expiry time, signed with HMAC-SHA256 under a
 * deployment-wide secret. Anyone holding the link may fetch it until it expires; changing the
 * path or the expiry breaks the signature.
 */
public final class LinkSigner {
    private final byte[] key;
    private final Clock clock;

    public LinkSigner(String hexKey, Clock clock) {
        this.key = HexFormat.of().parseHex(hexKey);
        this.clock = clock;
    }

    /** {@code path?expires=…&signature=…} valid for {@code ttl}. */
    public String sign(String path, Duration ttl) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        return path + "?expires=" + expires + "&signature=" + mac(path, expires);
    }

    public boolean verify(String path, String expires, String signature) {
        if (expires == null || signature == null) return false;
        long at;
        try {
            at = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return false;
        }
        if (clock.instant().getEpochSecond() > at) return false;
        return MessageDigest.isEqual(mac(path, at).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String mac(String path, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((path + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
