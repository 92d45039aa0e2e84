package io.catchment.oauth;

import java.util.Objects;
import java.util.Optional;

/**
 * An OAuth client (app) registered with a provider: the server's own, or an organization's
 * white-label app. {@code redirectUri} is set for white-label apps registered with their own
 * callback. The secret never appears in {@code toString()}.
 */
public record ClientApp(String clientId, String clientSecret, Optional<String> redirectUri) {
    public ClientApp {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(redirectUri, "redirectUri");
    }

    public ClientApp(String clientId, String clientSecret) {
        this(clientId, clientSecret, Optional.empty());
    }

    @Override
    public String toString() {
        return "ClientApp[" + clientId + "]";
    }
}
