package io.catchment.oauth;

import io.catchment.datasource.Credentials;
import io.catchment.datasource.DataSource;
import io.catchment.datasource.DataSources;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revokes a data source's grant at its provider when the provider has a revoke endpoint (the
 * refresh token where there is one, since revoking it ends the whole grant). Best effort: the
 * data source is revoked here whatever the provider answers, and a failure is logged.
 */
public final class ProviderRevocation {
    private static final Logger log = LoggerFactory.getLogger(ProviderRevocation.class);

    private final DataSources dataSources;
    private final ProviderCatalog catalog;
    private final ClientApps apps;
    private final TokenClient tokens;

    public ProviderRevocation(DataSources dataSources, ProviderCatalog catalog, ClientApps apps, TokenClient tokens) {
        this.dataSources = dataSources;
        this.catalog = catalog;
        this.apps = apps;
        this.tokens = tokens;
    }

    public void revoke(DataSource ds) {
        Optional<OAuthService> service = OAuthService.of(ds.type());
        if (service.isEmpty()) return;
        ProviderSpec spec = catalog.spec(service.get());
        if (spec.revokeUrl().isEmpty()) return;
        if (!(dataSources.credentials(ds.id()).orElse(null) instanceof Credentials.OAuthTokens t)) return;
        Optional<ClientApp> app = apps.forConnection(ds.organizationId(), service.get(), t.extras());
        if (app.isEmpty()) return;
        TemplateValues values = ProviderTokens.templateValues(t.extras());
        try {
            tokens.revoke(spec, app.get(), values, tokenToRevoke(spec, app.get(), values, t));
            log.atInfo().addKeyValue("data_source_id", ds.id()).addKeyValue("service", spec.service()).log("grant revoked at provider");
        } catch (OAuthException e) {
            log.atWarn().addKeyValue("data_source_id", ds.id()).addKeyValue("service", spec.service())
                    .addKeyValue("kind", e.kind()).log("provider did not confirm the revocation");
        }
    }

    /**
     * The refresh token where there is one, since revoking it ends the whole grant; except where the
     * revoke call is authenticated by the token it revokes ({@link ProviderSpec.RevokeStyle#authenticatesWithToken()}):
     * a refresh token is no bearer credential there (the provider answers 401, which would pass for
     * "already revoked"), so a live access token is sent, minted from the refresh token because the
     * stored one may have expired (Dropbox's live four hours). Revoking it ends the grant, refresh
     * token included.
     */
    private String tokenToRevoke(ProviderSpec spec, ClientApp app, TemplateValues values, Credentials.OAuthTokens t)
            throws OAuthException {
        if (!spec.revokeStyle().authenticatesWithToken()) return t.refreshToken().orElse(t.accessToken());
        if (t.refreshToken().isEmpty() || spec.refresh() == ProviderSpec.RefreshMode.NONE) return t.accessToken();
        return tokens.refresh(spec, app, values, t.refreshToken().get()).accessToken();
    }
}
