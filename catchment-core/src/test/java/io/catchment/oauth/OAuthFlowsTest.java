package io.catchment.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.crypto.MasterKeys;
import io.catchment.crypto.SecretBox;
import io.catchment.json.Json;
import io.catchment.store.Database;
import io.catchment.tenancy.Customers;
import io.catchment.tenancy.Organizations;
import io.catchment.testing.time.MutableClock;
import io.catchment.testsupport.DatabaseKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pending OAuth flows: a state is random, used once, expires, is bound to its organization,
 * customer and service, and is stored only as a hash beside a sealed payload.
 */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class OAuthFlowsTest {
    static final String VERIFIER = "pkce-verifier-6c0f0a3f7d9e4b1a8c2d";

    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    final MutableClock clock = MutableClock.startingNow();
    Database db;
    OAuthFlows flows;
    long org;
    long customer;

    @BeforeEach
    void open() {
        db = Database.open(kind.settings(dir));
        flows = new OAuthFlows(db.jdbi(), new SecretBox(MasterKeys.generate("k1")), clock);
        org = new Organizations(db.jdbi(), clock).create("Acme").id();
        customer = new Customers(db.jdbi(), clock).resolve(org, "alice").id();
    }

    @AfterEach
    void close() {
        db.close();
    }

    static ObjectNode payload() {
        ObjectNode p = Json.object().put("code_verifier", VERIFIER).put("client_id", "client-1");
        p.putObject("sync_settings").put("chunk_size", 900);
        return p;
    }

    OAuthFlows.Started start() {
        return flows.start(OAuthFlows.Kind.OAUTH, org, customer, OAuthService.GOOGLE_DRIVE, payload(), OAuthFlows.OAUTH_TTL);
    }

    @Test
    void aStateIsClaimedOnceWithWhatItWasStartedWith() {
        OAuthFlows.Started started = start();
        assertThat(started.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));

        OAuthFlows.Claim claim = flows.claim(started.state());
        assertThat(claim).isInstanceOf(OAuthFlows.Claim.Claimed.class);
        OAuthFlows.Flow flow = ((OAuthFlows.Claim.Claimed) claim).flow();
        assertThat(flow.kind()).isEqualTo(OAuthFlows.Kind.OAUTH);
        assertThat(flow.organizationId()).isEqualTo(org);
        assertThat(flow.customerId()).isEqualTo(customer);
        assertThat(flow.service()).isEqualTo(OAuthService.GOOGLE_DRIVE);
        assertThat(flow.payload()).isEqualTo(payload());

        assertThat(flows.claim(started.state())).isInstanceOf(OAuthFlows.Claim.AlreadyUsed.class);
    }

    @Test
    void statesAreRandomAndUrlSafe() {
        Set<String> states = new HashSet<>();
        for (int i = 0; i < 200; i++) states.add(flows.newState());
        assertThat(states).hasSize(200).allSatisfy(s -> assertThat(s).matches("[A-Za-z0-9_-]{43}"));
    }

    @Test
    void anAlteredMissingOrOversizedStateIsUnknownAndDoesNotSpendTheRealOne() {
        OAuthFlows.Started started = start();
        String state = started.state();
        char first = state.charAt(0);
        String altered = (first == 'a' ? 'b' : 'a') + state.substring(1);
        for (String wrong : new String[] {altered, state + "x", state.substring(1), "", "   ", "x".repeat(5000)}) {
            assertThat(flows.claim(wrong)).as(wrong).isInstanceOf(OAuthFlows.Claim.Unknown.class);
        }
        assertThat(flows.claim(null)).isInstanceOf(OAuthFlows.Claim.Unknown.class);
        assertThat(flows.claim(state)).isInstanceOf(OAuthFlows.Claim.Claimed.class);
    }

    @Test
    void aStateExpiresAfterItsLifetime() {
        OAuthFlows.Started onTime = start();
        OAuthFlows.Started late = start();
        clock.advance(OAuthFlows.OAUTH_TTL.minusSeconds(1));
        assertThat(flows.claim(onTime.state())).isInstanceOf(OAuthFlows.Claim.Claimed.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(flows.claim(late.state())).as("at fifteen minutes").isInstanceOf(OAuthFlows.Claim.Expired.class);
        assertThat(flows.claim(late.state())).as("still expired, not \"already used\"").isInstanceOf(OAuthFlows.Claim.Expired.class);

        OAuthFlows.Started sync = flows.start(OAuthFlows.Kind.SYNC_URL, org, customer, OAuthService.BOX,
                Json.object().put("data_source_id", 7), Duration.ofMinutes(30));
        clock.advance(Duration.ofMinutes(16));
        assertThat(flows.claim(sync.state())).as("each flow has its own lifetime").isInstanceOf(OAuthFlows.Claim.Claimed.class);
    }

    @Test
    void concurrentClaimsOfOneStateHaveOneWinner() throws Exception {
        String state = start().state();
        List<OAuthFlows.Claim> claims = concurrently(8, () -> flows.claim(state));
        assertThat(claims).filteredOn(c -> c instanceof OAuthFlows.Claim.Claimed).hasSize(1);
        assertThat(claims).filteredOn(c -> c instanceof OAuthFlows.Claim.AlreadyUsed).hasSize(7);
    }

    @Test
    void onlyTheStatesHashAndTheSealedPayloadAreStored() throws Exception {
        String state = start().state();
        record Row(String hash, String payload) {}
        Row row = db.jdbi().withHandle(h -> h.createQuery("SELECT state_hash, sealed_payload FROM oauth_flows")
                .map((rs, ctx) -> new Row(rs.getString("state_hash"), rs.getString("sealed_payload"))).one());
        assertThat(row.hash()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(state.getBytes(StandardCharsets.UTF_8))));
        assertThat(row.payload()).doesNotContain(VERIFIER).doesNotContain("client-1").doesNotContain(state);
    }

    @Test
    void aPayloadMovedToAnotherStateDoesNotOpen() {
        String mine = start().state();
        String other = flows.start(OAuthFlows.Kind.OAUTH, org, customer, OAuthService.GOOGLE_DRIVE,
                Json.object().put("code_verifier", "someone-elses"), OAuthFlows.OAUTH_TTL).state();
        // Someone with database access copies one flow's sealed payload onto another state's row.
        db.jdbi().useHandle(h -> h.createUpdate("""
                UPDATE oauth_flows SET sealed_payload = (SELECT sealed_payload FROM oauth_flows f WHERE f.state_hash = :mine)
                WHERE state_hash = :other""").bind("mine", hash(mine)).bind("other", hash(other)).execute());
        assertThat(flows.claim(other)).as("sealed for its own state").isInstanceOf(OAuthFlows.Claim.Unknown.class);
        assertThat(flows.claim(mine)).isInstanceOf(OAuthFlows.Claim.Claimed.class);
    }

    @Test
    void purgeDeletesFlowsEndedMoreThanADayAgo() {
        String old = start().state();
        clock.advance(Duration.ofDays(1).plusMinutes(16));
        String recent = start().state();
        assertThat(flows.purge()).isEqualTo(1);
        assertThat(flows.claim(old)).isInstanceOf(OAuthFlows.Claim.Unknown.class);
        assertThat(flows.claim(recent)).isInstanceOf(OAuthFlows.Claim.Claimed.class);
    }

    static String hash(String state) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> List<T> concurrently(int n, Callable<T> task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
