package io.catchment.http;

import java.util.Map;

/**
 * Adds one data source's credentials to outgoing requests. OAuth connections use bearer tokens the
 * engine refreshes; key-based ones (S3's SigV4, Azure's Shared Key) sign each request.
 */
public interface Authenticator {
    /**
     * Adds whatever headers authenticate {@code request} (which already has its final URI, method,
     * headers and body) to {@code headers}.
     */
    void authenticate(ProviderRequest request, Map<String, String> headers) throws SyncFailure;

    /**
     * The provider rejected the credentials {@link #authenticate} added (a 401). Returns true when
     * new ones were obtained and the request is worth sending once more; throws
     * {@link SyncFailure.Auth} when the grant itself is gone.
     */
    boolean renewAfterRejection() throws SyncFailure;
}
