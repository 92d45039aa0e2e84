package io.catchment.connector.credentials;

import io.catchment.connector.credentials.CredentialVerifiers.Endpoints;
import io.catchment.ingest.fetch.SafeUrlFetcher;
import io.catchment.ingest.fetch.UrlPolicy;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** What the verifier tests share: a fixed clock, a client that does not follow redirects, loopback feeds allowed. */
final class TestVerifiers {
    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private TestVerifiers() {
    }

    /** Verifiers talking to {@code endpoints}, fetching feeds from 127.0.0.1 as well. */
    static CredentialVerifiers with(Endpoints endpoints) {
        return new CredentialVerifiers(HTTP, CLOCK, endpoints,
                new SafeUrlFetcher(UrlPolicy.defaults().withAllowedHosts("127.0.0.1")));
    }
}
