package io.catchment.server.http;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per (API key, tier): a full minute's allowance may be spent at once, then it
 * refills evenly. Kept in memory, so with several API processes each enforces its own share.
 */
public final class RateLimiter {
    private record BucketKey(long apiKeyId, RateTier tier) {}

    private static final class Bucket {
        private double tokens;
        private long lastNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.lastNanos = now;
        }
    }

    private final RateLimits limits;
    private final Clock clock;
    private final ConcurrentHashMap<BucketKey, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(RateLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** Takes one request from the bucket, or throws a 429 saying when to come back. */
    public void acquire(long apiKeyId, RateTier tier) {
        int perMinute = limits.limit(tier);
        if (perMinute <= 0 || tier == RateTier.NONE) return;
        long now = clock.millis() * 1_000_000L;
        Bucket bucket = buckets.computeIfAbsent(new BucketKey(apiKeyId, tier), k -> new Bucket(perMinute, now));
        double perNano = perMinute / 60e9;
        synchronized (bucket) {
            bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.lastNanos) * perNano);
            bucket.lastNanos = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return;
            }
            long waitSeconds = (long) Math.ceil((1 - bucket.tokens) / perNano / 1e9);
            throw new RateLimited(Math.max(1, waitSeconds), perMinute);
        }
    }

    /** A 429 with the seconds to wait (sent as {@code Retry-After}). */
    public static final class RateLimited extends RuntimeException {
        private final long retryAfterSeconds;

        RateLimited(long retryAfterSeconds, int perMinute) {
            super("Rate limit exceeded: " + perMinute + " requests per minute for this group of endpoints. Retry in "
                    + retryAfterSeconds + " seconds.", null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
