/**
 * Amazon S3 and S3-compatible storage (DigitalOcean Spaces): {@link io.catchment.connectors.s3.S3Connector}
 * crawls buckets and their objects with ListBuckets and ListObjectsV2, signs every request with
 * AWS Signature Version 4 from the stored keys, and downloads objects with GetObject. See the
 * README beside this file.
 */
package io.catchment.connectors.s3;
