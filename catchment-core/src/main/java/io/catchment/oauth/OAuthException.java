package io.catchment.oauth;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A provider refused or failed an OAuth step (token exchange, refresh, revoke, identity, OAuth 1.0a
 * key exchange). The message names the provider, the step and the provider's error code and
 * description, with every secret of the request blanked out; it never holds a code, token or
 * client secret, so it can be logged and shown to the user.
 */
public final class OAuthException extends Exception {
    /** What went wrong, as far as a caller needs to decide what to do next. */
    public enum Kind {
        /** The code or refresh token is invalid, used, expired or revoked: the user must connect again. */
        INVALID_GRANT,
        /** The user (or an administrator) refused consent. */
        ACCESS_DENIED,
        /** The provider does not accept our client id or secret (a configuration problem). */
        INVALID_CLIENT,
        /** Any other refusal, or an answer we cannot use. */
        PROVIDER_ERROR,
        /** The provider asked us to slow down; {@link #retryAfter()} tells how long when it said. */
        RATE_LIMITED,
        /** No usable answer: connection failures, timeouts, 5xx, even after retrying. */
        UNREACHABLE
    }

    private final Kind kind;
    private final Optional<String> providerError;
    private final OptionalInt status;
    private final Optional<Duration> retryAfter;

    public OAuthException(Kind kind, String message, Optional<String> providerError, OptionalInt status,
                          Optional<Duration> retryAfter) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.providerError = Objects.requireNonNull(providerError, "providerError");
        this.status = Objects.requireNonNull(status, "status");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public OAuthException(Kind kind, String message) {
        this(kind, message, Optional.empty(), OptionalInt.empty(), Optional.empty());
    }

    public Kind kind() {
        return kind;
    }

    /** The provider's own error code ({@code invalid_grant}, Slack's {@code invalid_code}, ...), when it sent one. */
    public Optional<String> providerError() {
        return providerError;
    }

    /** The HTTP status of the provider's answer, when there was one. */
    public OptionalInt status() {
        return status;
    }

    /** How long the provider asked us to wait ({@code Retry-After}), for {@link Kind#RATE_LIMITED}. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
