/**
 * The chunk index: Lucene embedded (files under the data directory), pgvector with PostgreSQL.
 * Queries arrive with the search feature; ingestion only writes through {@link io.catchment.search.ChunkIndex}.
 */
package io.catchment.search;
