/**
 * The connector SPI: what a content connector implements ({@link io.catchment.connector.Connector})
 * and the records it exchanges with the sync engine: {@link io.catchment.connector.SourceItem}s,
 * pages carrying a {@link io.catchment.connector.Checkpoint} the engine stores after every page,
 * change pages from a provider's delta API, and fetched content. Connectors reach the network only
 * through the {@link io.catchment.http.ProviderHttp} in their {@link io.catchment.connector.Connection}.
 * {@link io.catchment.connector.DataSourceType} is Carbon's list of sources.
 */
package io.catchment.connector;
