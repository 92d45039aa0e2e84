package io.catchment.server.http;

import java.util.EnumMap;
import java.util.Map;

/** Requests per minute per API key for each tier; zero or less means unlimited. */
public record RateLimits(Map<RateTier, Integer> perMinute) {

    public RateLimits {
        perMinute = Map.copyOf(perMinute);
    }

    /** Carbon's published limits; endpoints in no Carbon tier get 600 a minute. */
    public static RateLimits carbonDefaults() {
        Map<RateTier, Integer> limits = new EnumMap<>(RateTier.class);
        limits.put(RateTier.TIER_1, 30);
        limits.put(RateTier.TIER_2, 90);
        limits.put(RateTier.TIER_3, 180);
        limits.put(RateTier.UNTIERED, 600);
        return new RateLimits(limits);
    }

    public int limit(RateTier tier) {
        return perMinute.getOrDefault(tier, 0);
    }
}
