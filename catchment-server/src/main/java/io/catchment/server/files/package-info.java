/**
 * Carbon's Files API: uploads (multipart, text, URL), listing and filtering, tags, deletion,
 * resync, and signed download links for raw and parsed content. Translation only; the work
 * happens in {@code io.catchment.ingest} and {@code io.catchment.files}.
 */
package io.catchment.server.files;
