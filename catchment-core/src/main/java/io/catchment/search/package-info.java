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
 * <p>Ingestion writes through {@link io.catchment.search.ChunkIndex}; search asks it a
 * {@link io.catchment.search.ChunkQuery}, always inside one customer of one organization. Every
 * backend passes the same behaviour tests ({@code ChunkIndexContract} in the tests) and fuses
 * hybrid results with {@link io.catchment.search.Fusion}. In the Lucene backend, {@code LuceneSearch}
 * answers a query from one searcher, with {@code ChunkFilters} (tenant, files, model, tie order),
 * {@code KeywordQuery} (query text to BM25 term clauses) and {@code ExactVectorSearch}.
 */
package io.catchment.search;
