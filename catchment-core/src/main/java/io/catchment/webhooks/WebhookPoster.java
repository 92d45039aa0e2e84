package io.catchment.webhooks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes one delivery attempt: checks the target (again: DNS may have changed since the webhook
 * was added), POSTs without following redirects, and keeps at most the first
 * {@value #SNIPPET_BYTES} bytes of the answer for the log. The whole attempt, body included,
 * runs against one timeout, so a receiver that trickles its answer cannot hold a worker.
 */
final class WebhookPoster {
    static final int SNIPPET_BYTES = 200;

    /** How an attempt went: an HTTP answer (any status), or no answer at all. */
    sealed interface Attempt {
        record Answered(int status, String snippet) implements Attempt {}

        record NoAnswer(String error) implements Attempt {}
    }

    private final HttpClient client;
    private final WebhookTargets targets;
    private final Duration timeout;

    WebhookPoster(WebhookTargets targets, Duration timeout) {
        this.targets = targets;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    Attempt post(String url, String body, Map<String, String> headers) {
        Optional<String> refusal = targets.refusal(url);
        if (refusal.isPresent()) return new Attempt.NoAnswer("refused: " + refusal.get());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        CompletableFuture<HttpResponse<String>> sent = client.sendAsync(request.build(), info -> new Snippet());
        try {
            HttpResponse<String> response = sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Attempt.Answered(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            sent.cancel(true);
            return new Attempt.NoAnswer("no answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            sent.cancel(true);
            Thread.currentThread().interrupt();
            return new Attempt.NoAnswer("interrupted (shutting down)");
        } catch (ExecutionException e) {
            return new Attempt.NoAnswer(describe(e.getCause()));
        }
    }

    private String describe(Throwable t) {
        if (t instanceof HttpConnectTimeoutException) return "could not connect within " + timeout.toSeconds() + " s";
        if (t instanceof HttpTimeoutException) return "no answer within " + timeout.toSeconds() + " s";
        String message = t.getMessage() == null ? "" : ": " + t.getMessage();
        return t.getClass().getSimpleName() + message;
    }

    /** Keeps the start of the body and drops the rest, so a huge answer costs no memory. */
    private static final class Snippet implements HttpResponse.BodySubscriber<String> {
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private final byte[] kept = new byte[SNIPPET_BYTES];
        private int size;

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                int n = Math.min(b.remaining(), kept.length - size);
                b.get(kept, size, n);
                size += n;
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(new String(kept, 0, size, StandardCharsets.UTF_8));
        }
    }
}
