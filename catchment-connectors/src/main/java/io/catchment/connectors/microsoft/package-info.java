/**
 * OneDrive ({@link io.catchment.connectors.microsoft.OneDriveConnector}, {@code ONEDRIVE}) and
 * SharePoint Online ({@link io.catchment.connectors.microsoft.SharePointConnector},
 * {@code SHAREPOINT}, also a {@link io.catchment.connector.SiteDirectory}) over Microsoft Graph
 * v1.0. Both read drives the same way ({@code GraphDrives}): the crawl enumerates a drive's delta
 * from scratch and the change feed follows the delta from a {@code token=latest} link; content is
 * downloaded through {@code /content}'s redirect to a pre-authenticated URL. The API base is the
 * connection's (the catalogue's {@code https://graph.microsoft.com/v1.0}, or a test's fake).
 * README.md beside these classes has the scopes, endpoints, limits and what the fake covers.
 */
package io.catchment.connectors.microsoft;
