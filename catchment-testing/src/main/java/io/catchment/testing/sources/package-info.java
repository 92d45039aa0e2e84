/**
 * Fakes of the providers behind Carbon's credential-based connectors, each on 127.0.0.1 over a
 * real socket, checking credentials the way the provider does and answering in its formats
 * (success bodies and error bodies). Built on
 * {@link io.catchment.testing.models.FakeHttpApi}, so requests are recorded and faults can be
 * scripted. The fakes depend on nothing of Catchment's: the signature checks (AWS Signature
 * Version 4, Azure Shared Key) are implemented here independently of the production signers.
 *
 * <ul>
 *   <li>{@link io.catchment.testing.sources.FakeFreshdesk}: {@code GET /api/v2/agents/me}, Basic
 *       {@code <api key>:<anything>}; 401 {@code {"code":"invalid_credentials","message":...}}.
 *   <li>{@link io.catchment.testing.sources.FakeGitbook}: {@code GET /v1/orgs} paginated with
 *       {@code next.page}, Bearer token; errors {@code {"error":{"code","message"}}}.
 *   <li>{@link io.catchment.testing.sources.FakeGithub}: {@code GET /user}, Bearer or
 *       {@code token} scheme, {@code User-Agent} required (403 without), 401
 *       {@code {"message":"Bad credentials",...}}, {@code X-OAuth-Scopes}.
 *   <li>{@link io.catchment.testing.sources.FakeGuru}: {@code GET /api/v1/whoami}, Basic
 *       {@code <user>:<token>}.
 *   <li>{@link io.catchment.testing.sources.FakeDocument360}: {@code GET /v2/ProjectVersions},
 *       {@code api_token} header, Document360's {@code {data, success, errors, ...}} envelope.
 *   <li>{@link io.catchment.testing.sources.FakeS3}: ListBuckets ({@code GET /}) with SigV4
 *       verified against the secret it was given, S3's XML errors ({@code InvalidAccessKeyId},
 *       {@code SignatureDoesNotMatch}, {@code RequestTimeTooSkewed},
 *       {@code AuthorizationHeaderMalformed}, {@code AccessDenied}).
 *   <li>{@link io.catchment.testing.sources.FakeAzureBlob}: List Containers
 *       ({@code GET /?comp=list}) with Shared Key verified against the account key, Azure's XML
 *       errors ({@code AuthenticationFailed}, {@code MissingRequiredHeader}).
 *   <li>{@link io.catchment.testing.sources.FakeRssFeed}: serves RSS 2.0 and Atom documents,
 *       other documents and redirects at chosen paths.
 * </ul>
 *
 * <p>Where the provider's exact error wording is not documented (GitBook's and Guru's 401 text,
 * Document360's error objects), the fakes use the documented shape with plain wording.
 */
package io.catchment.testing.sources;
