package io.catchment.connector;

import io.catchment.datasource.DataSource;
import io.catchment.http.ProviderHttp;
import java.util.Optional;

/**
 * What a connector works with for one data source: the connection's record (its metadata holds
 * what the connect request gave: tenant, endpoint_url, account name, ...), the provider's door,
 * and the API base URL from the provider catalogue (with operator or test overrides applied;
 * empty for credential connectors, which know their endpoints).
 */
public record Connection(DataSource dataSource, ProviderHttp http, Optional<String> apiBase) {
    /** The catalogue's API base, for OAuth connectors that cannot work without it. */
    public String api() {
        return apiBase.orElseThrow(() -> new IllegalStateException("no API base URL for " + dataSource.type()));
    }
}
