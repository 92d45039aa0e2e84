package io.catchment.server.support;

import io.catchment.server.Catchment;
import io.catchment.server.ServerConfig;
import io.catchment.server.http.RateLimits;
import io.catchment.testing.time.MutableClock;
import io.catchment.testsupport.DatabaseKind;
import io.catchment.tenancy.Organization;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A whole Catchment on a free loopback port, on the chosen database, with a clock the test moves. */
public final class TestServer implements AutoCloseable {
    private final Catchment catchment;
    private final MutableClock clock;

    private TestServer(Catchment catchment, MutableClock clock) {
        this.catchment = catchment;
        this.clock = clock;
    }

    public static TestServer start(DatabaseKind kind, Path dir) {
        return start(kind, dir, config -> config);
    }

    public static TestServer start(DatabaseKind kind, Path dir, UnaryOperator<ServerConfig> tweak) {
        MutableClock clock = MutableClock.startingNow();
        ServerConfig config = ServerConfig.embedded(dir, 0).withHost("127.0.0.1").withDatabase(kind.settings(dir))
                .withRateLimits(new RateLimits(Map.of())) // unlimited unless a test sets limits
                .withShutdownGrace(java.time.Duration.ZERO); // idle keep-alive connections would hold stop for 1 s
        return new TestServer(Catchment.start(tweak.apply(config), clock), clock);
    }

    public MutableClock clock() {
        return clock;
    }

    public Catchment catchment() {
        return catchment;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + catchment.port();
    }

    /** No credentials. */
    public Client anonymous() {
        return new Client(baseUrl(), Map.of());
    }

    /** A new organization and a client holding one of its API keys. */
    public OrgHandle newOrganization(String name) {
        Organization org = catchment.organizations().create(name);
        String key = catchment.apiKeys().create(org.id(), "test").secret();
        return new OrgHandle(org.id(), key, anonymous().with("authorization", "Bearer " + key));
    }

    public record OrgHandle(long id, String apiKey, Client client) {
        public Client asCustomer(String customerId) {
            return client.with("customer-id", customerId);
        }
    }

    @Override
    public void close() {
        catchment.close();
    }
}
