package io.catchment.server;

import io.catchment.oauth.ClientApp;
import io.catchment.oauth.OAuthService;
import io.catchment.oauth.UrlOverrides;
import java.util.Map;

/**
 * How this server connects users' accounts.
 *
 * @param apps the server's own OAuth app per service (organizations may register their own: white label)
 * @param urlOverrides provider URLs replaced (proxies, sovereign clouds, and tests' fakes)
 * @param connectorEndpoints base URLs of the credential connectors' APIs, by name (freshdesk, gitbook,
 *     s3, azure_blob, github, guru, document360), replacing the real ones (tests' fakes)
 */
public record OAuthSettings(Map<OAuthService, ClientApp> apps, Map<OAuthService, UrlOverrides> urlOverrides,
                            Map<String, String> connectorEndpoints) {
    public OAuthSettings {
        apps = Map.copyOf(apps);
        urlOverrides = Map.copyOf(urlOverrides);
        connectorEndpoints = Map.copyOf(connectorEndpoints);
    }

    public static OAuthSettings none() {
        return new OAuthSettings(Map.of(), Map.of(), Map.of());
    }
}
