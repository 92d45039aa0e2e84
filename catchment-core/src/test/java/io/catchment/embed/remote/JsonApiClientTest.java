package io.catchment.embed.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catchment.embed.EmbeddingException;
import io.catchment.json.Json;
import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JsonApiClientTest {
    /** Answers {"ok": true} to POST /echo with the right bearer token. */
    static final class EchoApi extends FakeHttpApi {
        EchoApi() {
            post("/echo", r -> Reply.json(200, Map.of("ok", true, "got", r.json())));
        }

        @Override
        protected boolean authorized(RecordedRequest request) {
            return request.header("authorization").filter("Bearer sk-test-123456"::equals).isPresent();
        }

        @Override
        protected Reply unauthorized() {
            return Reply.json(401, Map.of("error", Map.of("message", "Incorrect API key provided: sk-test-123456")));
        }
    }

    private final EchoApi api = new EchoApi();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final RetryPolicy policy = RetryPolicy.defaults().withDelays(Duration.ofMillis(100), Duration.ofSeconds(2));
    private final JsonApiClient client = new JsonApiClient(policy, waits::add);

    @AfterEach
    void close() {
        api.close();
    }

    private ApiRequest request(String key) {
        return ApiRequest.json("Echo", api.baseUrl().resolve("/echo"), Map.of("Authorization", "Bearer " + key),
                Json.object().put("hello", "world"), "echo:" + key, List.of(key));
    }

    @Test
    void postsJsonAndReadsJson() throws Exception {
        var answer = client.post(request("sk-test-123456"));

        assertThat(answer.get("got").get("hello").asText()).isEqualTo("world");
        assertThat(api.lastRequest().header("content-type")).contains("application/json");
        assertThat(waits).isEmpty();
    }

    @Test
    void refusalsAreNotRetriedAndNeverShowTheKey() {
        assertThatThrownBy(() -> client.post(request("sk-test-999999")))
                .isInstanceOf(EmbeddingException.class)
                .hasMessage("Echo refused the request (HTTP 401: Incorrect API key provided: sk-test-123456)")
                .satisfies(e -> assertThat(((EmbeddingException) e).retryable()).isFalse());
        assertThat(api.requests()).hasSize(1);

        api.failNext(FakeHttpApi.Reply.json(400, Map.of("message", "bad input for key sk-test-123456")));
        assertThatThrownBy(() -> client.post(request("sk-test-123456")))
                .hasMessage("Echo refused the request (HTTP 400: bad input for key [redacted])");
    }

    @Test
    void rateLimitsHonourRetryAfterInSecondsMillisAndDates() throws Exception {
        String inThreeSeconds = ZonedDateTime.now().plusSeconds(3).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        api.failNext(FakeHttpApi.Reply.json(429, Map.of("message", "slow down")).withHeader("Retry-After", "2"),
                FakeHttpApi.Reply.json(429, Map.of("message", "slow down")).withHeader("retry-after-ms", "750"),
                FakeHttpApi.Reply.json(429, Map.of("message", "slow down")).withHeader("Retry-After", inThreeSeconds));

        client.post(request("sk-test-123456"));

        assertThat(api.requests()).hasSize(4);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(2000), Duration.ofMillis(2200));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(750), Duration.ofMillis(825));
        assertThat(waits.get(2)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(3300));
    }

    @Test
    void withoutRetryAfterItBacksOffExponentiallyWithJitterUpToTheCap() throws Exception {
        for (int i = 0; i < 5; i++) api.failNext(FakeHttpApi.Reply.json(503, Map.of("message", "overloaded")));

        client.post(request("sk-test-123456"));

        assertThat(waits).hasSize(5);
        long[] full = {100, 200, 400, 800, 1600};
        for (int i = 0; i < 5; i++) {
            assertThat(waits.get(i).toMillis()).as("wait %d", i).isBetween(full[i] / 2, full[i]);
        }
    }

    @Test
    void givesUpAsRetryableAfterTheLastAttemptOrATooLongRetryAfter() {
        for (int i = 0; i < 6; i++) api.failNext(FakeHttpApi.Reply.json(429, Map.of("message", "quota")));
        assertThatThrownBy(() -> client.post(request("sk-test-123456")))
                .isInstanceOf(EmbeddingException.class)
                .hasMessage("Echo failed 6 times; last: HTTP 429: quota")
                .satisfies(e -> assertThat(((EmbeddingException) e).retryable()).isTrue());
        assertThat(api.requests()).hasSize(6);

        api.clearRequests();
        var patient = new JsonApiClient(policy, waits::add);
        api.failNext(FakeHttpApi.Reply.json(429, Map.of("message", "daily quota")).withHeader("Retry-After", "3600"));
        assertThatThrownBy(() -> patient.post(request("sk-test-123456")))
                .hasMessage("Echo asked to retry after 3600 s (HTTP 429: daily quota)")
                .satisfies(e -> assertThat(((EmbeddingException) e).retryable()).isTrue());
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void slowAnswersTimeOutAndAreRetried() throws Exception {
        var quick = new JsonApiClient(policy.withTimeout(Duration.ofMillis(200)).withMaxAttempts(2), waits::add);
        api.delayEachAnswer(1000);

        assertThatThrownBy(() -> quick.post(request("sk-test-123456")))
                .hasMessage("Echo failed 2 times; last: no answer within 200 ms");
        assertThat(waits).hasSize(1);
    }

    @Test
    void concurrencyIsLimitedPerKey() throws Exception {
        var two = new JsonApiClient(policy.withConcurrency(2), waits::add);
        api.delayEachAnswer(150);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) calls.add(pool.submit(() -> two.post(request("sk-test-123456"))));
            for (Future<?> f : calls) f.get();
        }
        assertThat(api.requests()).hasSize(8);
        assertThat(api.maxConcurrentRequests()).isEqualTo(2);
    }
}
