package io.catchment.connector;

import io.catchment.datasource.DataSource;
import io.catchment.http.Authenticator;
import io.catchment.http.RateLimitSignal;
import io.catchment.http.SyncFailure;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A content source. The engine drives it; it never stores anything itself.
 * <ul>
 *   <li>{@link #crawl} walks the whole tree page by page from a checkpoint;</li>
 *   <li>{@link #changeCursor} and {@link #changes} read the provider's change feed, when it has
 *       one (empty cursor: the engine crawls again and compares versions instead);</li>
 *   <li>{@link #fetch} writes one file's content (downloaded or exported) to a path.</li>
 * </ul>
 * Failures that stop the sync are {@link SyncFailure}s (from {@code ProviderHttp} or the
 * connector); a single item's trouble is an {@link ItemFailure}.
 */
public interface Connector {
    DataSourceType type();

    /** One page of the crawl; {@code from} empty starts at the roots. */
    CrawlPage crawl(Connection c, Optional<Checkpoint> from) throws SyncFailure;

    /**
     * The change feed's "now", taken before a crawl starts so nothing that happens during the
     * crawl is missed. Empty (the default) when the provider has no change feed: the engine then
     * crawls again and compares versions.
     */
    default Optional<Checkpoint> changeCursor(Connection c) throws SyncFailure {
        return Optional.empty();
    }

    /** Changes since {@code cursor} (one page). Only called for connectors with a change cursor. */
    default ChangePage changes(Connection c, Checkpoint cursor) throws SyncFailure {
        return new ChangePage.Reset(type() + " has no change feed; crawl again and compare versions");
    }

    /** Writes the item's content to {@code target}. */
    Fetched fetch(Connection c, SourceItem item, Path target) throws SyncFailure, ItemFailure;

    /** Provider-specific "slow down" answers beyond 429 (Google's 403 rateLimitExceeded, ...). */
    default RateLimitSignal rateLimits() {
        return (response, now) -> Optional.empty();
    }

    /**
     * For key-based connections (S3, Azure): signs requests with the stored keys. OAuth connectors
     * keep the default; the engine gives them bearer tokens it refreshes.
     */
    default Optional<Authenticator> keyAuthenticator(DataSource dataSource, Map<String, String> secrets) {
        return Optional.empty();
    }
}
