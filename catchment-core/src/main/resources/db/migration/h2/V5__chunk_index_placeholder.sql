-- The chunk index on H2 deployments is Lucene (LuceneChunkIndex); PostgreSQL's V5 creates the
-- pgvector chunk_index table. This keeps the migration numbering identical on both vendors.
SELECT 1;
