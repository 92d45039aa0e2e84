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

    /**
     * Carbon's defaults with overrides from text like {@code "TIER_1=60,UNTIERED=0"} (0 = unlimited).
     * Unknown tiers or bad numbers are refused with a message naming them.
     */
    public static RateLimits parse(String text) {
        Map<RateTier, Integer> limits = new EnumMap<>(carbonDefaults().perMinute());
        if (text == null || text.isBlank()) return new RateLimits(limits);
        for (String part : text.split(",")) {
            String[] kv = part.strip().split("=", 2);
            if (kv.length != 2) throw new IllegalArgumentException("Expected TIER=requests_per_minute, got '" + part + "'");
            RateTier tier;
            try {
                tier = RateTier.valueOf(kv[0].strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown rate-limit tier '" + kv[0].strip()
                        + "': use TIER_1, TIER_2, TIER_3 or UNTIERED");
            }
            try {
                limits.put(tier, Integer.parseInt(kv[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Not a number of requests per minute: '" + kv[1].strip() + "'");
            }
        }
        return new RateLimits(limits);
    }

    public int limit(RateTier tier) {
        return perMinute.getOrDefault(tier, 0);
    }
}
