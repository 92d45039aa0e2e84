package io.catchment.tenancy;

import java.time.Instant;

/** A freshly minted access token and its refresh token; plaintext exists only in this value. */
public record TokenPair(String accessToken, String refreshToken, Instant expiresAt) {
    @Override
    public String toString() {
        return "TokenPair[<hidden>, expiresAt=" + expiresAt + "]";
    }
}
