package io.catchment.embed.remote;

import java.time.Duration;

/**
 * How {@link JsonApiClient} retries a provider call.
 *
 * @param maxAttempts tries in all, the first included
 * @param baseDelay the first backoff; doubles each retry, with jitter, up to {@code maxDelay}
 * @param maxDelay the longest backoff between two tries
 * @param maxRetryAfter a {@code Retry-After} longer than this is not waited for in-process: the
 *     call fails as retryable and the job queue tries the file again later
 * @param timeout per request
 * @param concurrency requests in flight at once per provider and API key
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter,
                          Duration timeout, int concurrency) {

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
        if (baseDelay.isNegative() || maxDelay.isNegative() || maxRetryAfter.isNegative() || timeout.isNegative()
                || timeout.isZero()) {
            throw new IllegalArgumentException("delays must not be negative and the timeout must be positive");
        }
    }

    /** Six tries over about a minute of backoff; 60 s timeout; 4 requests at once. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(20), Duration.ofSeconds(60),
                Duration.ofSeconds(60), 4);
    }

    public RetryPolicy withConcurrency(int permits) {
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, maxRetryAfter, timeout, permits);
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, baseDelay, maxDelay, maxRetryAfter, timeout, concurrency);
    }

    public RetryPolicy withDelays(Duration base, Duration max) {
        return new RetryPolicy(maxAttempts, base, max, maxRetryAfter, timeout, concurrency);
    }

    public RetryPolicy withTimeout(Duration perRequest) {
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, maxRetryAfter, perRequest, concurrency);
    }
}
