/**
 * What the key-value object stores (S3, Google Cloud Storage, Azure Blob) share: they have keys,
 * not folders, so folders are read from the keys' {@code /} prefixes ({@link
 * io.catchment.connectors.objectstore.KeyFolders}), and an item's container and key are found
 * the same way ({@link io.catchment.connectors.objectstore.ObjectLocation}).
 */
package io.catchment.connectors.objectstore;
