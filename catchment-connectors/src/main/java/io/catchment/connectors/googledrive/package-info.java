/**
 * Google Drive (API v3): {@link io.catchment.connectors.googledrive.GoogleDriveConnector} crawls
 * My Drive, shared drives and files shared with the user in one {@code corpora=allDrives} listing,
 * follows the {@code changes} feed, downloads binary files and exports Docs, Sheets and Slides as
 * text. {@link io.catchment.connectors.googledrive.GoogleApis} holds what Google's JSON APIs share
 * (encoding, the error envelope, the 403/429 rate-limit signal); the Cloud Storage connector uses
 * it too. See README.md beside this file.
 */
package io.catchment.connectors.googledrive;
