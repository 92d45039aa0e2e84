package io.catchment.server;

import io.catchment.connector.credentials.CredentialVerifiers;
import io.catchment.connectors.gcs.GcsConnector;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connectors' endpoints from {@code CATCHMENT_CONNECTOR_ENDPOINTS}: the credential stores'
 * ({@code s3}, {@code azure_blob}, {@code freshdesk}, ...) and Google Cloud Resource Manager's
 * ({@code google_resource_manager}, where GCS finds the projects whose buckets it lists).
 */
record ConnectorEndpoints(CredentialVerifiers.Endpoints stores, String googleResourceManager) {
    static final String RESOURCE_MANAGER = "google_resource_manager";

    static ConnectorEndpoints from(Map<String, String> byName) {
        Map<String, String> stores = new LinkedHashMap<>(byName);
        String resourceManager = stores.remove(RESOURCE_MANAGER);
        return new ConnectorEndpoints(CredentialVerifiers.Endpoints.defaults().overriddenBy(stores),
                resourceManager == null ? GcsConnector.DEFAULT_RESOURCE_MANAGER : resourceManager.strip());
    }
}
