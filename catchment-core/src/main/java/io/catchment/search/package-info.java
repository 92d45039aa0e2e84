/**
 * The chunk index: the searchable copy of every file's chunks (text, tenant, metadata, vector).
 * The database holds the truth; an index can always be dropped and rebuilt from it.
 *
 * <p>{@link io.catchment.search.LuceneChunkIndex} is the embedded implementation: one Lucene index
 * in a directory of its own, for a single process (it holds the directory's write lock). It is not
 * for scale-out, where several processes share PostgreSQL and the index is pgvector. The Lucene
 * schema (field names, analyzer, similarity) lives in {@code ChunkFields}; queries written by the
 * search feature must use it.
 *
 * <p>Queries arrive with the search feature; ingestion only writes through
 * {@link io.catchment.search.ChunkIndex}.
 */
package io.catchment.search;
