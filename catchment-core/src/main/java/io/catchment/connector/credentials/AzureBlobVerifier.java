package io.catchment.connector.credentials;

import io.catchment.connector.DataSourceType;
import io.catchment.connector.credentials.ProviderHttp.Answer;
import io.catchment.connector.credentials.ProviderHttp.NoAnswer;
import io.catchment.connector.credentials.Verification.Refused;
import io.catchment.connector.credentials.Verification.Unreachable;
import io.catchment.connector.credentials.Verification.Verified;
import io.catchment.xml.SafeXml;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamException;

/**
 * Azure Blob Storage: List Containers
 * ({@code GET https://{account}.blob.core.windows.net/?comp=list&maxresults=100}) with
 * {@code x-ms-date}, {@code x-ms-version} and {@code Authorization: SharedKey account:signature}
 * ({@link SharedKeySigner}). Azure answers a wrong key with 403 {@code AuthenticationFailed}, and
 * an account that does not exist has no DNS name. Account names are 3 to 24 lower-case letters
 * and digits (Azure's rule), so the host cannot be steered elsewhere.
 */
final class AzureBlobVerifier implements CredentialVerifier {
    static final String VERSION = "2020-10-02";
    private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final String SERVICE = "Azure Blob Storage";

    private final ProviderHttp http;
    private final Clock clock;
    private final String baseTemplate;

    /** @param baseTemplate the Blob endpoint with {@code {account}} where the account name goes */
    AzureBlobVerifier(ProviderHttp http, Clock clock, String baseTemplate) {
        this.http = http;
        this.clock = clock;
        this.baseTemplate = baseTemplate;
    }

    @Override
    public DataSourceType source() {
        return DataSourceType.AZURE_BLOB_STORAGE;
    }

    Verification verify(String accountName, String accountKey) {
        String account;
        SharedKeySigner signer;
        String key;
        try {
            account = Inputs.required("account_name", accountName).toLowerCase(Locale.ROOT);
            if (!ACCOUNT.matcher(account).matches()) {
                throw new InvalidInput("account_name must be a storage account name: 3 to 24 lower-case letters and digits");
            }
            key = Inputs.secret("account_key", accountKey);
            try {
                signer = new SharedKeySigner(account, key);
            } catch (IllegalArgumentException e) {
                throw new InvalidInput("account_key must be a storage account key (base64, as the Azure portal shows it)");
            }
        } catch (InvalidInput e) {
            return new Refused(e.getMessage());
        }
        URI uri = URI.create(baseTemplate.replace("{account}", account) + "/?comp=list&maxresults=100");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-ms-date", RFC_1123.format(clock.instant()));
        headers.put("x-ms-version", VERSION);
        headers.put("Authorization", signer.authorization("GET", uri, headers));
        String host = account + ".blob.core.windows.net";
        return switch (http.get(uri, headers)) {
            case NoAnswer none when none.unknownHost() -> new Refused("There is no Azure storage account named '" + account
                    + "' (" + host + " does not resolve); check account_name.");
            case NoAnswer none -> Replies.noAnswer(SERVICE, none);
            case Answer answer -> read(answer, account, key);
        };
    }

    /** Azure's {@code AuthenticationErrorDetail}: why authentication failed (wrong MAC, stale date, ...). */
    private static String authenticationDetail(String body) {
        try {
            return SafeXml.parse(body).text("AuthenticationErrorDetail").orElse("");
        } catch (XMLStreamException e) {
            return "";
        }
    }

    private static Verification read(Answer answer, String account, String key) {
        if (!answer.ok()) {
            String code = answer.header("x-ms-error-code");
            String message = ErrorText.of(answer.body(), key);
            if (code.isEmpty() && message.contains(":")) {
                code = message.substring(0, message.indexOf(':'));
            }
            if (answer.status() == 403 && code.equals("AuthenticationFailed")) {
                if (authenticationDetail(answer.body()).startsWith("Request date header too old")) {
                    return new Unreachable(SERVICE + " refused the request because this server's clock is off by more"
                            + " than 15 minutes; the account key was not checked.");
                }
                return new Refused(SERVICE + " did not accept the account key for storage account '" + account + "'.");
            }
            if (answer.status() == 403 && code.startsWith("AuthorizationPermissionMismatch")) {
                return new Refused("The account key for '" + account + "' may not list containers.");
            }
            if (answer.status() == 403 && code.equals("AccountIsDisabled")) {
                return new Refused("The storage account '" + account + "' is disabled.");
            }
            return Replies.otherStatus(SERVICE, answer, "account name and key", key);
        }
        SafeXml.Node results;
        try {
            results = SafeXml.parse(answer.body());
        } catch (XMLStreamException e) {
            return Replies.unreadable(SERVICE);
        }
        if (!results.name().equals("EnumerationResults")) {
            return Replies.unreadable(SERVICE);
        }
        List<String> containers = new ArrayList<>();
        for (SafeXml.Node container : results.child("Containers").map(c -> c.all("Container")).orElse(List.of())) {
            container.text("Name").ifPresent(containers::add);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("account_name", account);
        String endpoint = results.attributes().get("ServiceEndpoint");
        if (endpoint != null && !endpoint.isBlank()) {
            metadata.put("service_endpoint", endpoint);
        }
        metadata.put("containers", containers);
        metadata.put("more_containers", results.text("NextMarker").isPresent());
        return new Verified(account, metadata);
    }
}
