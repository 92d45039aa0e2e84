package io.catchment.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.json.Json;
import io.catchment.store.Database;
import io.catchment.store.Page;
import io.catchment.store.SortDirection;
import io.catchment.testing.time.MutableClock;
import io.catchment.testsupport.DatabaseKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(DatabaseKind.class)
class TenancyStoresTest {
    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    Database db;
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Organizations organizations;
    ApiKeys apiKeys;
    Customers customers;
    AccessTokens tokens;

    @BeforeEach
    void open() {
        db = Database.open(kind.settings(dir));
        organizations = new Organizations(db.jdbi(), clock);
        apiKeys = new ApiKeys(db.jdbi(), clock);
        customers = new Customers(db.jdbi(), clock);
        tokens = new AccessTokens(db.jdbi(), clock, Duration.ofHours(10), Duration.ofDays(30));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void apiKeysAreStoredHashedAndStopWorkingWhenRevoked() {
        Organization org = organizations.create("Acme");
        NewApiKey first = apiKeys.create(org.id(), "one");
        NewApiKey second = apiKeys.create(org.id(), "two");

        assertThat(apiKeys.authenticate(first.secret())).map(ApiKey::id).contains(first.key().id());
        assertThat(apiKeys.authenticate(first.secret() + "x")).isEmpty();
        List<String> stored = db.jdbi().withHandle(h -> h.createQuery("SELECT key_hash || key_prefix FROM api_keys")
                .mapTo(String.class).list());
        assertThat(stored).noneMatch(s -> s.contains(first.secret()) || s.contains(second.secret()));
        assertThat(first.toString()).doesNotContain(first.secret());

        assertThat(apiKeys.revoke(org.id(), first.key().id())).isTrue();
        assertThat(apiKeys.authenticate(first.secret())).isEmpty();
        assertThat(apiKeys.authenticate(second.secret())).isPresent();
        assertThat(apiKeys.list(org.id())).extracting(ApiKey::isActive).containsExactly(false, true);

        Organization other = organizations.create("Other");
        assertThat(apiKeys.revoke(other.id(), second.key().id())).as("a key of another org").isFalse();
    }

    @Test
    void customersAreCreatedOnceEvenUnderConcurrentFirstUse() throws Exception {
        Organization org = organizations.create("Acme");
        Callable<Long> resolve = () -> customers.resolve(org.id(), "alice@example.com").id();
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Long> ids = pool.invokeAll(java.util.Collections.nCopies(16, resolve)).stream()
                    .map(f -> { try { return f.get(); } catch (Exception e) { throw new AssertionError(e); } })
                    .distinct().toList();
            assertThat(ids).hasSize(1);
        }
        Organization other = organizations.create("Other");
        Customer sameNameElsewhere = customers.resolve(other.id(), "alice@example.com");
        assertThat(sameNameElsewhere.id()).isNotEqualTo(customers.resolve(org.id(), "alice@example.com").id());
        assertThat(customers.find(other.id(), "bob")).isEmpty();
    }

    @Test
    void listsWithFiltersOrderPagingCursorAndCount() {
        Organization org = organizations.create("Acme");
        for (String id : List.of("a", "b", "c", "d", "e")) {
            customers.resolve(org.id(), id);
            clock.advance(Duration.ofSeconds(1));
        }
        customers.resolve(organizations.create("Other").id(), "zzz");

        CustomerPage newest = customers.list(org.id(), query(List.of(), SortDirection.DESC, new Page(2, 0, 0), true));
        assertThat(newest.customers()).extracting(Customer::suppliedId).containsExactly("e", "d");
        assertThat(newest.count()).hasValue(5);

        CustomerPage second = customers.list(org.id(), query(List.of(), SortDirection.DESC, new Page(2, 2, 0), false));
        assertThat(second.customers()).extracting(Customer::suppliedId).containsExactly("c", "b");
        assertThat(second.count()).isEmpty();

        long cId = second.customers().getFirst().id();
        CustomerPage afterCursor = customers.list(org.id(), query(List.of(), SortDirection.ASC, new Page(10, 0, cId), false));
        assertThat(afterCursor.customers()).extracting(Customer::suppliedId).containsExactly("d", "e");

        CustomerPage filtered = customers.list(org.id(), query(List.of("a", "e", "zzz"), SortDirection.ASC, Page.DEFAULT, true));
        assertThat(filtered.customers()).extracting(Customer::suppliedId).containsExactly("a", "e");
        assertThat(filtered.count()).hasValue(2);
    }

    @Test
    void configurationOverlaysAndOrganizationDefaultsApply() {
        Organization org = organizations.create("Acme");
        customers.resolve(org.id(), "a");
        customers.resolve(org.id(), "b");
        UserConfiguration limits = new UserConfiguration(Optional.of(new AutoSyncSources.Only(List.of("GOOGLE_DRIVE"))),
                OptionalInt.of(10), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.of(6));
        customers.updateConfiguration(org.id(), List.of("a"), limits);
        customers.updateConfiguration(org.id(), List.of("a"), new UserConfiguration(Optional.empty(), OptionalInt.empty(),
                OptionalInt.of(3), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty()));

        UserConfiguration a = customers.find(org.id(), "a").orElseThrow().configuration();
        assertThat(a.maxFiles()).hasValue(10);
        assertThat(a.maxFilesPerUpload()).as("second update adds, keeps the first").hasValue(3);
        assertThat(a.autoSyncInterval()).hasValue(6);
        assertThat(customers.find(org.id(), "b").orElseThrow().configuration()).isEqualTo(UserConfiguration.EMPTY);

        var drive = Json.object();
        drive.putObject("GOOGLE_DRIVE").putArray("allowed_file_formats").add("PDF");
        Organization updated = organizations.updateSettings(org.id(), new UserConfiguration(Optional.of(AutoSyncSources.ALL),
                OptionalInt.of(100), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty()), drive);
        assertThat(updated.dataSourceConfigs().at("/GOOGLE_DRIVE/allowed_file_formats/0").asText()).isEqualTo("PDF");
        UserConfiguration effectiveA = updated.globalUserConfig().overlay(a);
        assertThat(effectiveA.maxFiles()).as("customer's own value wins").hasValue(10);
        assertThat(effectiveA.autoSyncEnabledSources()).contains(new AutoSyncSources.Only(List.of("GOOGLE_DRIVE")));
        UserConfiguration effectiveB = updated.globalUserConfig().overlay(UserConfiguration.EMPTY);
        assertThat(effectiveB.maxFiles()).hasValue(100);
        assertThat(effectiveB.autoSyncEnabledSources()).contains(AutoSyncSources.ALL);
    }

    @Test
    void accessTokensExpireAndDieWithTheirKeyOrCustomer() {
        Organization org = organizations.create("Acme");
        NewApiKey key = apiKeys.create(org.id(), "k");
        Customer alice = customers.resolve(org.id(), "alice");
        TokenPair pair = tokens.mint(alice.id(), key.key().id());

        assertThat(tokens.authenticate(pair.accessToken()))
                .contains(new TokenGrant(org.id(), alice.id(), key.key().id()));
        assertThat(pair.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(10)));
        clock.advance(Duration.ofHours(10).minusSeconds(1));
        assertThat(tokens.authenticate(pair.accessToken())).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.authenticate(pair.accessToken())).as("expired at 10 h").isEmpty();

        TokenPair fresh = tokens.mint(alice.id(), key.key().id());
        apiKeys.revoke(org.id(), key.key().id());
        assertThat(tokens.authenticate(fresh.accessToken())).as("minting key revoked").isEmpty();

        NewApiKey key2 = apiKeys.create(org.id(), "k2");
        TokenPair third = tokens.mint(alice.id(), key2.key().id());
        assertThat(customers.delete(org.id(), List.of("alice"))).isEqualTo(1);
        assertThat(tokens.authenticate(third.accessToken())).as("customer deleted").isEmpty();
    }

    @Test
    void refreshTokensWorkOnceAndRevokeTheOldPair() {
        Organization org = organizations.create("Acme");
        NewApiKey key = apiKeys.create(org.id(), "k");
        Customer alice = customers.resolve(org.id(), "alice");
        TokenPair pair = tokens.mint(alice.id(), key.key().id());

        TokenPair next = tokens.refresh(pair.refreshToken()).orElseThrow();
        assertThat(tokens.authenticate(next.accessToken())).isPresent();
        assertThat(tokens.authenticate(pair.accessToken())).isEmpty();
        assertThat(tokens.refresh(pair.refreshToken())).as("second use").isEmpty();
        assertThat(tokens.refresh(next.accessToken())).as("an access token is no refresh token").isEmpty();
    }

    private static CustomerQuery query(List<String> ids, SortDirection dir, Page page, boolean count) {
        return new CustomerQuery(ids, List.of(), CustomerQuery.OrderBy.CREATED_AT, dir, page, count);
    }
}
