package io.catchment.embed.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.embed.EmbeddingException;
import io.catchment.json.Json;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts JSON to model providers and reads JSON back, with the retry rules of a {@link RetryPolicy}.
 * One instance serves every provider; concurrency is limited per {@link ApiRequest#limitKey()}.
 *
 * <p>Retried: 429 (after {@code Retry-After} / {@code retry-after-ms} when given, else backoff),
 * 408, 409, 500, 502, 503, 504, 529, timeouts and connection failures. Any other 4xx fails at once
 * with the provider's message. A wait longer than {@link RetryPolicy#maxRetryAfter()}, or running
 * out of tries, fails with {@code retryable=true} so the caller's job can come back later.
 */
public final class JsonApiClient {
    private static final Logger log = LoggerFactory.getLogger(JsonApiClient.class);
    private static final Set<Integer> TRANSIENT = Set.of(408, 409, 500, 502, 503, 504, 529);

    private final HttpClient http;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final ConcurrentHashMap<String, Semaphore> limits = new ConcurrentHashMap<>();

    public JsonApiClient(RetryPolicy policy, Sleeper sleeper) {
        this.policy = policy;
        this.sleeper = sleeper;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public JsonApiClient(RetryPolicy policy) {
        this(policy, Sleeper.REAL);
    }

    public RetryPolicy policy() {
        return policy;
    }

    /** The parsed JSON of a 2xx answer. */
    public JsonNode post(ApiRequest request) throws EmbeddingException {
        byte[] body = request.body().bytes();
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(policy.timeout())
                .header("Content-Type", request.body().contentType()).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        request.headers().forEach(builder::header);
        HttpRequest httpRequest = builder.build();
        Semaphore permits = limits.computeIfAbsent(request.limitKey(), k -> new Semaphore(policy.concurrency(), true));
        String lastProblem = "no attempt made";
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            HttpResponse<String> response;
            try {
                response = send(httpRequest, permits);
            } catch (HttpTimeoutException e) {
                lastProblem = "no answer within " + readable(policy.timeout());
                if (attempt < policy.maxAttempts()) backOff(request, attempt, lastProblem);
                continue;
            } catch (IOException e) {
                lastProblem = "could not reach it (" + e.getClass().getSimpleName() + ")";
                if (attempt < policy.maxAttempts()) backOff(request, attempt, lastProblem);
                continue;
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) return parse(request, response.body());
            String message = ProviderErrors.message(response.body(), request.secrets());
            lastProblem = "HTTP " + status + (message.isEmpty() ? "" : ": " + message);
            if (status != 429 && !TRANSIENT.contains(status)) {
                throw new EmbeddingException(request.provider() + " refused the request (" + lastProblem + ")", false, null,
                        java.util.OptionalInt.of(status));
            }
            Optional<Duration> retryAfter = retryAfter(response);
            if (retryAfter.isPresent() && retryAfter.get().compareTo(policy.maxRetryAfter()) > 0) {
                throw new EmbeddingException(request.provider() + " asked to retry after "
                        + retryAfter.get().toSeconds() + " s (" + lastProblem + ")", true, null);
            }
            Duration wait = retryAfter.isPresent() ? withJitter(retryAfter.get()) : backoff(attempt);
            if (attempt < policy.maxAttempts()) {
                retrying(request, attempt, lastProblem, wait);
                pause(wait);
            }
        }
        throw new EmbeddingException(request.provider() + " failed " + policy.maxAttempts() + " times; last: "
                + lastProblem, true, null);
    }

    private HttpResponse<String> send(HttpRequest request, Semaphore permits) throws IOException, EmbeddingException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingException("interrupted while waiting for a free connection", true, e);
        }
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingException("interrupted during the request", true, e);
        } finally {
            permits.release();
        }
    }

    private void backOff(ApiRequest request, int attempt, String problem) throws EmbeddingException {
        Duration wait = backoff(attempt);
        retrying(request, attempt, problem, wait);
        pause(wait);
    }

    private void pause(Duration wait) throws EmbeddingException {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingException("interrupted while waiting to retry", true, e);
        }
    }

    private static void retrying(ApiRequest request, int attempt, String problem, Duration wait) {
        log.atInfo().addKeyValue("provider", request.provider()).addKeyValue("attempt", attempt)
                .addKeyValue("problem", problem).addKeyValue("wait_ms", wait.toMillis()).log("model provider call retried");
    }

    private static JsonNode parse(ApiRequest request, String body) throws EmbeddingException {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new EmbeddingException(request.provider() + " answered with something that is not JSON", true, null);
        }
    }

    private static String readable(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Exponential from the base delay, capped, with "equal jitter": between half and all of it. */
    Duration backoff(int attempt) {
        double full = Math.min(policy.maxDelay().toMillis(),
                policy.baseDelay().toMillis() * Math.pow(2, Math.min(attempt - 1, 20)));
        return Duration.ofMillis((long) (full / 2 + ThreadLocalRandom.current().nextDouble() * full / 2));
    }

    /** Up to 10 % more than the provider asked, so clients told the same time do not return together. */
    private static Duration withJitter(Duration asked) {
        return asked.plusMillis((long) (asked.toMillis() * 0.1 * ThreadLocalRandom.current().nextDouble()));
    }

    /** {@code retry-after-ms} (OpenAI), else {@code Retry-After} in seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> millis = response.headers().firstValue("retry-after-ms");
        if (millis.isPresent()) {
            try {
                return Optional.of(Duration.ofMillis(Math.max(0, (long) Double.parseDouble(millis.get().strip()))));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        Optional<String> value = response.headers().firstValue("retry-after");
        if (value.isEmpty()) return Optional.empty();
        String v = value.get().strip();
        try {
            return Optional.of(Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(v) * 1000))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(java.time.Instant.now(), at.toInstant());
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
