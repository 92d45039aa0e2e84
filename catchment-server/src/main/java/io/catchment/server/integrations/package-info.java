/**
 * Carbon's {@code /integrations/*} and data source endpoints: {@code oauth_url} and the OAuth
 * callbacks, {@code /integrations/connect}, the credential connectors (Freshdesk, Gitbook, S3,
 * Azure Blob Storage, GitHub, Guru, Document360, RSS), and listing, tagging and revoking data
 * sources. The flows themselves live in {@code io.catchment.oauth}; this package reads requests
 * and shapes answers.
 */
package io.catchment.server.integrations;
