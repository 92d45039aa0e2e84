package io.catchment.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One data source's door to its provider. Every call: credentials added, at most
 * {@code concurrency} calls in flight for the data source, one renewal after a 401, short
 * Retry-Afters waited out, 5xx and timeouts retried with backoff, redirects followed (never
 * carrying credentials to another host). What is left is either an answer the connector reads
 * (2xx, and 4xx it may understand, such as 404 or Dropbox's 409) or a {@link SyncFailure}.
 */
public final class ProviderHttp {
    private static final Logger log = LoggerFactory.getLogger(ProviderHttp.class);
    private static final int MAX_REDIRECTS = 5;

    private final HttpClient client;
    private final Authenticator authenticator;
    private final RateLimitSignal rateLimits;
    private final HttpPolicy policy;
    private final Semaphore permits;
    private final Clock clock;
    private final String label;

    /**
     * @param client must not follow redirects itself (this class decides where credentials go)
     * @param permits shared by every call for one data source: its concurrency limit
     * @param label names the data source in logs ("data_source=12 GOOGLE_DRIVE")
     */
    public ProviderHttp(HttpClient client, Authenticator authenticator, RateLimitSignal rateLimits, HttpPolicy policy,
                        Semaphore permits, Clock clock, String label) {
        this.client = client;
        this.authenticator = authenticator;
        this.rateLimits = rateLimits;
        this.policy = policy;
        this.permits = permits;
        this.clock = clock;
        this.label = label;
    }

    /** This door with extra rate-limit signals (a connector's own). */
    public ProviderHttp withRateLimits(RateLimitSignal extra) {
        return new ProviderHttp(client, authenticator, extra.or(rateLimits), policy, permits, clock, label);
    }

    /** Sends the request; the body of the answer is read into memory (up to the policy's API limit). */
    public ProviderResponse send(ProviderRequest request) throws SyncFailure {
        return exchange(request, Optional.empty());
    }

    /**
     * Sends the request and streams a 2xx body into {@code target}; the returned response has an
     * empty body then. Other answers come back with their body, as from {@link #send}.
     */
    public ProviderResponse download(ProviderRequest request, Path target) throws SyncFailure {
        return exchange(request, Optional.of(target));
    }

    private ProviderResponse exchange(ProviderRequest request, Optional<Path> target) throws SyncFailure {
        boolean renewed = false;
        for (int attempt = 1; ; attempt++) {
            ProviderResponse response;
            boolean credentialsSent;
            try {
                Hop last = followingRedirects(request, target);
                response = last.response();
                credentialsSent = last.authenticated();
            } catch (IOException e) {
                if (attempt >= policy.attempts()) {
                    throw new SyncFailure.Transient(request.describe() + " failed: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
                }
                pause(backoff(attempt), request, "io_error");
                continue;
            }
            // A 401 from a pre-signed URL on another host is that link's problem, not the grant's.
            if (response.status() == 401 && credentialsSent) {
                if (!renewed && authenticator.renewAfterRejection()) {
                    renewed = true;
                    attempt--;
                    continue;
                }
                throw new SyncFailure.Auth("The provider rejected the connection's credentials (" + request.describe()
                        + " answered 401); reauthorization required");
            }
            Optional<Duration> wait = rateLimits.waitFor(response, clock.instant());
            if (wait.isPresent()) {
                if (wait.get().compareTo(policy.maxInlineWait()) > 0 || attempt >= policy.attempts()) {
                    throw new SyncFailure.RateLimited("You have hit one or more rate limits, please try again later ("
                            + request.describe() + " answered " + response.status() + ")", wait.get());
                }
                pause(wait.get(), request, "rate_limited");
                continue;
            }
            if (response.status() >= 500 || response.status() == 408) {
                if (attempt >= policy.attempts()) {
                    throw new SyncFailure.Transient(request.describe() + " answered " + response.status()
                            + " after " + attempt + " tries");
                }
                pause(backoff(attempt), request, "status_" + response.status());
                continue;
            }
            return response;
        }
    }

    /** The answer at the end of the redirects, and whether the request that got it carried credentials. */
    private record Hop(ProviderResponse response, boolean authenticated) {}

    private Hop followingRedirects(ProviderRequest request, Optional<Path> target) throws IOException, SyncFailure {
        ProviderRequest current = request;
        for (int hop = 0; ; hop++) {
            ProviderResponse response = once(current, target);
            Optional<String> location = response.header("location");
            if (response.status() < 300 || response.status() >= 400 || response.status() == 304 || location.isEmpty()) {
                return new Hop(response, current.authenticated());
            }
            if (hop >= MAX_REDIRECTS) throw new IOException("more than " + MAX_REDIRECTS + " redirects");
            URI next = current.uri().resolve(location.get());
            boolean sameHost = next.getHost() != null && next.getHost().equalsIgnoreCase(current.uri().getHost())
                    && next.getPort() == current.uri().getPort();
            // Pre-signed download URLs (Box, Graph) need no credentials, and credentials never leave their host.
            current = new ProviderRequest("GET", next, Map.of(), Optional.empty(), current.authenticated() && sameHost);
        }
    }

    private ProviderResponse once(ProviderRequest request, Optional<Path> target) throws IOException, SyncFailure {
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        if (request.authenticated()) authenticator.authenticate(request, headers);
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(policy.timeout());
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) builder.header(name, value);
        });
        builder.method(request.method(), request.body().map(HttpRequest.BodyPublishers::ofByteArray)
                .orElse(HttpRequest.BodyPublishers.noBody()));
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a connection slot");
        }
        try {
            HttpResponse<InputStream> answer = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            Map<String, java.util.List<String>> lower = new LinkedHashMap<>();
            answer.headers().map().forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
            try (InputStream in = answer.body()) {
                boolean ok = answer.statusCode() >= 200 && answer.statusCode() < 300;
                if (ok && target.isPresent()) {
                    if (!copy(in, target.get())) {
                        // Too big to keep: the item fails, the sync goes on. 413 is how the connector sees it.
                        return new ProviderResponse(413, lower, ("The file is larger than "
                                + (policy.maxDownloadBytes() >> 20) + " MiB").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                    return new ProviderResponse(answer.statusCode(), lower, new byte[0]);
                }
                byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, policy.maxApiBytes() + 1));
                if (body.length > policy.maxApiBytes()) {
                    throw new SyncFailure.Config(request.describe() + " answered more than " + (policy.maxApiBytes() >> 20)
                            + " MiB; that is not the API we expected");
                }
                return new ProviderResponse(answer.statusCode(), lower, body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            permits.release();
        }
    }

    /** False when the body is larger than the policy allows (the partial file is removed). */
    private boolean copy(InputStream in, Path target) throws IOException {
        long written = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                written += n;
                if (written > policy.maxDownloadBytes()) {
                    out.close();
                    Files.deleteIfExists(target);
                    return false;
                }
                out.write(buffer, 0, n);
            }
        }
        return true;
    }

    private Duration backoff(int attempt) {
        long full = policy.baseBackoff().toMillis() << Math.min(attempt - 1, 10);
        return Duration.ofMillis(full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1));
    }

    private void pause(Duration wait, ProviderRequest request, String reason) throws SyncFailure {
        log.atInfo().addKeyValue("source", label).addKeyValue("call", request.describe()).addKeyValue("reason", reason)
                .addKeyValue("wait_ms", wait.toMillis()).log("provider call will be retried");
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncFailure.Transient("interrupted while waiting to retry " + request.describe());
        }
    }
}
