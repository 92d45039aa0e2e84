package io.catchment.http;

import java.time.Duration;

/**
 * How {@link ProviderHttp} treats one provider call.
 *
 * @param attempts tries in all for 5xx, timeouts and short rate limits
 * @param baseBackoff first backoff after a 5xx or timeout; doubles each time, with jitter
 * @param maxInlineWait a Retry-After up to this long is waited out in place; a longer one ends
 *     the call with {@link SyncFailure.RateLimited} so the job is rescheduled instead
 * @param timeout per request (for downloads: until the headers arrive)
 * @param maxApiBytes largest API answer read into memory
 * @param maxDownloadBytes largest file a download stores
 */
public record HttpPolicy(int attempts, Duration baseBackoff, Duration maxInlineWait, Duration timeout,
                         long maxApiBytes, long maxDownloadBytes) {
    public HttpPolicy {
        if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1");
    }

    public static HttpPolicy defaults() {
        return new HttpPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(60),
                64L << 20, 2L << 30);
    }

    /** Tests: the same rules with waits short enough to sit through. */
    public HttpPolicy withWaits(Duration backoff, Duration inlineWait) {
        return new HttpPolicy(attempts, backoff, inlineWait, timeout, maxApiBytes, maxDownloadBytes);
    }
}
