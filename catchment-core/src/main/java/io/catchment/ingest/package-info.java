/**
 * Ingestion: every file, uploaded or synced, goes through one pipeline and one state machine
 * (fetch → blob → parse → chunk → embed → index → READY). Steps are idempotent; a file's
 * chunks are replaced atomically.
 */
package io.catchment.ingest;
