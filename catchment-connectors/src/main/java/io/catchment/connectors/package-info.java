/**
 * The content connectors, one sub-package per source, each implementing
 * {@link io.catchment.connector.Connector} over the provider's real HTTP API through
 * {@link io.catchment.http.ProviderHttp}, with a README beside it (scopes, limits, what its fake
 * covers). {@link io.catchment.connectors.ContentConnectors} lists them for the composition root.
 */
package io.catchment.connectors;
