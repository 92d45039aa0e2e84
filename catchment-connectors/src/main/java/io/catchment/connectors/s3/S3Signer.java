package io.catchment.connectors.s3;

import io.catchment.connector.credentials.SigV4;
import io.catchment.http.Authenticator;
import io.catchment.http.ProviderRequest;
import io.catchment.http.SyncFailure;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * Signs every request of one S3 data source with AWS Signature Version 4 (service {@code s3}):
 * {@code x-amz-date}, {@code x-amz-content-sha256} and {@code Authorization}. The region is the
 * data source's unless the request names another in {@link S3Connector#REGION_HEADER} (a bucket
 * in another region); that header is taken out before the request is sent. Keys cannot be
 * renewed: a rejection is final.
 */
final class S3Signer implements Authenticator {
    private final String accessKey;
    private final String secret;
    private final String defaultRegion;
    private final Clock clock;

    S3Signer(String accessKey, String secret, String defaultRegion, Clock clock) {
        this.accessKey = accessKey;
        this.secret = secret;
        this.defaultRegion = defaultRegion;
        this.clock = clock;
    }

    @Override
    public void authenticate(ProviderRequest request, Map<String, String> headers) throws SyncFailure {
        String region = defaultRegion;
        for (Iterator<Map.Entry<String, String>> it = headers.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, String> header = it.next();
            if (header.getKey().equalsIgnoreCase(S3Connector.REGION_HEADER)) {
                region = header.getValue();
                it.remove();
            }
        }
        if (accessKey == null || accessKey.isBlank() || secret == null || secret.isBlank()) {
            throw new SyncFailure.Auth("The stored S3 credentials are incomplete (access_key and access_key_secret);"
                    + " reconnect the data source");
        }
        String payload = request.body().map(S3Signer::sha256Hex).orElse(SigV4.EMPTY_PAYLOAD_SHA256);
        SigV4.Signed signed = new SigV4(accessKey, secret, region, "s3")
                .sign(request.method(), request.uri(), Map.of(), payload, clock.instant());
        headers.putAll(signed.headers());
    }

    @Override
    public boolean renewAfterRejection() {
        return false;
    }

    private static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "S3Signer[" + accessKey + ", " + defaultRegion + "]";
    }
}
