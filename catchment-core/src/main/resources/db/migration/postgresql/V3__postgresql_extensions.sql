-- pgvector backs the chunk index on PostgreSQL (search arrives in a later migration).
CREATE EXTENSION IF NOT EXISTS vector;
