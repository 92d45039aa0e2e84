package io.catchment.connector.credentials;

import io.catchment.ingest.fetch.SafeUrlFetcher;
import io.catchment.ingest.fetch.UrlPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one entry point for checking credentials against the provider before a credential-based
 * data source is created ({@code /integrations/freshdesk}, {@code gitbook}, {@code s3},
 * {@code azure_blob_storage}, {@code github}, {@code guru}, {@code document360},
 * {@code rss_feed}). Each method makes one cheap read-only call that only valid credentials can
 * make, and answers {@link Verification.Verified} (with the account's id and metadata),
 * {@link Verification.Refused} (bad input or bad credentials: a 400 for the caller) or
 * {@link Verification.Unreachable} (ask again later). Methods never throw.
 *
 * <p>The {@link HttpClient} should not follow redirects: verifiers treat a redirect as a refusal
 * instead of sending credentials on to wherever it points. Feeds are fetched with their own
 * {@link SafeUrlFetcher}, which refuses internal addresses.
 *
 * <p>Immutable and thread-safe.
 */
public final class CredentialVerifiers {
    /** How long one provider call may take. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    /** Feeds larger than this are refused (they are verified, not ingested, here). */
    public static final long MAX_FEED_BYTES = 10L * 1024 * 1024;

    private final HttpClient http;
    private final Clock clock;
    private final Endpoints endpoints;
    private final SafeUrlFetcher feeds;
    private final Duration timeout;

    private final FreshdeskVerifier freshdesk;
    private final GitbookVerifier gitbook;
    private final S3Verifier s3;
    private final AzureBlobVerifier azureBlob;
    private final GithubVerifier github;
    private final GuruVerifier guru;
    private final Document360Verifier document360;
    private final RssFeedVerifier rssFeed;

    /**
     * Where each service is. Templates hold {@code {domain}} (Freshdesk), {@code {region}}
     * (Spaces) or {@code {account}} (Azure); values are checked to be one DNS label before they
     * are filled in. Tests point these at fakes; without a placeholder a template is used as is.
     *
     * @param freshdesk          helpdesk URL template, {@code https://{domain}.freshdesk.com}
     * @param gitbook            API base, {@code https://api.gitbook.com/v1}
     * @param awsS3              S3 endpoint for us-east-1, {@code https://s3.amazonaws.com}
     * @param digitalOceanSpaces Spaces endpoint template, {@code https://{region}.digitaloceanspaces.com}
     * @param azureBlob          Blob endpoint template, {@code https://{account}.blob.core.windows.net}
     * @param github             API base, {@code https://api.github.com}
     * @param guru               API base, {@code https://api.getguru.com/api/v1}
     * @param document360        API hubs tried in order: {@code https://apihub.document360.io/v2}
     *                           (EU) and {@code https://apihub.us.document360.io/v2} (US)
     */
    public record Endpoints(String freshdesk, URI gitbook, URI awsS3, String digitalOceanSpaces, String azureBlob,
                            URI github, URI guru, List<URI> document360) {
        /** The names {@link #overriddenBy} knows. */
        public static final List<String> NAMES = List.of("freshdesk", "gitbook", "s3", "digitalocean_spaces",
                "azure_blob", "github", "guru", "document360");

        public Endpoints {
            freshdesk = trimSlash(Objects.requireNonNull(freshdesk, "freshdesk"));
            gitbook = trimSlash(Objects.requireNonNull(gitbook, "gitbook"));
            awsS3 = trimSlash(Objects.requireNonNull(awsS3, "awsS3"));
            digitalOceanSpaces = trimSlash(Objects.requireNonNull(digitalOceanSpaces, "digitalOceanSpaces"));
            azureBlob = trimSlash(Objects.requireNonNull(azureBlob, "azureBlob"));
            github = trimSlash(Objects.requireNonNull(github, "github"));
            guru = trimSlash(Objects.requireNonNull(guru, "guru"));
            document360 = document360.stream().map(Endpoints::trimSlash).toList();
            if (document360.isEmpty()) {
                throw new IllegalArgumentException("document360 needs at least one API hub");
            }
        }

        /** The real services. */
        public static Endpoints defaults() {
            return new Endpoints("https://{domain}.freshdesk.com", URI.create("https://api.gitbook.com/v1"),
                    URI.create("https://s3.amazonaws.com"), "https://{region}.digitaloceanspaces.com",
                    "https://{account}.blob.core.windows.net", URI.create("https://api.github.com"),
                    URI.create("https://api.getguru.com/api/v1"),
                    List.of(URI.create("https://apihub.document360.io/v2"), URI.create("https://apihub.us.document360.io/v2")));
        }

        /**
         * These endpoints with some replaced, by the names configuration uses: {@code freshdesk},
         * {@code gitbook}, {@code s3}, {@code digitalocean_spaces}, {@code azure_blob},
         * {@code github}, {@code guru}, {@code document360} (several hubs separated by commas).
         *
         * @throws IllegalArgumentException for any other name, listing the known ones
         */
        public Endpoints overriddenBy(Map<String, String> byName) {
            Endpoints out = this;
            for (Map.Entry<String, String> e : new TreeMap<>(byName).entrySet()) {
                String value = e.getValue().strip();
                out = switch (e.getKey()) {
                    case "freshdesk" -> out.withFreshdesk(value);
                    case "gitbook" -> out.withGitbook(URI.create(value));
                    case "s3" -> out.withAwsS3(URI.create(value));
                    case "digitalocean_spaces" -> out.withDigitalOceanSpaces(value);
                    case "azure_blob" -> out.withAzureBlob(value);
                    case "github" -> out.withGithub(URI.create(value));
                    case "guru" -> out.withGuru(URI.create(value));
                    case "document360" -> out.withDocument360(Arrays.stream(value.split(",")).map(String::strip)
                            .filter(hub -> !hub.isEmpty()).map(URI::create).toList());
                    default -> throw new IllegalArgumentException("Unknown connector endpoint '" + e.getKey()
                            + "'; known: " + String.join(", ", NAMES));
                };
            }
            return out;
        }

        public Endpoints withFreshdesk(String template) {
            return new Endpoints(template, gitbook, awsS3, digitalOceanSpaces, azureBlob, github, guru, document360);
        }

        public Endpoints withGitbook(URI base) {
            return new Endpoints(freshdesk, base, awsS3, digitalOceanSpaces, azureBlob, github, guru, document360);
        }

        public Endpoints withAwsS3(URI endpoint) {
            return new Endpoints(freshdesk, gitbook, endpoint, digitalOceanSpaces, azureBlob, github, guru, document360);
        }

        public Endpoints withDigitalOceanSpaces(String template) {
            return new Endpoints(freshdesk, gitbook, awsS3, template, azureBlob, github, guru, document360);
        }

        public Endpoints withAzureBlob(String template) {
            return new Endpoints(freshdesk, gitbook, awsS3, digitalOceanSpaces, template, github, guru, document360);
        }

        public Endpoints withGithub(URI base) {
            return new Endpoints(freshdesk, gitbook, awsS3, digitalOceanSpaces, azureBlob, base, guru, document360);
        }

        public Endpoints withGuru(URI base) {
            return new Endpoints(freshdesk, gitbook, awsS3, digitalOceanSpaces, azureBlob, github, base, document360);
        }

        public Endpoints withDocument360(List<URI> hubs) {
            return new Endpoints(freshdesk, gitbook, awsS3, digitalOceanSpaces, azureBlob, github, guru, hubs);
        }

        private static String trimSlash(String s) {
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }

        private static URI trimSlash(URI uri) {
            return URI.create(trimSlash(uri.toString()));
        }
    }

    /** With the default feed fetcher: no internal addresses, at most 10 MiB, 30 s. */
    public CredentialVerifiers(HttpClient http, Clock clock, Endpoints endpoints) {
        this(http, clock, endpoints, new SafeUrlFetcher(UrlPolicy.defaults().withMaxBytes(MAX_FEED_BYTES)
                .withTotalTimeout(Duration.ofSeconds(30))));
    }

    /** With {@code feeds} fetching RSS URLs (tests allowlist the loopback fake there). */
    public CredentialVerifiers(HttpClient http, Clock clock, Endpoints endpoints, SafeUrlFetcher feeds) {
        this(http, clock, endpoints, feeds, DEFAULT_TIMEOUT);
    }

    private CredentialVerifiers(HttpClient http, Clock clock, Endpoints endpoints, SafeUrlFetcher feeds,
                                Duration timeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.feeds = Objects.requireNonNull(feeds, "feeds");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        ProviderHttp calls = new ProviderHttp(http, timeout);
        this.freshdesk = new FreshdeskVerifier(calls, endpoints.freshdesk());
        this.gitbook = new GitbookVerifier(calls, endpoints.gitbook());
        this.s3 = new S3Verifier(calls, clock, endpoints.awsS3(), endpoints.digitalOceanSpaces());
        this.azureBlob = new AzureBlobVerifier(calls, clock, endpoints.azureBlob());
        this.github = new GithubVerifier(calls, endpoints.github());
        this.guru = new GuruVerifier(calls, endpoints.guru());
        this.document360 = new Document360Verifier(calls, endpoints.document360());
        this.rssFeed = new RssFeedVerifier(feeds);
    }

    /** The same verifiers with another per-call deadline. */
    public CredentialVerifiers withTimeout(Duration perCall) {
        if (perCall.isNegative() || perCall.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + perCall);
        }
        return new CredentialVerifiers(http, clock, endpoints, feeds, perCall);
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Every verifier, one per credential-based source type. */
    public List<CredentialVerifier> all() {
        return List.of(freshdesk, gitbook, s3, azureBlob, github, guru, document360, rssFeed);
    }

    /** {@code domain}: {@code acme}, {@code acme.freshdesk.com} or the helpdesk URL. */
    public Verification freshdesk(String domain, String apiKey) {
        return freshdesk.verify(domain, apiKey);
    }

    /** {@code organization}: the organization's title or id as GitBook shows it. */
    public Verification gitbook(String organization, String accessToken) {
        return gitbook.verify(organization, accessToken);
    }

    /** {@code endpointUrl}: empty for Amazon S3, {@code <region>.digitaloceanspaces.com} for Spaces. */
    public Verification s3(String accessKey, String secretKey, Optional<String> endpointUrl) {
        return s3.verify(accessKey, secretKey, endpointUrl == null ? Optional.empty() : endpointUrl);
    }

    public Verification azureBlob(String accountName, String accountKey) {
        return azureBlob.verify(accountName, accountKey);
    }

    /** The token must belong to {@code username}. */
    public Verification github(String username, String accessToken) {
        return github.verify(username, accessToken);
    }

    public Verification guru(String username, String accessToken) {
        return guru.verify(username, accessToken);
    }

    public Verification document360(String accountEmail, String accessToken) {
        return document360.verify(accountEmail, accessToken);
    }

    public Verification rssFeed(String url) {
        return rssFeed.verify(url);
    }
}
