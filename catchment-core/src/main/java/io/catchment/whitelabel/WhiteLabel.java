package io.catchment.whitelabel;

import io.catchment.oauth.OAuthService;
import java.time.Instant;
import java.util.Optional;

/**
 * A stored organization app as it may be shown: secrets appear only as masks
 * ({@link #mask}), present when a secret is stored.
 */
public record WhiteLabel(
        long id,
        long organizationId,
        OAuthService service,
        String clientId,
        String redirectUri,
        Optional<String> clientSecretMask,
        Optional<String> apiKeyMask,
        Optional<String> filePickerClientId,
        Optional<String> filePickerRedirectUri,
        Instant createdAt,
        Instant updatedAt) {

    /** What every mask starts with. */
    public static final String MASK = "••••";

    /** Secrets shorter than this are masked entirely; longer ones show their last four characters. */
    static final int SHOW_TAIL_FROM = 12;

    public CredentialShape shape() {
        return CredentialShape.of(service);
    }

    /**
     * {@code ••••} plus the last four characters, enough to tell two secrets apart; a short secret
     * shows nothing of itself, since four characters would be too large a share of it.
     */
    public static String mask(String secret) {
        return secret.length() >= SHOW_TAIL_FROM ? MASK + secret.substring(secret.length() - 4) : MASK;
    }
}
