package io.catchment.connector.credentials;

import io.catchment.connector.DataSourceType;

/**
 * One credential-based connector's check: it asks the provider, with the credentials the user
 * typed, for something only a valid account can see, and turns the answer into a
 * {@link Verification}. Each verifier has its own inputs, so callers go through
 * {@link CredentialVerifiers}, which holds one of each.
 *
 * <p>Verifiers never throw for anything the input, the network or the provider does: malformed
 * input is {@link Verification.Refused} before any request, transport trouble is
 * {@link Verification.Unreachable}.
 */
public sealed interface CredentialVerifier
        permits FreshdeskVerifier, GitbookVerifier, S3Verifier, AzureBlobVerifier, GithubVerifier, GuruVerifier,
        Document360Verifier, RssFeedVerifier {

    /** The data source type these credentials connect. */
    DataSourceType source();
}
