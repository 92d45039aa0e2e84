package io.catchment.oauth;

import java.util.Map;
import java.util.Optional;

/**
 * Which OAuth app connects a service for an organization: its white-label app when it registered
 * one, else the server's configured app.
 */
public final class ClientApps {
    /** An organization's own apps (the white-label store). */
    @FunctionalInterface
    public interface OrganizationApps {
        Optional<ClientApp> appFor(long organizationId, OAuthService service);
    }

    private final Map<OAuthService, ClientApp> serverApps;
    private final OrganizationApps organizationApps;

    public ClientApps(Map<OAuthService, ClientApp> serverApps, OrganizationApps organizationApps) {
        this.serverApps = Map.copyOf(serverApps);
        this.organizationApps = organizationApps;
    }

    public Optional<ClientApp> appFor(long organizationId, OAuthService service) {
        return organizationApps.appFor(organizationId, service).or(() -> Optional.ofNullable(serverApps.get(service)));
    }

    /**
     * The app a connection was made with, from what its credentials keep ({@code client_id}, and
     * {@code client_secret} for a per-connection app such as ServiceNow's): that app itself, else the
     * organization's or server's app for the service when it is still the same client.
     */
    public Optional<ClientApp> forConnection(long organizationId, OAuthService service, Map<String, String> extras) {
        String clientId = extras.getOrDefault("client_id", "");
        if (extras.containsKey("client_secret")) return Optional.of(new ClientApp(clientId, extras.get("client_secret")));
        return appFor(organizationId, service).filter(a -> clientId.isEmpty() || a.clientId().equals(clientId));
    }

    /** The environment variables that configure the server's app for a service. */
    public static String settingsFor(OAuthService service) {
        return "CATCHMENT_" + service.name() + "_CLIENT_ID and CATCHMENT_" + service.name() + "_CLIENT_SECRET";
    }

    /**
     * Server apps from {@code CATCHMENT_<SERVICE>_CLIENT_ID} / {@code _CLIENT_SECRET}; Google's three
     * services also read {@code CATCHMENT_GOOGLE_CLIENT_ID}/{@code _SECRET} and Microsoft's three
     * {@code CATCHMENT_MICROSOFT_CLIENT_ID}/{@code _SECRET}, since one app usually serves them all.
     */
    public static Map<OAuthService, ClientApp> fromEnvironment(Map<String, String> env) {
        Map<OAuthService, ClientApp> out = new java.util.EnumMap<>(OAuthService.class);
        for (OAuthService s : OAuthService.values()) {
            Optional<ClientApp> own = pair(env, "CATCHMENT_" + s.name());
            Optional<ClientApp> family = switch (s) {
                case GOOGLE_DRIVE, GMAIL, GOOGLE_CLOUD_STORAGE -> pair(env, "CATCHMENT_GOOGLE");
                case ONEDRIVE, SHAREPOINT, OUTLOOK -> pair(env, "CATCHMENT_MICROSOFT");
                default -> Optional.empty();
            };
            own.or(() -> family).ifPresent(app -> out.put(s, app));
        }
        return out;
    }

    private static Optional<ClientApp> pair(Map<String, String> env, String prefix) {
        String id = env.get(prefix + "_CLIENT_ID");
        String secret = env.get(prefix + "_CLIENT_SECRET");
        if (id == null || id.isBlank()) return Optional.empty();
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException(prefix + "_CLIENT_ID is set but " + prefix + "_CLIENT_SECRET is not");
        }
        return Optional.of(new ClientApp(id.strip(), secret.strip()));
    }
}
