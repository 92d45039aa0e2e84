package io.catchment.connector;

import io.catchment.http.SyncFailure;
import java.util.List;
import java.util.Optional;

/** A connector that can list the sites of a tenant (SharePoint), for {@code /integrations/sharepoint/sites/list}. */
public interface SiteDirectory {
    record Site(String id, Optional<String> name, String displayName, String url) {}

    record SitePage(List<Site> sites, Optional<String> cursor) {}

    SitePage sites(Connection c, Optional<String> cursor) throws SyncFailure;
}
