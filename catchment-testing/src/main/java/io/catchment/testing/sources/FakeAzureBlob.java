package io.catchment.testing.sources;

import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One Azure storage account's Blob service: List Containers ({@code GET /?comp=list}, with
 * {@code maxresults} and {@code marker} paging) answers {@code EnumerationResults} XML. Requests
 * must be authorized with Shared Key, which the fake recomputes from the request as received
 * with its own implementation and the account key it was given, as Azure does:
 * <ul>
 *   <li>no {@code Authorization}: 401 {@code NoAuthenticationInformation};
 *   <li>no {@code x-ms-version}: 400 {@code MissingRequiredHeader};
 *   <li>no date, a date more than 15 minutes from the fake's clock, another account, or a
 *       signature that does not match: 403 {@code AuthenticationFailed}, whose
 *       {@code AuthenticationErrorDetail} says which (and, for a wrong signature, shows the
 *       string the server signed, as Azure does).
 * </ul>
 * Errors are Azure's XML {@code <Error><Code/><Message/></Error>} with the code also in
 * {@code x-ms-error-code}.
 */
public final class FakeAzureBlob extends FakeHttpApi {
    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final List<String> STANDARD = List.of("content-encoding", "content-language", "content-length",
            "content-md5", "content-type", "date", "if-modified-since", "if-match", "if-none-match",
            "if-unmodified-since", "range");

    private final String account;
    private final byte[] key;
    private final Clock clock;
    private final List<String> containers = new CopyOnWriteArrayList<>();

    /** @param base64Key the account key as the portal shows it */
    public FakeAzureBlob(String account, String base64Key, Clock clock) {
        this.account = account;
        this.key = Base64.getDecoder().decode(base64Key);
        this.clock = clock;
        get("/", this::service);
    }

    public FakeAzureBlob withContainers(String... names) {
        containers.addAll(List.of(names));
        return this;
    }

    private Reply service(RecordedRequest request) {
        Map<String, List<String>> query = query(request);
        Optional<Reply> refusal = authenticate(request, query);
        if (refusal.isPresent()) {
            return refusal.get();
        }
        if (!first(query, "comp").equals("list")) {
            return error(400, "InvalidQueryParameterValue", "Value for one of the query parameters specified in the"
                    + " request URI is invalid.", "");
        }
        int max = 5000;
        if (!first(query, "maxresults").isEmpty()) {
            try {
                max = Integer.parseInt(first(query, "maxresults"));
            } catch (NumberFormatException e) {
                max = 0;
            }
            if (max <= 0) {
                return error(400, "OutOfRangeQueryParameterValue", "One of the query parameters specified in the"
                        + " request URI is outside the permissible range.", "");
            }
        }
        List<String> sorted = containers.stream().sorted().toList();
        String marker = first(query, "marker");
        List<String> from = sorted.stream().filter(c -> marker.isEmpty() || c.compareTo(marker) >= 0).toList();
        List<String> page = from.subList(0, Math.min(max, from.size()));
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>")
                .append("<EnumerationResults ServiceEndpoint=\"https://").append(account)
                .append(".blob.core.windows.net/\">");
        if (!marker.isEmpty()) {
            xml.append("<Marker>").append(FakeS3.escape(marker)).append("</Marker>");
        }
        if (!first(query, "maxresults").isEmpty()) {
            xml.append("<MaxResults>").append(max).append("</MaxResults>");
        }
        xml.append("<Containers>");
        for (String name : page) {
            xml.append("<Container><Name>").append(FakeS3.escape(name)).append("</Name><Properties>")
                    .append("<Last-Modified>Mon, 02 Mar 2026 10:00:00 GMT</Last-Modified>")
                    .append("<Etag>\"0x8DC1A2B3C4D5E6F\"</Etag><LeaseStatus>unlocked</LeaseStatus>")
                    .append("<LeaseState>available</LeaseState><DefaultEncryptionScope>$account-encryption-key")
                    .append("</DefaultEncryptionScope><DenyEncryptionScopeOverride>false</DenyEncryptionScopeOverride>")
                    .append("<HasImmutabilityPolicy>false</HasImmutabilityPolicy><HasLegalHold>false</HasLegalHold>")
                    .append("</Properties></Container>");
        }
        xml.append("</Containers>");
        if (page.size() < from.size()) {
            xml.append("<NextMarker>").append(FakeS3.escape(from.get(page.size()))).append("</NextMarker>");
        } else {
            xml.append("<NextMarker />");
        }
        xml.append("</EnumerationResults>");
        return new Reply(200, Map.of("Content-Type", "application/xml", "x-ms-request-id", UUID.randomUUID().toString(),
                "x-ms-version", request.header("x-ms-version").orElse("")), xml.toString());
    }

    private Optional<Reply> authenticate(RecordedRequest request, Map<String, List<String>> query) {
        Optional<String> auth = request.header("authorization");
        if (auth.isEmpty()) {
            return Optional.of(error(401, "NoAuthenticationInformation", "Server failed to authenticate the request."
                    + " Please refer to the information in the www-authenticate header.", "")
                    .withHeader("WWW-Authenticate", "Bearer authorization_uri=https://login.microsoftonline.com/"
                            + "common/oauth2/authorize resource_id=https://storage.azure.com"));
        }
        if (request.header("x-ms-version").isEmpty()) {
            return Optional.of(error(400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request"
                    + " is not specified.", "").withHeader("x-ms-header-name", "x-ms-version"));
        }
        Optional<String> date = request.header("x-ms-date").or(() -> request.header("date"));
        Instant when;
        try {
            when = ZonedDateTime.parse(date.orElse(""), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return Optional.of(authenticationFailed("The Date header in the request is incorrect."));
        }
        Instant now = clock.instant();
        if (Duration.between(when, now).abs().compareTo(MAX_SKEW) > 0) {
            return Optional.of(authenticationFailed("Request date header too old: '" + date.get() + "'"));
        }
        String value = auth.get();
        if (!value.startsWith("SharedKey ") || value.indexOf(':') < 0) {
            return Optional.of(authenticationFailed("The authorization header is not in a valid format."));
        }
        String claimedAccount = value.substring("SharedKey ".length(), value.indexOf(':'));
        String signature = value.substring(value.indexOf(':') + 1);
        if (!claimedAccount.equals(account)) {
            return Optional.of(authenticationFailed("Issuer validation failed. Account name in the Authorization header"
                    + " does not match the account being accessed."));
        }
        String stringToSign = stringToSign(request, query);
        if (!sign(stringToSign).equals(signature)) {
            return Optional.of(authenticationFailed("The MAC signature found in the HTTP request '" + signature
                    + "' is not the same as any computed signature. Server used following string to sign: '"
                    + stringToSign + "'."));
        }
        return Optional.empty();
    }

    private String stringToSign(RecordedRequest request, Map<String, List<String>> query) {
        StringBuilder sb = new StringBuilder(request.method()).append('\n');
        for (String name : STANDARD) {
            String value = request.header(name).orElse("");
            sb.append(name.equals("content-length") && value.equals("0") ? "" : value).append('\n');
        }
        TreeMap<String, String> msHeaders = new TreeMap<>();
        request.headers().forEach((name, values) -> {
            if (name.startsWith("x-ms-")) {
                msHeaders.put(name, values.getFirst().strip());
            }
        });
        msHeaders.forEach((name, value) -> sb.append(name).append(':').append(value).append('\n'));
        sb.append('/').append(account).append(request.path().isEmpty() ? "/" : request.path());
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        query.forEach((name, values) -> sorted.put(name.toLowerCase(Locale.ROOT), values));
        sorted.forEach((name, values) -> sb.append('\n').append(name).append(':')
                .append(String.join(",", values.stream().sorted().toList())));
        return sb.toString();
    }

    private String sign(String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, List<String>> query(RecordedRequest request) {
        Map<String, List<String>> params = new TreeMap<>();
        for (String pair : request.query().orElse("").split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? "" : values.getFirst();
    }

    private Reply authenticationFailed(String detail) {
        return error(403, "AuthenticationFailed", "Server failed to authenticate the request. Make sure the value of"
                + " Authorization header is formed correctly including the signature.", detail);
    }

    private Reply error(int status, String code, String message, String detail) {
        String requestId = UUID.randomUUID().toString();
        String xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>"
                + FakeS3.escape(message) + "\nRequestId:" + requestId + "\nTime:" + clock.instant()
                + "</Message>" + (detail.isEmpty() ? "" : "<AuthenticationErrorDetail>" + FakeS3.escape(detail)
                + "</AuthenticationErrorDetail>") + "</Error>";
        return new Reply(status, Map.of("Content-Type", "application/xml", "x-ms-error-code", code,
                "x-ms-request-id", requestId), xml);
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return true; // Azure tells each authentication failure apart; the route checks
    }

    @Override
    protected Reply unauthorized() {
        throw new IllegalStateException("not used");
    }
}
