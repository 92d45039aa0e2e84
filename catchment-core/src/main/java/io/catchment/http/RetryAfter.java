package io.catchment.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads {@code Retry-After}: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
public final class RetryAfter {
    private RetryAfter() {}

    public static Optional<Duration> of(ProviderResponse response, Instant now) {
        return response.header("retry-after").flatMap(v -> parse(v, now));
    }

    static Optional<Duration> parse(String value, Instant now) {
        String v = value.strip();
        try {
            return Optional.of(Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(v) * 1000))));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
