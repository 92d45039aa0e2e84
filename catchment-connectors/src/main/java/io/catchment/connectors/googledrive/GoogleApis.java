package io.catchment.connectors.googledrive;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.http.ProviderResponse;
import io.catchment.http.RateLimitSignal;
import io.catchment.http.RetryAfter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What Google's JSON APIs (Drive v3, Cloud Storage v1, Resource Manager v1) have in common for a
 * connector: percent-encoding for query values and path segments, the error envelope
 * ({@code {"error": {"code", "message", "errors": [{"domain", "reason", "message", "location"}],
 * "status"}}}) and how Google says "slow down". Shared by the Drive and Cloud Storage connectors.
 */
public final class GoogleApis {
    /** The reasons Google puts on a 403 (or 429) that means "too many requests", not "forbidden". */
    public static final Set<String> RATE_LIMIT_REASONS = Set.of("rateLimitExceeded", "userRateLimitExceeded");

    private GoogleApis() {}

    /**
     * Percent-encodes everything but RFC 3986's unreserved characters, as UTF-8: safe for a query
     * value and for a path segment ({@code /} becomes {@code %2F}, a space {@code %20}).
     */
    public static String encode(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /**
     * A query string ({@code ?a=1&b=2}) from name/value pairs; pairs whose value is null are left
     * out; empty when no pair remains.
     */
    public static String query(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("names and values come in pairs");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] == null) continue;
            sb.append(sb.isEmpty() ? '?' : '&').append(encode(namesAndValues[i])).append('=')
                    .append(encode(namesAndValues[i + 1]));
        }
        return sb.toString();
    }

    /** {@code error.errors[].reason} of an error answer (empty when it has none). */
    public static List<String> reasons(ProviderResponse response) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : response.json().path("error").path("errors")) {
            String reason = e.path("reason").asText("");
            if (!reason.isEmpty()) out.add(reason);
        }
        return out;
    }

    /** {@code error.errors[].location} of an error answer (the parameter or header it is about). */
    public static List<String> locations(ProviderResponse response) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : response.json().path("error").path("errors")) {
            String location = e.path("location").asText("");
            if (!location.isEmpty()) out.add(location);
        }
        return out;
    }

    /**
     * The provider's own explanation ({@code error.message}, else a short piece of the body, else
     * the status), for error messages. Bodies of Google's APIs never echo the access token.
     */
    public static String message(ProviderResponse response) {
        JsonNode error = response.json().path("error");
        String message = error.isTextual() ? error.asText() : error.path("message").asText("");
        if (message.isBlank()) {
            message = response.text().strip();
            if (message.startsWith("<")) message = ""; // an HTML error page says nothing useful
        }
        if (message.isBlank()) return "HTTP " + response.status();
        message = message.replaceAll("\\s+", " ");
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }

    /** True when the body's message or location talks about a page token. */
    public static boolean aboutPageToken(ProviderResponse response) {
        return locations(response).stream().anyMatch(l -> l.equalsIgnoreCase("pageToken"))
                || message(response).toLowerCase(Locale.ROOT).replace(" ", "").contains("pagetoken");
    }

    /**
     * Google's "slow down": {@code 429}, or {@code 403} with reason {@code rateLimitExceeded} /
     * {@code userRateLimitExceeded}. Google sends no usable {@code Retry-After} for these, so the
     * wait grows exponentially (1 s, 2 s, 4 s, ... with jitter) while rate limits keep coming and
     * starts over after two quiet minutes; a {@code Retry-After} that is present is obeyed. One
     * instance per data source's door (it remembers the streak).
     */
    public static RateLimitSignal rateLimits() {
        return new Backoff();
    }

    private static final class Backoff implements RateLimitSignal {
        private static final long BASE_MILLIS = 1000;
        private static final Duration QUIET = Duration.ofMinutes(2);
        private int streak;
        private Instant last;

        @Override
        public synchronized Optional<Duration> waitFor(ProviderResponse response, Instant now) {
            boolean limited = response.status() == 429
                    || (response.status() == 403 && reasons(response).stream().anyMatch(RATE_LIMIT_REASONS::contains));
            if (!limited) return Optional.empty();
            Optional<Duration> told = RetryAfter.of(response, now);
            if (told.isPresent()) return told;
            streak = last != null && Duration.between(last, now).compareTo(QUIET) < 0 ? streak + 1 : 0;
            last = now;
            long wait = BASE_MILLIS << Math.min(streak, 8);
            return Optional.of(Duration.ofMillis(wait + ThreadLocalRandom.current().nextLong(wait / 4 + 1)));
        }
    }
}
