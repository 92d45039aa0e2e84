/**
 * Google Cloud Storage (JSON API v1): {@link io.catchment.connectors.gcs.GcsConnector} lists the
 * buckets of the user's projects (from Cloud Resource Manager v1), every object in them with
 * folders synthesized from name prefixes, and downloads objects with {@code alt=media}. No change
 * feed: the engine re-crawls and compares generations. See README.md beside this file.
 */
package io.catchment.connectors.gcs;
