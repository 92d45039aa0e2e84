/**
 * Carbon's search and chunk endpoints: {@code /embeddings} (semantic, keyword, hybrid), chunk
 * listings, and bring-your-own chunks. Filters are resolved to the caller's file ids in the
 * database, the index is asked within the caller's customer, and hits are joined back to their
 * files (so a deleted file vanishes from results at once).
 */
package io.catchment.server.search;
