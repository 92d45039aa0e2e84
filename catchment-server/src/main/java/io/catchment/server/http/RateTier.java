package io.catchment.server.http;

/**
 * Carbon's rate-limit groups (requests per minute per API key by default: 30 / 90 / 180).
 * {@code UNTIERED} covers endpoints Carbon lists in no tier; it has its own configurable limit.
 */
public enum RateTier {
    TIER_1, TIER_2, TIER_3, UNTIERED, NONE
}
