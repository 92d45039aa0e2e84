package io.catchment.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How a provider says "slow down". The default reads 429 (and a 503 that carries Retry-After);
 * connectors add their own signals (Google's 403 {@code rateLimitExceeded}, Dropbox's
 * {@code retry_after} in the body) with {@link #or}.
 */
@FunctionalInterface
public interface RateLimitSignal {
    /** Empty when {@code response} is not a rate limit; else how long to wait (a guess when the provider gives none). */
    Optional<Duration> waitFor(ProviderResponse response, Instant now);

    Duration UNSPECIFIED_WAIT = Duration.ofSeconds(30);

    RateLimitSignal STANDARD = (r, now) -> {
        if (r.status() == 429) return Optional.of(RetryAfter.of(r, now).orElse(UNSPECIFIED_WAIT));
        if (r.status() == 503) return RetryAfter.of(r, now);
        return Optional.empty();
    };

    default RateLimitSignal or(RateLimitSignal other) {
        return (r, now) -> {
            Optional<Duration> mine = waitFor(r, now);
            return mine.isPresent() ? mine : other.waitFor(r, now);
        };
    }
}
