/**
 * Carbon's tenancy model: organizations own API keys and customers (Carbon's "organization
 * users", named by the {@code customer-id} string the organization chooses); a customer can
 * hold short-lived access tokens for browser use.
 *
 * <p>Secrets (API keys, access and refresh tokens) are random, shown once, and stored only as
 * SHA-256 hashes. This package decides who a caller is; what a caller may do is the HTTP
 * layer's business.
 */
package io.catchment.tenancy;
