package io.catchment.connector.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.connector.credentials.CredentialVerifiers.Endpoints;
import io.catchment.connector.credentials.Verification.Refused;
import io.catchment.connector.credentials.Verification.Unreachable;
import io.catchment.connector.credentials.Verification.Verified;
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.models.RecordedRequest;
import io.catchment.testing.sources.FakeS3;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3VerifierTest {
    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private final FakeS3 s3 = new FakeS3(KEY_ID, SECRET, "us-east-1", TestVerifiers.CLOCK).withBuckets("reports", "photos");
    private final FakeS3 spaces = new FakeS3("DO00QWERTYUIOPASDFGH", SECRET, "nyc3", TestVerifiers.CLOCK)
            .withBuckets("static-images");
    private final CredentialVerifiers verifiers = TestVerifiers.with(Endpoints.defaults().withAwsS3(s3.baseUrl())
            .withDigitalOceanSpaces(spaces.baseUrl().toString()));

    @AfterEach
    void close() {
        s3.close();
        spaces.close();
    }

    @Test
    void listsBucketsWithASignatureS3Accepts() {
        Verification result = verifiers.s3(KEY_ID, SECRET, Optional.empty());

        assertThat(result).isEqualTo(new Verified(KEY_ID, Map.of("provider", "AWS_S3", "endpoint", "s3.amazonaws.com",
                "region", "us-east-1", "owner_id", s3.ownerId(), "owner_display_name", "catchment-tests",
                "bucket_count", 2, "buckets", List.of("reports", "photos"))));
        RecordedRequest request = s3.lastRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/");
        assertThat(request.header("authorization")).hasValueSatisfying(auth -> assertThat(auth)
                .startsWith("AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/20260302/us-east-1/s3/aws4_request, "
                        + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="));
        assertThat(request.header("x-amz-date")).contains("20260302T100000Z");
        assertThat(request.header("x-amz-content-sha256")).contains(SigV4.EMPTY_PAYLOAD_SHA256);
    }

    @Test
    void signsDigitalOceanSpacesForTheRegionOfItsEndpoint() {
        Verification result = verifiers.s3("DO00QWERTYUIOPASDFGH", SECRET, Optional.of("https://NYC3.digitaloceanspaces.com/"));

        assertThat(result).isInstanceOfSatisfying(Verified.class, verified -> assertThat(verified.metadata())
                .containsEntry("provider", "DIGITALOCEAN_SPACES").containsEntry("region", "nyc3")
                .containsEntry("endpoint", "nyc3.digitaloceanspaces.com")
                .containsEntry("buckets", List.of("static-images")));
        assertThat(s3.requests()).isEmpty();
    }

    @Test
    void aSpacesEndpointOfAnotherRegionIsRefusedWithS3sReason() {
        assertThat(verifiers.s3("DO00QWERTYUIOPASDFGH", SECRET, Optional.of("sfo3.digitaloceanspaces.com")))
                .isInstanceOfSatisfying(Refused.class, refused -> assertThat(refused.message())
                        .contains("AuthorizationHeaderMalformed").contains("the region 'sfo3' is wrong; expecting 'nyc3'"));
    }

    @Test
    void refusesASecretThatDoesNotMatchWithoutShowingEitherSecret() {
        String wrong = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY";

        Verification result = verifiers.s3(KEY_ID, wrong, Optional.empty());

        assertThat(result).isInstanceOfSatisfying(Refused.class, refused -> assertThat(refused.message())
                .contains("rejected the signature").contains(KEY_ID).doesNotContain(wrong).doesNotContain(SECRET));
    }

    @Test
    void refusesAnAccessKeyS3DoesNotKnow() {
        assertThat(verifiers.s3("AKIAUNKNOWNKEY000000", SECRET, Optional.empty())).isEqualTo(
                new Refused("Amazon S3 does not know the access key AKIAUNKNOWNKEY000000."));
    }

    @Test
    void aKeyWithoutListPermissionIsRefusedAsSuch() {
        s3.denyListBuckets();

        assertThat(verifiers.s3(KEY_ID, SECRET, Optional.empty())).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.message()).contains("may not list buckets (s3:ListAllMyBuckets)"));
    }

    @Test
    void aSkewedClockIsOurProblemNotTheUsers() {
        CredentialVerifiers late = new CredentialVerifiers(TestVerifiers.HTTP,
                Clock.fixed(TestVerifiers.NOW.minus(Duration.ofMinutes(16)), ZoneOffset.UTC),
                Endpoints.defaults().withAwsS3(s3.baseUrl()));

        assertThat(late.s3(KEY_ID, SECRET, Optional.empty())).isInstanceOfSatisfying(Unreachable.class,
                unreachable -> assertThat(unreachable.message()).contains("clock"));
    }

    @Test
    void slowDownIsUnreachable() {
        s3.failNext(new Reply(503, Map.of("Content-Type", "application/xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>"
                + "<RequestId>4442587FB7D0A2F9</RequestId><HostId>h</HostId></Error>"));

        assertThat(verifiers.s3(KEY_ID, SECRET, Optional.empty())).isInstanceOf(Unreachable.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://169.254.169.254/", "minio.internal:9000", "http://nyc3.digitaloceanspaces.com",
            "nyc3.digitaloceanspaces.com.evil.example", "evil.example/nyc3.digitaloceanspaces.com",
            "https://s3.eu-west-1.amazonaws.com", "nyc3.digitaloceanspaces.com:8443", "user@nyc3.digitaloceanspaces.com"})
    void refusesAnEndpointThatIsNotASpacesRegionWithoutSendingAnything(String endpoint) {
        assertThat(verifiers.s3(KEY_ID, SECRET, Optional.of(endpoint))).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.message()).startsWith("endpoint_url must"));
        assertThat(s3.requests()).isEmpty();
        assertThat(spaces.requests()).isEmpty();
    }

    @Test
    void refusesKeysThatCannotBeKeysWithoutSendingAnything() {
        assertThat(verifiers.s3("AKIA-not/valid", SECRET, Optional.empty())).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.message()).startsWith("access_key must"));
        assertThat(verifiers.s3(KEY_ID, " ", Optional.empty())).isEqualTo(new Refused("access_key_secret is required"));
        assertThat(s3.requests()).isEmpty();
    }

    @Test
    void aSpacesRegionThatDoesNotResolveIsRefused() {
        CredentialVerifiers nowhere = TestVerifiers.with(Endpoints.defaults()
                .withDigitalOceanSpaces("http://{region}.invalid"));

        assertThat(nowhere.s3(KEY_ID, SECRET, Optional.of("xyz9.digitaloceanspaces.com")))
                .isInstanceOfSatisfying(Refused.class, refused -> assertThat(refused.message())
                        .contains("no DigitalOcean Spaces region at xyz9.digitaloceanspaces.com"));
    }
}
