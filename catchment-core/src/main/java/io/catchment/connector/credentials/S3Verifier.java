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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamException;

/**
 * Amazon S3 and DigitalOcean Spaces: ListBuckets ({@code GET /}) signed with {@link SigV4}
 * (service {@code s3}). Without an endpoint URL the request goes to {@code s3.amazonaws.com} in
 * {@code us-east-1}; with one, it must be a Spaces endpoint {@code <region>.digitaloceanspaces.com}
 * (the only kind Carbon documents), and the region is taken from it. Any other endpoint is
 * refused: it is user input, and letting it name an arbitrary host would let users make the
 * server send signed requests anywhere.
 *
 * <p>S3 answers errors as XML {@code <Error><Code>...}: {@code InvalidAccessKeyId} and
 * {@code SignatureDoesNotMatch} (403) are wrong credentials, {@code AccessDenied} a key without
 * {@code s3:ListAllMyBuckets}; {@code RequestTimeTooSkewed} is this server's clock, not the user.
 */
final class S3Verifier implements CredentialVerifier {
    private static final Pattern SPACES = Pattern.compile("([a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?)\\.digitaloceanspaces\\.com");
    private static final Pattern ACCESS_KEY = Pattern.compile("[A-Za-z0-9]{16,128}");
    private static final int MAX_LISTED = 100;

    private final ProviderHttp http;
    private final Clock clock;
    private final URI aws;
    private final String spacesTemplate;

    /**
     * @param aws            the S3 endpoint for region us-east-1
     * @param spacesTemplate the Spaces endpoint with {@code {region}} where the region goes
     */
    S3Verifier(ProviderHttp http, Clock clock, URI aws, String spacesTemplate) {
        this.http = http;
        this.clock = clock;
        this.aws = aws;
        this.spacesTemplate = spacesTemplate;
    }

    @Override
    public DataSourceType source() {
        return DataSourceType.S3;
    }

    /** Where to send the request and how to sign it. */
    private record Target(String service, URI base, String region, String endpoint) {
    }

    Verification verify(String accessKey, String secretKey, Optional<String> endpointUrl) {
        String keyId;
        String secret;
        Target target;
        try {
            keyId = Inputs.secret("access_key", accessKey);
            if (!ACCESS_KEY.matcher(keyId).matches()) {
                throw new InvalidInput("access_key must be an access key id (16 to 128 letters and digits)");
            }
            secret = Inputs.secret("access_key_secret", secretKey);
            target = target(endpointUrl);
        } catch (InvalidInput e) {
            return new Refused(e.getMessage());
        }
        URI uri = URI.create(target.base + "/");
        SigV4.Signed signed = new SigV4(keyId, secret, target.region, "s3")
                .sign("GET", uri, Map.of(), SigV4.EMPTY_PAYLOAD_SHA256, clock.instant());
        return switch (http.get(uri, signed.headers())) {
            case NoAnswer none when none.unknownHost() && target.service.equals("DigitalOcean Spaces") ->
                    new Refused("There is no DigitalOcean Spaces region at " + target.endpoint
                            + " (the name does not resolve); check endpoint_url.");
            case NoAnswer none -> Replies.noAnswer(target.service, none);
            case Answer answer -> read(answer, target, keyId, secret);
        };
    }

    private Target target(Optional<String> endpointUrl) {
        if (endpointUrl.isEmpty() || endpointUrl.get().isBlank()) {
            return new Target("Amazon S3", aws, "us-east-1", "s3.amazonaws.com");
        }
        String raw = endpointUrl.get().strip();
        if (raw.toLowerCase(Locale.ROOT).startsWith("http://")) {
            throw new InvalidInput("endpoint_url must use https");
        }
        String host = Inputs.bareHost(raw);
        Matcher spaces = SPACES.matcher(host);
        if (!spaces.matches()) {
            throw new InvalidInput("endpoint_url must be a DigitalOcean Spaces endpoint like 'nyc3.digitaloceanspaces.com'"
                    + " (leave it out for Amazon S3)");
        }
        String region = spaces.group(1);
        return new Target("DigitalOcean Spaces", URI.create(spacesTemplate.replace("{region}", region)), region, host);
    }

    private static Verification read(Answer answer, Target target, String keyId, String secret) {
        if (!answer.ok()) {
            return error(answer, target, keyId, secret);
        }
        SafeXml.Node result;
        try {
            result = SafeXml.parse(answer.body());
        } catch (XMLStreamException e) {
            return Replies.unreadable(target.service);
        }
        if (!result.name().equals("ListAllMyBucketsResult")) {
            return Replies.unreadable(target.service);
        }
        List<String> buckets = new ArrayList<>();
        int count = 0;
        for (SafeXml.Node bucket : result.child("Buckets").map(b -> b.all("Bucket")).orElse(List.of())) {
            Optional<String> name = bucket.text("Name");
            if (name.isPresent()) {
                count++;
                if (buckets.size() < MAX_LISTED) {
                    buckets.add(name.get());
                }
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("provider", target.service.equals("Amazon S3") ? "AWS_S3" : "DIGITALOCEAN_SPACES");
        metadata.put("endpoint", target.endpoint);
        metadata.put("region", target.region);
        result.child("Owner").flatMap(o -> o.text("ID")).ifPresent(id -> metadata.put("owner_id", id));
        result.child("Owner").flatMap(o -> o.text("DisplayName")).ifPresent(n -> metadata.put("owner_display_name", n));
        metadata.put("bucket_count", count);
        metadata.put("buckets", buckets);
        return new Verified(keyId, metadata);
    }

    private static Verification error(Answer answer, Target target, String keyId, String secret) {
        String code = "";
        String message = "";
        try {
            SafeXml.Node error = SafeXml.parse(answer.body());
            code = error.text("Code").orElse("");
            message = error.text("Message").map(m -> Redact.scrub(m, secret)).orElse("");
        } catch (XMLStreamException notXml) {
            // an error without an S3 body (a proxy, a load balancer): judged by status below
        }
        String service = target.service;
        return switch (code) {
            case "InvalidAccessKeyId" -> new Refused(service + " does not know the access key " + keyId + ".");
            case "SignatureDoesNotMatch" -> new Refused(service + " rejected the signature: access_key_secret does not"
                    + " belong to the access key " + keyId + ".");
            case "AccessDenied", "AllAccessDisabled" -> new Refused("The " + service + " credentials work but may not list"
                    + " buckets (s3:ListAllMyBuckets)" + (message.isEmpty() ? "" : ": " + message) + ".");
            case "InvalidToken", "ExpiredToken", "TokenRefreshRequired" -> new Refused(service + " refused the credentials ("
                    + code + ")" + (message.isEmpty() ? "" : ": " + message) + ".");
            case "RequestTimeTooSkewed" -> new Unreachable(service + " refused the request because this server's clock is"
                    + " off by more than 15 minutes; the credentials were not checked.");
            case "SlowDown", "ServiceUnavailable", "InternalError" -> new Unreachable(service + " could not answer right now ("
                    + code + "). Try again later.");
            default -> Replies.otherStatus(service, answer, "access key, secret and endpoint_url", secret);
        };
    }
}
