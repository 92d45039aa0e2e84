/**
 * The only way content connectors reach a provider: {@link io.catchment.http.ProviderHttp} applies
 * the data source's credentials (through an {@link io.catchment.http.Authenticator}), renews them
 * once after a 401, waits out short Retry-After answers, backs off on 5xx and timeouts, and turns
 * whatever still fails into one of the sealed {@link io.catchment.http.SyncFailure}s the sync
 * engine knows how to handle. Connectors never see tokens or keys.
 *
 * <p>Credential checks at connect time do not use this package (they answer "valid or not", and
 * must not retry or wait); see {@code io.catchment.connector.credentials}.
 */
package io.catchment.http;
