package io.catchment.connectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.connector.Checkpoint;
import io.catchment.connector.ChangePage;
import io.catchment.connector.Connection;
import io.catchment.connector.Connector;
import io.catchment.connector.CrawlPage;
import io.catchment.connector.DataSourceType;
import io.catchment.connector.SourceItem;
import io.catchment.datasource.DataSource;
import io.catchment.datasource.SyncAction;
import io.catchment.datasource.SyncStatus;
import io.catchment.http.Authenticator;
import io.catchment.http.HttpPolicy;
import io.catchment.http.ProviderHttp;
import io.catchment.http.ProviderRequest;
import io.catchment.http.SyncFailure;
import io.catchment.json.Json;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Drives one connector against its fake the way the sync engine does, without the engine: a real
 * {@link ProviderHttp} over a real socket, a data source record with the given metadata, and
 * helpers to crawl to the end or read a change feed until it is caught up.
 */
public final class ConnectorHarness {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ConnectorHarness() {}

    /** Bearer tokens from {@code token}; after a 401 the harness asks once more and retries if the token changed. */
    public static Authenticator bearer(Supplier<String> token) {
        return new Authenticator() {
            private String sent = "";

            @Override
            public void authenticate(ProviderRequest request, Map<String, String> headers) {
                sent = token.get();
                headers.put("Authorization", "Bearer " + sent);
            }

            @Override
            public boolean renewAfterRejection() {
                return !token.get().equals(sent);
            }
        };
    }

    public static DataSource dataSource(DataSourceType type, ObjectNode metadata) {
        Instant now = Instant.now();
        return new DataSource(1, 1, 1, type, "account-1", metadata, SyncStatus.READY, SyncAction.ADD, false,
                Optional.empty(), Json.object(), Json.object(), Optional.empty(), Optional.empty(), now,
                Optional.empty(), Optional.empty(), now, now);
    }

    /** Waits are shortened so a test can sit through a 429 with {@code Retry-After: 1}. */
    public static Connection connection(Connector connector, DataSource source, Authenticator auth, Optional<String> apiBase) {
        ProviderHttp http = new ProviderHttp(HTTP, auth, connector.rateLimits().or(io.catchment.http.RateLimitSignal.STANDARD),
                HttpPolicy.defaults().withWaits(Duration.ofMillis(20), Duration.ofSeconds(2)), new Semaphore(4),
                Clock.systemUTC(), "test " + source.type());
        return new Connection(source, http, apiBase);
    }

    /** Every item of a full crawl, following checkpoints (each page's checkpoint is round-tripped through JSON). */
    public static List<SourceItem> crawlAll(Connector connector, Connection c) throws SyncFailure {
        List<SourceItem> all = new ArrayList<>();
        Optional<Checkpoint> at = Optional.empty();
        do {
            CrawlPage page = connector.crawl(c, at);
            all.addAll(page.items());
            at = page.next().map(cp -> Checkpoint.parse(cp.json()));
        } while (at.isPresent());
        return all;
    }

    /** The changes since {@code cursor} until the feed is caught up, and the cursor to keep. */
    public record Caught(List<SourceItem> changed, List<String> removed, Checkpoint cursor) {}

    public static Caught changesUntilCaughtUp(Connector connector, Connection c, Checkpoint cursor) throws SyncFailure {
        List<SourceItem> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        Checkpoint at = cursor;
        while (true) {
            ChangePage page = connector.changes(c, Checkpoint.parse(at.json()));
            if (!(page instanceof ChangePage.Changes ch)) throw new AssertionError("change feed reset: " + page);
            changed.addAll(ch.changed());
            removed.addAll(ch.removed());
            at = ch.cursor();
            if (!ch.more()) return new Caught(changed, removed, at);
        }
    }
}
