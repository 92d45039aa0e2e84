/**
 * Embedding models behind one interface: the bundled local all-MiniLM-L6-v2 (offline, the
 * default) and, later, Carbon's remote models over their real HTTP APIs.
 */
package io.catchment.embed;
