/**
 * Connecting users' accounts: the provider catalogue ({@code providers.yaml}), authorize URLs with
 * state and PKCE, token exchange and refresh with each provider's quirks, account identification,
 * OAuth 1.0a signing (Zotero), and sealed token storage.
 */
package io.catchment.oauth;
