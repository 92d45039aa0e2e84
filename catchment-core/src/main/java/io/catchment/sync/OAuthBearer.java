package io.catchment.sync;

import io.catchment.http.Authenticator;
import io.catchment.http.ProviderRequest;
import io.catchment.http.SyncFailure;
import io.catchment.oauth.OAuthException;
import io.catchment.oauth.ProviderTokens;
import java.util.Map;

/** Bearer tokens for an OAuth data source, refreshed before they expire and once after a 401. */
final class OAuthBearer implements Authenticator {
    private final ProviderTokens tokens;
    private final long dataSourceId;
    private volatile String lastSent = "";

    OAuthBearer(ProviderTokens tokens, long dataSourceId) {
        this.tokens = tokens;
        this.dataSourceId = dataSourceId;
    }

    @Override
    public void authenticate(ProviderRequest request, Map<String, String> headers) throws SyncFailure {
        try {
            lastSent = tokens.accessToken(dataSourceId);
        } catch (OAuthException e) {
            throw failure(e);
        }
        headers.put("Authorization", "Bearer " + lastSent);
    }

    @Override
    public boolean renewAfterRejection() throws SyncFailure {
        try {
            return !tokens.refreshAfterRejection(dataSourceId, lastSent).equals(lastSent);
        } catch (OAuthException e) {
            throw failure(e);
        }
    }

    static SyncFailure failure(OAuthException e) {
        return switch (e.kind()) {
            case INVALID_GRANT, ACCESS_DENIED -> new SyncFailure.Auth("Reauthorization required: " + e.getMessage());
            case INVALID_CLIENT -> new SyncFailure.Config("The provider refused the OAuth client: " + e.getMessage());
            case RATE_LIMITED -> new SyncFailure.RateLimited("The provider's token endpoint asked us to slow down",
                    e.retryAfter().orElse(java.time.Duration.ofMinutes(1)));
            case PROVIDER_ERROR, UNREACHABLE -> new SyncFailure.Transient("Could not refresh the token: " + e.getMessage());
        };
    }
}
