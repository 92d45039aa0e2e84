/**
 * Which provider adapter serves which model, with whose credentials.
 * {@link io.catchment.embed.providers.RemoteModels} builds embedding models and rerankers from an
 * organization's own credentials when it stored some, else from the server's, and keeps them so
 * that token caches and concurrency limits live as long as the credentials do.
 */
package io.catchment.embed.providers;
