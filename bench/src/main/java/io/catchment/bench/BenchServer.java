package io.catchment.bench;

import io.catchment.server.Catchment;
import io.catchment.server.ServerConfig;
import io.catchment.server.http.RateLimits;
import io.catchment.tenancy.Organization;
import io.catchment.testing.time.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A whole Catchment in this JVM ({@link Catchment#start}) on a free loopback port, with the
 * embedded defaults (H2 file, Lucene, local model) in a fresh temporary directory that is deleted
 * on close. Rate limits are off unless the caller sets them (the benchmarks measure the server,
 * not Carbon's per-key tiers). The clock is a {@link MutableClock} so a benchmark can make an
 * auto-sync due without waiting hours.
 */
final class BenchServer implements AutoCloseable {
    final Path dir;
    final MutableClock clock;
    final Catchment catchment;
    final String baseUrl;

    private BenchServer(Path dir, MutableClock clock, Catchment catchment) {
        this.dir = dir;
        this.clock = clock;
        this.catchment = catchment;
        this.baseUrl = "http://127.0.0.1:" + catchment.port();
    }

    static BenchServer start(UnaryOperator<ServerConfig> tweak) {
        try {
            Path dir = Files.createTempDirectory("catchment-bench-server-");
            MutableClock clock = MutableClock.startingNow();
            ServerConfig config = ServerConfig.embedded(dir, 0).withHost("127.0.0.1")
                    .withRateLimits(new RateLimits(Map.of()))
                    .withShutdownGrace(Duration.ZERO);
            return new BenchServer(dir, clock, Catchment.start(tweak.apply(config), clock));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new organization and a client acting for one of its customers with a new API key. */
    Http customer(String orgName, String customerId) {
        return client(apiKey(orgName), customerId);
    }

    /** A new organization and the secret of a new API key of it. */
    String apiKey(String orgName) {
        Organization org = catchment.organizations().create(orgName);
        return catchment.apiKeys().create(org.id(), "bench").secret();
    }

    /** A client acting for {@code customerId} with {@code apiKey}. */
    Http client(String apiKey, String customerId) {
        return new Http(baseUrl, Map.of("authorization", "Bearer " + apiKey, "customer-id", customerId));
    }

    @Override
    public void close() {
        catchment.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            SearchBench.progress("could not delete %s: %s", dir, e);
        }
    }
}
