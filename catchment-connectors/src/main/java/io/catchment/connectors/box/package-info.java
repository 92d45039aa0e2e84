/**
 * The Box connector ({@link io.catchment.connectors.box.BoxConnector}): a marker-paged folder walk
 * from the root folder {@code "0"}, the user's {@code changes} event stream as the change feed,
 * and downloads through {@code /files/{id}/content}'s redirect to a pre-signed URL. Items are
 * identified by Box ids. See the README beside this package for scopes, endpoints, limits and
 * what the test fake covers.
 */
package io.catchment.connectors.box;
