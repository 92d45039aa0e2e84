/**
 * Connected accounts (Carbon's data sources): who connected what, its sync settings and tags, its
 * status, and its credentials (sealed). {@link io.catchment.datasource.DataSources} is the store;
 * {@link io.catchment.datasource.ProviderTokens} hands out access tokens, refreshing them once per
 * data source however many callers ask at the same time.
 */
package io.catchment.datasource;
