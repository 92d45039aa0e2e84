package io.catchment.oauth;

import static io.catchment.oauth.TokenTestSpecs.APP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.catchment.crypto.MasterKeys;
import io.catchment.crypto.SecretBox;
import io.catchment.datasource.Credentials;
import io.catchment.datasource.DataSource;
import io.catchment.datasource.DataSources;
import io.catchment.datasource.NewConnection;
import io.catchment.datasource.SyncStatus;
import io.catchment.json.Json;
import io.catchment.store.Database;
import io.catchment.tenancy.Customers;
import io.catchment.tenancy.Organizations;
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.oauth.FakeOAuthProvider;
import io.catchment.testing.time.MutableClock;
import io.catchment.testsupport.DatabaseKind;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fresh access tokens for stored OAuth data sources, against fakes that rotate, keep or refuse
 * refresh tokens the way the real providers do, with real {@link DataSources} on H2 and PostgreSQL.
 */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class ProviderTokensTest {
    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    final MutableClock clock = MutableClock.startingNow();
    final HttpClient http = HttpClient.newHttpClient();
    final TokenClient tokenClient = new TokenClient(http, clock, Duration.ofSeconds(10),
            List.of(Duration.ofMillis(5), Duration.ofMillis(10)));
    final List<FakeOAuthProvider> fakes = new ArrayList<>();
    Database db;
    DataSources dataSources;
    long org;
    long customer;

    @BeforeEach
    void open() {
        db = Database.open(kind.settings(dir));
        dataSources = new DataSources(db.jdbi(), new SecretBox(MasterKeys.generate("k1")), clock);
        org = new Organizations(db.jdbi(), clock).create("Acme").id();
        customer = new Customers(db.jdbi(), clock).resolve(org, "alice").id();
    }

    @AfterEach
    void close() {
        fakes.forEach(FakeOAuthProvider::close);
        db.close();
    }

    FakeOAuthProvider fake(OAuthService service) {
        FakeOAuthProvider fake = new FakeOAuthProvider(service.name(), APP.clientId(), APP.clientSecret());
        fakes.add(fake);
        return fake;
    }

    static ProviderCatalog catalog(FakeOAuthProvider fake) {
        return ProviderCatalog.bundled().withOverrides(Map.of(OAuthService.valueOf(fake.service()),
                UrlOverrides.fromMap(fake.urls())));
    }

    /** The server's app for the fake's service, as configuration would give it. */
    ProviderTokens providerTokens(FakeOAuthProvider fake) {
        return new ProviderTokens(dataSources, catalog(fake),
                new ClientApps(Map.of(OAuthService.valueOf(fake.service()), APP), (o, s) -> Optional.empty()),
                tokenClient, clock);
    }

    /** A user's consent at the fake and the code exchange, stored as a data source the way the callback stores it. */
    long connect(FakeOAuthProvider fake, TemplateValues values, Map<String, String> extras) throws OAuthException {
        OAuthService service = OAuthService.valueOf(fake.service());
        TokenSet t = TokenTestSpecs.connect(tokenClient, fake, catalog(fake).spec(service), values);
        Map<String, String> all = new LinkedHashMap<>(extras);
        all.putIfAbsent("client_id", APP.clientId());
        values.values().forEach((k, v) -> all.put("template." + k, v));
        Credentials credentials = new Credentials.OAuthTokens(t.accessToken(), t.refreshToken(), t.expiresAt(), t.scope(), all);
        return dataSources.connect(new NewConnection(org, customer, service.dataSourceType(), "acct-" + service,
                Json.object(), Json.object(), Json.object(), credentials)).dataSource().id();
    }

    long connect(FakeOAuthProvider fake) throws OAuthException {
        return connect(fake, TemplateValues.NONE, Map.of());
    }

    Credentials.OAuthTokens stored(long id) {
        return (Credentials.OAuthTokens) dataSources.credentials(id).orElseThrow();
    }

    @Test
    void theSweepRefreshesOnlyTokensExpiringSoonAndMarksADeadGrant() throws Exception {
        FakeOAuthProvider box = fake(OAuthService.BOX).tokenLifetimeSeconds(600);
        long soon = connect(box);
        box.tokenLifetimeSeconds(3600);
        long later = dataSources.connect(new NewConnection(org, customer, io.catchment.connector.DataSourceType.BOX,
                "acct-later", Json.object(), Json.object(), Json.object(),
                new Credentials.OAuthTokens(stored(soon).accessToken(), stored(soon).refreshToken(),
                        Optional.of(clock.instant().plus(Duration.ofHours(2))), Optional.empty(), stored(soon).extras())))
                .dataSource().id();
        ProviderTokens tokens = providerTokens(box);
        String before = stored(soon).accessToken();

        assertThat(tokens.refreshExpiring()).as("ten minutes left is within the sweep's horizon").isEqualTo(1);
        assertThat(stored(soon).accessToken()).isNotEqualTo(before);
        assertThat(stored(later).expiresAt().orElseThrow()).as("two hours left: untouched")
                .isCloseTo(clock.instant().plus(Duration.ofHours(2)), within(1, ChronoUnit.MILLIS));
        assertThat(box.refreshRequests()).isEqualTo(1);
        assertThat(tokens.refreshExpiring()).as("nothing is due any more").isZero();

        clock.advance(Duration.ofMinutes(50));
        box.revokeRefreshTokens();
        assertThat(tokens.refreshExpiring()).isZero();
        assertThat(dataSources.find(soon).orElseThrow().syncStatus()).isEqualTo(io.catchment.datasource.SyncStatus.SYNC_ERROR);
        assertThat(dataSources.find(soon).orElseThrow().syncErrorMessage().orElseThrow()).startsWith("Reauthorization required");
        assertThat(dataSources.expiringBefore(clock.instant().plus(Duration.ofHours(1)))).as("a dead grant is not retried")
                .doesNotContain(soon);
    }

    @Test
    void aTokenAboutToExpireIsRefreshedBeforeItIsHandedOutAndAFreshOneIsNot() throws Exception {
        FakeOAuthProvider google = fake(OAuthService.GOOGLE_DRIVE).tokenLifetimeSeconds(60);
        long id = connect(google);
        Credentials.OAuthTokens before = stored(id);
        google.tokenLifetimeSeconds(3600);
        ProviderTokens tokens = providerTokens(google);

        String access = tokens.accessToken(id);
        assertThat(access).as("a minute left is too little").isNotEqualTo(before.accessToken());
        assertThat(google.refreshRequests()).isEqualTo(1);
        assertThat(google.isValidAccessToken(access)).isTrue();
        Credentials.OAuthTokens after = stored(id);
        assertThat(after.accessToken()).isEqualTo(access);
        assertThat(after.expiresAt().orElseThrow()).isAfter(clock.instant().plus(Duration.ofMinutes(55)));
        assertThat(dataSources.find(id).orElseThrow().tokenExpiresAt().orElseThrow()).as("the expiry column follows")
                .isCloseTo(after.expiresAt().orElseThrow(), within(1, ChronoUnit.SECONDS));
        assertThat(after.extras()).as("what the connection needs later is kept").isEqualTo(before.extras());

        assertThat(tokens.accessToken(id)).as("fresh: handed out as it is").isEqualTo(access);
        assertThat(google.refreshRequests()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(56)); // within five minutes of expiry
        String next = tokens.accessToken(id);
        assertThat(next).isNotEqualTo(access);
        assertThat(google.refreshRequests()).isEqualTo(2);
    }

    @Test
    void eightConcurrentCallersCauseOneRefreshOfARotatingToken() throws Exception {
        FakeOAuthProvider box = fake(OAuthService.BOX).tokenLifetimeSeconds(60);
        long id = connect(box);
        String originalRefresh = stored(id).refreshToken().orElseThrow();
        box.tokenLifetimeSeconds(3600);
        box.delayEachAnswer(100); // a slow provider: every caller arrives while the refresh is in flight
        ProviderTokens tokens = providerTokens(box);

        List<String> answers = concurrently(8, () -> tokens.accessToken(id));

        assertThat(box.refreshRequests()).as("one refresh: a second would use the rotated-away refresh token").isEqualTo(1);
        assertThat(new HashSet<>(answers)).hasSize(1);
        assertThat(box.isValidAccessToken(answers.getFirst())).isTrue();
        String rotated = stored(id).refreshToken().orElseThrow();
        assertThat(rotated).as("the newest refresh token is kept").isNotEqualTo(originalRefresh);
        OAuthException dead = catchThrowableOfType(OAuthException.class, () -> tokenClient.refresh(
                catalog(box).spec(OAuthService.BOX), APP, TemplateValues.NONE, originalRefresh));
        assertThat(dead.kind()).isEqualTo(OAuthException.Kind.INVALID_GRANT);
        assertThat(dataSources.find(id).orElseThrow().syncStatus()).isEqualTo(SyncStatus.READY);
    }

    @Test
    void twoProcessesRefreshingTheSameDataSourceStillRefreshOnce() throws Exception {
        FakeOAuthProvider onedrive = fake(OAuthService.ONEDRIVE).tokenLifetimeSeconds(60);
        long id = connect(onedrive);
        onedrive.tokenLifetimeSeconds(3600);
        onedrive.delayEachAnswer(100);
        // Two instances share nothing but the database, as two servers do: only the row lock serializes them.
        ProviderTokens first = providerTokens(onedrive);
        ProviderTokens second = providerTokens(onedrive);

        AtomicInteger turn = new AtomicInteger();
        List<String> answers = concurrently(8, () -> (turn.getAndIncrement() % 2 == 0 ? first : second).accessToken(id));
        assertThat(onedrive.refreshRequests()).isEqualTo(1);
        assertThat(new HashSet<>(answers)).hasSize(1);
    }

    @Test
    void aRefreshWithoutANewRefreshTokenKeepsTheOldOne() throws Exception {
        FakeOAuthProvider google = fake(OAuthService.GMAIL).tokenLifetimeSeconds(60);
        long id = connect(google);
        String refresh = stored(id).refreshToken().orElseThrow();
        ProviderTokens tokens = providerTokens(google);

        tokens.accessToken(id);
        assertThat(google.refreshRequests()).isEqualTo(1);
        assertThat(stored(id).refreshToken()).as("Google sends none back: the old one stays").contains(refresh);

        tokens.accessToken(id); // the refreshed token lives a minute too: refreshed again with the kept refresh token
        assertThat(google.refreshRequests()).isEqualTo(2);
        assertThat(stored(id).refreshToken()).contains(refresh);
        assertThat(google.isValidAccessToken(stored(id).accessToken())).isTrue();
    }

    @Test
    void aRevokedGrantEndsInSyncErrorWithReauthorizationRequired() throws Exception {
        FakeOAuthProvider box = fake(OAuthService.BOX).tokenLifetimeSeconds(60);
        long id = connect(box);
        Credentials.OAuthTokens before = stored(id);
        box.revokeRefreshTokens(); // the user removed the app at Box
        ProviderTokens tokens = providerTokens(box);

        OAuthException e = catchThrowableOfType(OAuthException.class, () -> tokens.accessToken(id));
        assertThat(e.kind()).isEqualTo(OAuthException.Kind.INVALID_GRANT);
        assertThat(e.getMessage()).doesNotContain(before.refreshToken().orElseThrow()).doesNotContain(APP.clientSecret());
        DataSource ds = dataSources.find(id).orElseThrow();
        assertThat(ds.syncStatus()).isEqualTo(SyncStatus.SYNC_ERROR);
        assertThat(ds.syncErrorMessage().orElseThrow()).startsWith("Reauthorization required");
        assertThat(stored(id)).as("nothing half-written").isEqualTo(before);
    }

    @Test
    void withoutARefreshTokenAnExpiringTokenNeedsAReconnection() throws Exception {
        FakeOAuthProvider box = fake(OAuthService.BOX).tokenLifetimeSeconds(60).issueRefreshTokens(false);
        long id = connect(box);
        OAuthException e = catchThrowableOfType(OAuthException.class, () -> providerTokens(box).accessToken(id));
        assertThat(e.kind()).isEqualTo(OAuthException.Kind.INVALID_GRANT);
        assertThat(box.refreshRequests()).isZero();
        assertThat(dataSources.find(id).orElseThrow().syncErrorMessage().orElseThrow()).startsWith("Reauthorization required");
    }

    @Test
    void anUnreachableProviderIsNotAReauthorization() throws Exception {
        FakeOAuthProvider google = fake(OAuthService.GOOGLE_DRIVE).tokenLifetimeSeconds(60);
        long id = connect(google);
        Credentials.OAuthTokens before = stored(id);
        Reply down = Reply.json(503, Map.of("error", "temporarily_unavailable"));
        google.failNext(down, down, down);

        OAuthException e = catchThrowableOfType(OAuthException.class, () -> providerTokens(google).accessToken(id));
        assertThat(e.kind()).isEqualTo(OAuthException.Kind.UNREACHABLE);
        assertThat(dataSources.find(id).orElseThrow().syncStatus()).as("try again later").isEqualTo(SyncStatus.READY);
        assertThat(stored(id)).isEqualTo(before);
        assertThat(providerTokens(google).accessToken(id)).as("once it is back").isNotEqualTo(before.accessToken());
    }

    @Test
    void anAppThatIsNoLongerConfiguredNeedsAReconnection() throws Exception {
        FakeOAuthProvider box = fake(OAuthService.BOX).tokenLifetimeSeconds(60);
        long id = connect(box);
        ProviderTokens withoutApp = new ProviderTokens(dataSources, catalog(box),
                new ClientApps(Map.of(), (o, s) -> Optional.empty()), tokenClient, clock);
        OAuthException e = catchThrowableOfType(OAuthException.class, () -> withoutApp.accessToken(id));
        assertThat(e.kind()).isEqualTo(OAuthException.Kind.INVALID_CLIENT);
        assertThat(box.refreshRequests()).isZero();
        assertThat(dataSources.find(id).orElseThrow().syncStatus()).isEqualTo(SyncStatus.SYNC_ERROR);
    }

    @Test
    void afterA401TheTokenIsRefreshedOnceHoweverManyCallersWereRefused() throws Exception {
        // Salesforce tells no lifetime: its token is refreshed when the API refuses it.
        FakeOAuthProvider salesforce = fake(OAuthService.SALESFORCE);
        long id = connect(salesforce, new TemplateValues(Map.of("domain", "acme.my")), Map.of());
        String rejected = stored(id).accessToken();
        ProviderTokens tokens = providerTokens(salesforce);
        assertThat(tokens.accessToken(id)).as("no expiry: used until refused").isEqualTo(rejected);
        assertThat(salesforce.refreshRequests()).isZero();

        String fresh = tokens.refreshAfterRejection(id, rejected);
        assertThat(fresh).isNotEqualTo(rejected);
        assertThat(salesforce.refreshRequests()).isEqualTo(1);
        assertThat(salesforce.requests().stream().filter(r -> r.path().endsWith("/services/oauth2/token")).toList()
                .getLast().path()).as("the template the connection was made with").isEqualTo("/acme.my/services/oauth2/token");
        assertThat(tokens.refreshAfterRejection(id, rejected)).as("another caller refused with the old token")
                .isEqualTo(fresh);
        assertThat(salesforce.refreshRequests()).isEqualTo(1);
        assertThat(tokens.accessToken(id)).isEqualTo(fresh);
    }

    @Test
    void aPerConnectionAppRefreshesWithoutAServerApp() throws Exception {
        // ServiceNow: the customer's own app on their instance, kept with the connection.
        FakeOAuthProvider servicenow = fake(OAuthService.SERVICENOW).tokenLifetimeSeconds(60);
        long id = connect(servicenow, new TemplateValues(Map.of("instance", "dev12345")),
                Map.of("client_id", APP.clientId(), "client_secret", APP.clientSecret()));
        String refresh = stored(id).refreshToken().orElseThrow();
        ProviderTokens noServerApp = new ProviderTokens(dataSources, catalog(servicenow),
                new ClientApps(Map.of(), (o, s) -> Optional.empty()), tokenClient, clock);

        String access = noServerApp.accessToken(id);
        assertThat(servicenow.isValidAccessToken(access)).isTrue();
        assertThat(servicenow.refreshRequests()).isEqualTo(1);
        assertThat(stored(id).refreshToken()).as("ServiceNow echoes the refresh token it keeps").contains(refresh);
    }

    /** Runs {@code n} copies of {@code task} released at the same moment; their answers. */
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
