/**
 * Fakes of the content sources: the credential-based connectors' providers and the file stores
 * the sync engine crawls, each on 127.0.0.1 over a real socket, checking credentials the way the
 * provider does and answering in its formats (success bodies and error bodies). Built on
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
 *   <li>{@link io.catchment.testing.sources.FakeS3}: buckets and objects (ListBuckets,
 *       ListObjectsV2 with continuation tokens, GetObject, buckets in other regions) with SigV4
 *       verified on every request against the secret it was given, S3's XML errors
 *       ({@code InvalidAccessKeyId}, {@code SignatureDoesNotMatch}, {@code RequestTimeTooSkewed},
 *       {@code AuthorizationHeaderMalformed}, {@code AccessDenied}, {@code NoSuchKey}, ...).
 *   <li>{@link io.catchment.testing.sources.FakeAzureBlob}: containers and blobs (List Containers,
 *       List Blobs with markers, Get Blob, hierarchical-namespace directories) with Shared Key
 *       verified on every request, Azure's XML errors.
 *   <li>The OAuth file stores, stateful trees with versions, the provider's paging and change feed,
 *       downloads (and exports), token checks through a predicate (a fake OAuth server's):
 *       {@link io.catchment.testing.sources.FakeGoogleDrive} (files, shared drives, Docs exports,
 *       changes from a start page token), {@link io.catchment.testing.sources.FakeGoogleCloudStorage}
 *       (Resource Manager projects, buckets, objects with generations),
 *       {@link io.catchment.testing.sources.FakeDropbox} (list_folder cursors, deleted entries,
 *       Dropbox-API-Arg downloads), {@link io.catchment.testing.sources.FakeBox} (marker paging,
 *       the events stream, redirected downloads) and {@link io.catchment.testing.sources.FakeGraph}
 *       (OneDrive and SharePoint sites, libraries, delta links, 410 resync, pre-authenticated
 *       downloads on a second host).
 *   <li>{@link io.catchment.testing.sources.FakeRssFeed}: serves RSS 2.0 and Atom documents,
 *       other documents and redirects at chosen paths.
 * </ul>
 *
 * <p>Where the provider's exact error wording is not documented (GitBook's and Guru's 401 text,
 * Document360's error objects), the fakes use the documented shape with plain wording.
 */
package io.catchment.testing.sources;
