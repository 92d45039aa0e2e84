-- The chunk index on PostgreSQL (PgvectorChunkIndex): the searchable copy of every file's chunks.
-- Derived data: file_chunks is the truth, so there are no foreign keys and the table can be
-- truncated and rebuilt at any time.
--
-- Vectors are stored unit length, so the negated inner product (<#>) ranks exactly like cosine.
-- The embedding column has no fixed dimension (models differ), but pgvector's HNSW needs one, so
-- each model gets a PARTIAL EXPRESSION index over its own rows, cast to its dimension. Queries must
-- repeat the index's expression and predicate literally (PgvectorChunkIndex does) for the planner
-- to use it:
--   * up to 2000 dimensions: (embedding::vector(D)) vector_ip_ops;
--   * 3072 (the *_ADA_LARGE_3072 models): the vector type's HNSW limit is 2000, so the index is
--     over (embedding::halfvec(3072)) halfvec_ip_ops (limit 4000); candidates are re-ranked by the
--     full-precision distance;
--   * 4096 (SOLAR_1_MINI): above every HNSW limit, so no index: its searches are exact scans of
--     the tenant's rows.
-- The predicate also checks the dimension, so a row whose vector does not match its model's
-- dimension is left out of the index (and searched exactly) instead of failing the insert.
-- A model added to EmbeddingGenerator needs a new migration with its index (PgvectorChunkIndexTest
-- checks that every model has one).

CREATE TABLE chunk_index (
    file_id         BIGINT NOT NULL,
    chunk_index     INT NOT NULL,
    organization_id BIGINT NOT NULL,
    customer_id     BIGINT NOT NULL,
    content         TEXT NOT NULL,
    metadata        TEXT NOT NULL DEFAULT '{}',
    embedding_model TEXT,
    embedding       vector,
    -- Words as the Lucene index's StandardAnalyzer has them: lower-cased, no stemming, no stop
    -- words ('simple'). lower() under the ICU root collation folds every script's capitals whatever
    -- the database's locale ('simple' alone only folds ASCII in a C-locale database); it needs a
    -- PostgreSQL built with ICU, as the Debian/Ubuntu/RHEL packages and the Docker images are.
    -- Queries must normalize their text with exactly this expression (PgvectorChunkIndex does).
    content_tsv     tsvector GENERATED ALWAYS AS (to_tsvector('simple', lower(content COLLATE "und-x-icu"))) STORED,
    PRIMARY KEY (file_id, chunk_index),
    CONSTRAINT chunk_index_vector_has_model CHECK (embedding IS NULL OR embedding_model IS NOT NULL)
);

CREATE INDEX chunk_index_tenant ON chunk_index (organization_id, customer_id);
CREATE INDEX chunk_index_content_tsv ON chunk_index USING gin (content_tsv);
-- Lets the planner estimate the dimension check in the HNSW predicates (and queries) from real
-- statistics instead of a blind 0.5% guess.
CREATE STATISTICS chunk_index_dimensions ON (vector_dims(embedding)) FROM chunk_index;

-- One HNSW index per model (index name: chunk_index_hnsw_<model in lower case>).
CREATE INDEX chunk_index_hnsw_openai ON chunk_index USING hnsw ((embedding::vector(1536)) vector_ip_ops)
    WHERE embedding_model = 'OPENAI' AND vector_dims(embedding) = 1536;
CREATE INDEX chunk_index_hnsw_azure_openai ON chunk_index USING hnsw ((embedding::vector(1536)) vector_ip_ops)
    WHERE embedding_model = 'AZURE_OPENAI' AND vector_dims(embedding) = 1536;
CREATE INDEX chunk_index_hnsw_azure_ada_large_256 ON chunk_index USING hnsw ((embedding::vector(256)) vector_ip_ops)
    WHERE embedding_model = 'AZURE_ADA_LARGE_256' AND vector_dims(embedding) = 256;
CREATE INDEX chunk_index_hnsw_azure_ada_large_1024 ON chunk_index USING hnsw ((embedding::vector(1024)) vector_ip_ops)
    WHERE embedding_model = 'AZURE_ADA_LARGE_1024' AND vector_dims(embedding) = 1024;
CREATE INDEX chunk_index_hnsw_azure_ada_large_3072 ON chunk_index USING hnsw ((embedding::halfvec(3072)) halfvec_ip_ops)
    WHERE embedding_model = 'AZURE_ADA_LARGE_3072' AND vector_dims(embedding) = 3072;
CREATE INDEX chunk_index_hnsw_azure_ada_small_512 ON chunk_index USING hnsw ((embedding::vector(512)) vector_ip_ops)
    WHERE embedding_model = 'AZURE_ADA_SMALL_512' AND vector_dims(embedding) = 512;
CREATE INDEX chunk_index_hnsw_azure_ada_small_1536 ON chunk_index USING hnsw ((embedding::vector(1536)) vector_ip_ops)
    WHERE embedding_model = 'AZURE_ADA_SMALL_1536' AND vector_dims(embedding) = 1536;
CREATE INDEX chunk_index_hnsw_cohere_multilingual_v3 ON chunk_index USING hnsw ((embedding::vector(1024)) vector_ip_ops)
    WHERE embedding_model = 'COHERE_MULTILINGUAL_V3' AND vector_dims(embedding) = 1024;
CREATE INDEX chunk_index_hnsw_vertex_multimodal ON chunk_index USING hnsw ((embedding::vector(1408)) vector_ip_ops)
    WHERE embedding_model = 'VERTEX_MULTIMODAL' AND vector_dims(embedding) = 1408;
CREATE INDEX chunk_index_hnsw_openai_ada_large_256 ON chunk_index USING hnsw ((embedding::vector(256)) vector_ip_ops)
    WHERE embedding_model = 'OPENAI_ADA_LARGE_256' AND vector_dims(embedding) = 256;
CREATE INDEX chunk_index_hnsw_openai_ada_large_1024 ON chunk_index USING hnsw ((embedding::vector(1024)) vector_ip_ops)
    WHERE embedding_model = 'OPENAI_ADA_LARGE_1024' AND vector_dims(embedding) = 1024;
CREATE INDEX chunk_index_hnsw_openai_ada_large_3072 ON chunk_index USING hnsw ((embedding::halfvec(3072)) halfvec_ip_ops)
    WHERE embedding_model = 'OPENAI_ADA_LARGE_3072' AND vector_dims(embedding) = 3072;
CREATE INDEX chunk_index_hnsw_openai_ada_small_512 ON chunk_index USING hnsw ((embedding::vector(512)) vector_ip_ops)
    WHERE embedding_model = 'OPENAI_ADA_SMALL_512' AND vector_dims(embedding) = 512;
CREATE INDEX chunk_index_hnsw_openai_ada_small_1536 ON chunk_index USING hnsw ((embedding::vector(1536)) vector_ip_ops)
    WHERE embedding_model = 'OPENAI_ADA_SMALL_1536' AND vector_dims(embedding) = 1536;
-- SOLAR_1_MINI (4096 dimensions): no HNSW index (above the halfvec limit of 4000); exact scans.
CREATE INDEX chunk_index_hnsw_all_minilm_l6_v2 ON chunk_index USING hnsw ((embedding::vector(384)) vector_ip_ops)
    WHERE embedding_model = 'ALL_MINILM_L6_V2' AND vector_dims(embedding) = 384;
