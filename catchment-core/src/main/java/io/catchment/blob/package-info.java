/**
 * Content-addressed storage of raw and parsed file contents: the same bytes are stored once,
 * under their SHA-256. Files on disk under the data directory now; S3 behind the same interface later.
 */
package io.catchment.blob;
