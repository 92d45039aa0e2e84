/**
 * Credential connectors: before a credential-based data source is created, the credentials are
 * checked against the provider with one cheap, read-only call only a valid account can make
 * ({@link io.catchment.connector.credentials.CredentialVerifiers}, answering a
 * {@link io.catchment.connector.credentials.Verification}: verified with the account's id and
 * metadata, refused, or unreachable). Inputs that end up in a host name or a header are checked
 * first, so no request can be steered to another host or carry an injected header; provider text
 * quoted in messages is scrubbed of the secrets sent.
 *
 * <h2>What each verifier asks, and where the facts come from</h2>
 * <ul>
 *   <li><b>Freshdesk</b>: {@code GET https://{domain}.freshdesk.com/api/v2/agents/me}, HTTP Basic
 *       {@code <api key>:X}; answer {@code {id, contact: {name, email}, ...}}; 401
 *       {@code {"code":"invalid_credentials","message":"You have to be logged in to perform this
 *       action."}}. Sources: Freshdesk API v2 (Basic with the key as user name, {@code X} as
 *       password: Nango providers.yaml and Onyx, per providers.md), {@code /agents/me} in
 *       Freshworks' app-SDK allowed paths and Freshdesk client code; the 401 body as reported in
 *       sjkingo/python-freshdesk#74.
 *   <li><b>GitBook</b>: {@code GET https://api.gitbook.com/v1/orgs}, {@code Authorization: Bearer};
 *       pagination {@code {items, next: {page}}} with {@code ?page=}; errors
 *       {@code {"error":{"code","message"}}}. Sources: GitbookIO/integrations docs/api
 *       (authentication.md, pagination.md, errors.md); GitBook API reference "List organizations"
 *       ({@code GET /orgs}); organization objects {@code {id, title, urls}}.
 *   <li><b>Amazon S3 / DigitalOcean Spaces</b>: ListBuckets {@code GET /} on
 *       {@code s3.amazonaws.com} (us-east-1) or {@code <region>.digitaloceanspaces.com}, signed
 *       with AWS Signature Version 4 ({@link io.catchment.connector.credentials.SigV4}), answer
 *       {@code ListAllMyBucketsResult}; errors {@code <Error><Code>InvalidAccessKeyId}
 *       ("The AWS Access Key Id you provided does not exist in our records."),
 *       {@code SignatureDoesNotMatch}, {@code AccessDenied}, {@code RequestTimeTooSkewed}.
 *       Sources: AWS "Signature Version 4 signing process" and "Authenticating Requests: Using the
 *       Authorization Header" (the IAM ListUsers and S3 GET /test.txt examples reproduced in
 *       SigV4Test); S3 ListAllMyBuckets docs; Carbon's {@code S3AuthRequest.endpoint_url}
 *       ("of format {@code <region>.digitaloceanspaces.com}").
 *   <li><b>Azure Blob Storage</b>:
 *       {@code GET https://{account}.blob.core.windows.net/?comp=list&maxresults=100} with
 *       {@code x-ms-date}, {@code x-ms-version} and {@code Authorization: SharedKey
 *       account:signature} ({@link io.catchment.connector.credentials.SharedKeySigner}); answer
 *       {@code EnumerationResults}; 403 {@code AuthenticationFailed}. Sources: Microsoft Learn
 *       "Authorize with Shared Key" (string to sign and its documented example, reproduced in
 *       SharedKeySignerTest) and "List Containers".
 *   <li><b>GitHub</b>: {@code GET https://api.github.com/user} with {@code Authorization: Bearer},
 *       {@code Accept: application/vnd.github+json}, {@code X-GitHub-Api-Version: 2022-11-28} and
 *       a {@code User-Agent} (required, else 403); the answer's {@code login} must be the
 *       username given; 401 {@code {"message":"Bad credentials",...}}. Sources: GitHub REST docs
 *       "Get the authenticated user" and "Getting started with the REST API" (User-Agent
 *       required).
 *   <li><b>Guru</b>: {@code GET https://api.getguru.com/api/v1/whoami}, HTTP Basic
 *       {@code <username>:<user token>}; answer includes {@code team.id}. Sources: Guru developer
 *       docs "Guru API Overview" (Basic auth, root {@code https://api.getguru.com/api/v1/}),
 *       guruhq/guru-sdk tests ({@code whoami} answering {@code team.id}).
 *   <li><b>Document360</b>: {@code GET https://apihub.document360.io/v2/ProjectVersions} (then the
 *       US hub {@code apihub.us.document360.io}) with the {@code api_token} header; answers in
 *       the {@code {data, success, errors, ...}} envelope. Sources: Document360 API docs
 *       "Sending API requests" ({@code api_token} header), "API response format" (envelope),
 *       "Introduction" (API hub servers, EU and US).
 *   <li><b>RSS feeds</b>: the URL is fetched with
 *       {@link io.catchment.ingest.fetch.SafeUrlFetcher} (no internal addresses unless
 *       allowlisted) and must be RSS 0.9x/2.0 ({@code <rss>}), RSS 1.0 ({@code <rdf:RDF>}) or
 *       Atom ({@code <feed xmlns="http://www.w3.org/2005/Atom">}); XML is read with DTDs and
 *       external entities off.
 * </ul>
 */
package io.catchment.connector.credentials;
