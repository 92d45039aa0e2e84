package io.catchment.connectors.azureblob;

import io.catchment.connector.credentials.SharedKeySigner;
import io.catchment.http.Authenticator;
import io.catchment.http.ProviderRequest;
import io.catchment.http.SyncFailure;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Signs every request of one Azure Blob Storage data source with Shared Key: {@code x-ms-date},
 * {@code x-ms-version} and {@code Authorization: SharedKey account:signature}. Account keys
 * cannot be renewed: a rejection is final.
 */
final class AzureSigner implements Authenticator {
    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");

    private final String account;
    private final SharedKeySigner signer;
    private final String problem;
    private final Clock clock;

    AzureSigner(String account, String accountKey, Clock clock) {
        this.account = account == null ? "" : account.strip().toLowerCase(Locale.ROOT);
        this.clock = clock;
        SharedKeySigner s = null;
        String p = null;
        if (!ACCOUNT.matcher(this.account).matches() || accountKey == null || accountKey.isBlank()) {
            p = "The stored Azure credentials are incomplete (account_name and account_key); reconnect the data source";
        } else {
            try {
                s = new SharedKeySigner(this.account, accountKey.strip());
            } catch (IllegalArgumentException e) {
                p = "The stored Azure account key is not a storage account key (base64); reconnect the data source";
            }
        }
        this.signer = s;
        this.problem = p;
    }

    @Override
    public void authenticate(ProviderRequest request, Map<String, String> headers) throws SyncFailure {
        if (signer == null) {
            throw new SyncFailure.Auth(problem);
        }
        headers.put("x-ms-date", RFC_1123.format(clock.instant()));
        headers.put("x-ms-version", AzureBlobConnector.VERSION);
        headers.put("Authorization", signer.authorization(request.method(), request.uri(), headers));
    }

    @Override
    public boolean renewAfterRejection() {
        return false;
    }

    @Override
    public String toString() {
        return "AzureSigner[" + account + "]";
    }
}
