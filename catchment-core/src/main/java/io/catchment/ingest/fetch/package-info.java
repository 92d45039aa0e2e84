/**
 * Safe downloads of user-supplied URLs ({@code POST /upload_file_from_url}):
 * {@link io.catchment.ingest.fetch.SafeUrlFetcher} fetches only http(s) URLs whose every
 * resolved address is public (or whose host is allowlisted in the
 * {@link io.catchment.ingest.fetch.UrlPolicy}), connects to exactly the addresses it checked,
 * re-checks every redirect hop, streams to disk within a size limit and a total deadline, and
 * reports a {@link io.catchment.ingest.fetch.FetchResult}: fetched, refused by policy, or failed
 * (retryable or not).
 */
package io.catchment.ingest.fetch;
