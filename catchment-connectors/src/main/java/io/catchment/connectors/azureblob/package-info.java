/**
 * Azure Blob Storage: {@link io.catchment.connectors.azureblob.AzureBlobConnector} crawls a
 * storage account's containers and blobs with List Containers and List Blobs, signs every
 * request with Shared Key from the stored account key, and downloads blobs with Get Blob. See
 * the README beside this file.
 */
package io.catchment.connectors.azureblob;
