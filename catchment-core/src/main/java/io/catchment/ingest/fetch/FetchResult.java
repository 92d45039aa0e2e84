package io.catchment.ingest.fetch;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** The outcome of {@link SafeUrlFetcher#fetch}. */
public sealed interface FetchResult {

    /**
     * The body is complete in {@code file}.
     *
     * @param file        the destination that was asked for
     * @param size        bytes written
     * @param contentType the response's Content-Type header as sent (parameters included)
     * @param fileName    a safe display name: the Content-Disposition filename, else the last
     *                    segment of the final URL's path, URL-decoded and sanitised; "download"
     *                    when neither gives one
     * @param finalUri    the URL that answered, after redirects
     */
    record Fetched(Path file, long size, Optional<String> contentType, String fileName, URI finalUri)
            implements FetchResult {
        public Fetched {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(finalUri, "finalUri");
        }
    }

    /**
     * The policy forbids this fetch (scheme, credentials, internal address, too many redirects,
     * too large). Retrying will not help; changing the URL or the configuration may.
     */
    record Refused(String reason) implements FetchResult {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The fetch was allowed but did not succeed: a network error or timeout ({@code retryable}),
     * an HTTP 5xx, 429 or 408 ({@code retryable}), or another HTTP error status (not retryable).
     */
    record Failed(String reason, boolean retryable) implements FetchResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
