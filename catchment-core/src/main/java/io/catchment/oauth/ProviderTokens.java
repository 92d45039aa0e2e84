package io.catchment.oauth;

import io.catchment.datasource.Credentials;
import io.catchment.datasource.DataSource;
import io.catchment.datasource.DataSources;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens of OAuth data sources, fresh. A token that expires within {@link #EARLY} is
 * refreshed before it is handed out; {@link #refreshAfterRejection} refreshes after the provider
 * answered 401. Refreshing is single-flight per data source: one lock per data source in this
 * process and the data source's row lock across processes, and a caller that waited finds the
 * fresh token instead of refreshing again (which would burn a rotating refresh token). A response
 * without a refresh token keeps the old one. {@code invalid_grant} puts the data source in
 * SYNC_ERROR with "reauthorization required".
 */
public final class ProviderTokens {
    private static final Logger log = LoggerFactory.getLogger(ProviderTokens.class);
    /** Refresh this long before expiry, so a token never expires mid-sync. */
    public static final Duration EARLY = Duration.ofMinutes(5);

    private final DataSources dataSources;
    private final ProviderCatalog catalog;
    private final ClientApps apps;
    private final TokenClient tokens;
    private final Clock clock;
    private final ConcurrentHashMap<Long, ReentrantLock> locks = new ConcurrentHashMap<>();

    public ProviderTokens(DataSources dataSources, ProviderCatalog catalog, ClientApps apps, TokenClient tokens, Clock clock) {
        this.dataSources = dataSources;
        this.catalog = catalog;
        this.apps = apps;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A usable access token for the data source, refreshed first when it is about to expire. */
    public String accessToken(long dataSourceId) throws OAuthException {
        Credentials.OAuthTokens current = oauthTokens(dataSourceId);
        if (!expiringSoon(current)) return current.accessToken();
        return refresh(dataSourceId, c -> expiringSoon(c)).accessToken();
    }

    /** How often {@link #refreshTask()} looks, and how far ahead: tokens never reach their last minutes. */
    public static final Duration SWEEP_EVERY = Duration.ofMinutes(5);
    public static final Duration SWEEP_AHEAD = Duration.ofMinutes(15);

    /**
     * Refreshes every connected data source whose token expires within {@link #SWEEP_AHEAD}, so
     * connections stay alive between syncs (and rotating refresh tokens, such as Box's 60-day
     * ones, keep being renewed). One failure does not stop the others; it is logged, and an
     * invalid grant puts that data source in SYNC_ERROR. Returns how many were refreshed.
     */
    public int refreshExpiring() {
        int refreshed = 0;
        for (long id : dataSources.expiringBefore(clock.instant().plus(SWEEP_AHEAD))) {
            try {
                refresh(id, t -> t.expiresAt().map(at -> at.isBefore(clock.instant().plus(SWEEP_AHEAD))).orElse(false));
                refreshed++;
            } catch (OAuthException | RuntimeException e) {
                log.atWarn().addKeyValue("data_source_id", id).addKeyValue("problem", e.getMessage())
                        .log("proactive token refresh failed");
            }
        }
        return refreshed;
    }

    /** {@link #refreshExpiring()} every {@link #SWEEP_EVERY}, run by the job workers. */
    public com.github.kagkarlsson.scheduler.task.helper.RecurringTask<Void> refreshTask() {
        return com.github.kagkarlsson.scheduler.task.helper.Tasks.recurring("provider-token-refresh",
                com.github.kagkarlsson.scheduler.task.schedule.FixedDelay.of(SWEEP_EVERY))
                .execute((instance, ctx) -> refreshExpiring());
    }

    /** After the provider refused {@code rejected}: a new token, unless another caller already got one. */
    public String refreshAfterRejection(long dataSourceId, String rejected) throws OAuthException {
        return refresh(dataSourceId, c -> c.accessToken().equals(rejected)).accessToken();
    }

    private boolean expiringSoon(Credentials.OAuthTokens t) {
        return t.expiresAt().map(at -> !at.isAfter(clock.instant().plus(EARLY))).orElse(false);
    }

    private Credentials.OAuthTokens refresh(long id, java.util.function.Predicate<Credentials.OAuthTokens> stillNeeded)
            throws OAuthException {
        DataSource ds = dataSources.find(id).orElseThrow(() -> new IllegalArgumentException("no data source " + id));
        ProviderSpec spec = catalog.spec(OAuthService.of(ds.type()).orElseThrow());
        ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
        lock.lock();
        try {
            Credentials updated = dataSources.updateCredentials(id, current -> {
                Credentials.OAuthTokens t = (Credentials.OAuthTokens) current;
                if (!stillNeeded.test(t)) return current;
                if (t.refreshToken().isEmpty() || spec.refresh() == ProviderSpec.RefreshMode.NONE) {
                    throw new OAuthException(OAuthException.Kind.INVALID_GRANT,
                            spec.service() + " gave no refresh token: the user must connect again");
                }
                ClientApp app = appFor(ds, spec, t);
                TemplateValues values = templateValues(t.extras());
                TokenSet fresh = tokens.refresh(spec, app, values, t.refreshToken().get());
                log.atInfo().addKeyValue("data_source_id", id).addKeyValue("service", spec.service()).log("token refreshed");
                Map<String, String> extras = new java.util.LinkedHashMap<>(t.extras());
                return new Credentials.OAuthTokens(fresh.accessToken(), fresh.refreshToken().or(t::refreshToken),
                        fresh.expiresAt(), fresh.scope().or(t::scope), extras);
            });
            return (Credentials.OAuthTokens) updated;
        } catch (OAuthException e) {
            if (e.kind() == OAuthException.Kind.INVALID_GRANT || e.kind() == OAuthException.Kind.INVALID_CLIENT) {
                dataSources.markSyncError(id, "Reauthorization required: " + e.getMessage());
            }
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private Credentials.OAuthTokens oauthTokens(long id) throws OAuthException {
        Optional<Credentials> c = dataSources.credentials(id);
        if (c.isEmpty() || !(c.get() instanceof Credentials.OAuthTokens t)) {
            throw new OAuthException(OAuthException.Kind.INVALID_GRANT, "data source " + id + " has no OAuth tokens (revoked?)");
        }
        return t;
    }

    private ClientApp appFor(DataSource ds, ProviderSpec spec, Credentials.OAuthTokens t) throws OAuthException {
        return apps.forConnection(ds.organizationId(), spec.service(), t.extras())
                .orElseThrow(() -> new OAuthException(OAuthException.Kind.INVALID_CLIENT,
                        "the OAuth app that connected this " + spec.service() + " account is no longer configured"));
    }

    /** The connect-time template values ({@code {subdomain}}, {@code {tenant}}, ...) kept with the tokens. */
    public static TemplateValues templateValues(Map<String, String> extras) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        extras.forEach((k, v) -> {
            if (k.startsWith("template.")) values.put(k.substring("template.".length()), v);
        });
        return new TemplateValues(values);
    }
}
