/**
 * Fakes of OAuth providers over real sockets, speaking the providers' own wire formats.
 *
 * <ul>
 *   <li>{@link io.catchment.testing.oauth.FakeOAuthProvider}: any of the OAuth 2.0 services
 *       (Google, Microsoft, Notion, Slack, Salesforce, Gong, Intercom, Dropbox, Box, Zendesk,
 *       ServiceNow, Confluence): the browser's authorize step, the token endpoint with its quirks
 *       (body format, client authentication, single-use codes, PKCE, refresh rotation, error
 *       bodies), the identity endpoints and revocation.
 *   <li>{@link io.catchment.testing.oauth.FakeZoteroOAuth}: Zotero's OAuth 1.0a key exchange,
 *       verifying every HMAC-SHA1 signature with its own implementation of RFC 5849.
 * </ul>
 * Like every fake in this module they depend on nothing of Catchment's, so a bug in the code
 * under test cannot hide in a shared helper.
 */
package io.catchment.testing.oauth;
