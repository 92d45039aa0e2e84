package io.catchment.oauth;

import io.catchment.connector.DataSourceType;
import java.util.Optional;

/** Carbon's {@code OauthBasedConnectors}: the services {@code /integrations/oauth_url} connects. */
public enum OAuthService {
    BOX, CONFLUENCE, DROPBOX, GMAIL, GOOGLE_DRIVE, GOOGLE_CLOUD_STORAGE, INTERCOM, NOTION, ONEDRIVE, OUTLOOK,
    SALESFORCE, SHAREPOINT, SLACK, ZENDESK, ZOTERO, GONG, SERVICENOW;

    /** The data source type a connection of this service creates (the same name). */
    public DataSourceType dataSourceType() {
        return DataSourceType.valueOf(name());
    }

    public static Optional<OAuthService> of(DataSourceType type) {
        for (OAuthService s : values()) if (s.name().equals(type.name())) return Optional.of(s);
        return Optional.empty();
    }
}
