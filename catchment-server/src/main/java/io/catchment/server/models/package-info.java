/**
 * Beyond Carbon: which embedding models and rerankers an organization can use
 * ({@code GET /embedding_models}) and its own provider credentials
 * ({@code /organization/model_credentials}: stored sealed, verified against the provider first,
 * only ever returned masked).
 */
package io.catchment.server.models;
