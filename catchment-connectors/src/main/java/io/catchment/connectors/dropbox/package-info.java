/**
 * The Dropbox connector ({@link io.catchment.connectors.dropbox.DropboxConnector}): a recursive
 * {@code files/list_folder} crawl of the user's whole Dropbox, the list-folder cursor as the change
 * feed, and downloads (or exports, for Paper and cloud docs) from the content host. Items are
 * identified by {@code path_lower}. See the README beside this package for scopes, endpoints,
 * limits and what the test fake covers.
 */
package io.catchment.connectors.dropbox;
