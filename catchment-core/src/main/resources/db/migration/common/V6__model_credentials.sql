-- An organization's own credentials for model providers (embedding models and rerankers), one row
-- per provider. The credentials are sealed with AES-GCM (io.catchment.crypto.SecretBox) under the
-- deployment's master key; the context bound into the seal is "model-credentials:<org>:<provider>".

CREATE TABLE model_credentials (
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    provider        VARCHAR(32) NOT NULL,
    sealed          VARCHAR NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (organization_id, provider)
);
