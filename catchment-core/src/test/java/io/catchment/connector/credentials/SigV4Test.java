package io.catchment.connector.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * AWS Signature Version 4 against AWS's published examples: the IAM {@code ListUsers} request of
 * the general signing guide (also in the SigV4 test suite) and the S3 {@code GET /test.txt}
 * example of "Authenticating Requests: Using the Authorization Header" (header-based auth).
 */
class SigV4Test {

    @Test
    void reproducesAwsIamListUsersExample() {
        SigV4 signer = new SigV4("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "iam");

        SigV4.Signed signed = signer.sign("GET", URI.create("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"),
                Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), SigV4.EMPTY_PAYLOAD_SHA256,
                Instant.parse("2015-08-30T12:36:00Z"));

        assertThat(signed.canonicalRequest()).isEqualTo("""
                GET
                /
                Action=ListUsers&Version=2010-05-08
                content-type:application/x-www-form-urlencoded; charset=utf-8
                host:iam.amazonaws.com
                x-amz-date:20150830T123600Z

                content-type;host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""");
        assertThat(SigV4.sha256Hex(signed.canonicalRequest()))
                .isEqualTo("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
        assertThat(signed.stringToSign()).isEqualTo("""
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/iam/aws4_request
                f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59""");
        assertThat(signed.signingKeyHex()).isEqualTo("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
        assertThat(signed.signature()).isEqualTo("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
        assertThat(signed.authorization()).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/"
                + "aws4_request, SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
        // Only S3 needs the payload hash header.
        assertThat(signed.headers()).containsOnlyKeys("Content-Type", "x-amz-date", "Authorization");
    }

    @Test
    void reproducesAwsS3GetObjectExample() {
        SigV4 signer = new SigV4("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3");

        SigV4.Signed signed = signer.sign("GET", URI.create("https://examplebucket.s3.amazonaws.com/test.txt"),
                Map.of("Range", "bytes=0-9"), SigV4.EMPTY_PAYLOAD_SHA256, Instant.parse("2013-05-24T00:00:00Z"));

        assertThat(signed.canonicalRequest()).isEqualTo("""
                GET
                /test.txt

                host:examplebucket.s3.amazonaws.com
                range:bytes=0-9
                x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-amz-date:20130524T000000Z

                host;range;x-amz-content-sha256;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""");
        assertThat(signed.stringToSign()).isEqualTo("""
                AWS4-HMAC-SHA256
                20130524T000000Z
                20130524/us-east-1/s3/aws4_request
                7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972""");
        assertThat(signed.signature()).isEqualTo("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
        assertThat(signed.headers()).containsEntry("x-amz-content-sha256", SigV4.EMPTY_PAYLOAD_SHA256)
                .containsEntry("x-amz-date", "20130524T000000Z").doesNotContainKey("host").doesNotContainKey("Host");
    }

    @Test
    void anotherSecretGivesAnotherSignature() {
        URI uri = URI.create("https://s3.amazonaws.com/");
        Instant at = Instant.parse("2026-03-02T10:00:00Z");
        String right = new SigV4("AKIAIOSFODNN7EXAMPLE", "secret-one", "us-east-1", "s3")
                .sign("GET", uri, Map.of(), SigV4.EMPTY_PAYLOAD_SHA256, at).signature();
        String wrong = new SigV4("AKIAIOSFODNN7EXAMPLE", "secret-two", "us-east-1", "s3")
                .sign("GET", uri, Map.of(), SigV4.EMPTY_PAYLOAD_SHA256, at).signature();

        assertThat(right).hasSize(64).isNotEqualTo(wrong);
    }

    @Test
    void queryIsDecodedReencodedAndSortedByNameThenValue() {
        assertThat(SigV4.canonicalQuery("prefix=J&max-keys=2")).isEqualTo("max-keys=2&prefix=J");
        assertThat(SigV4.canonicalQuery("b=2&a=z&a=y")).isEqualTo("a=y&a=z&b=2");
        assertThat(SigV4.canonicalQuery("key=a+b&x=%7e%2f&flag")).isEqualTo("flag=&key=a%2Bb&x=~%2F");
        assertThat(SigV4.canonicalQuery("name=%C3%A9t%C3%A9")).isEqualTo("name=%C3%A9t%C3%A9");
        assertThat(SigV4.canonicalQuery(null)).isEmpty();
    }

    @Test
    void pathsAreEncodedOnceForS3AndTwiceForOtherServices() {
        URI uri = URI.create("https://example.amazonaws.com/docs/a%20b/%E2%82%AC~x");

        assertThat(SigV4.canonicalUri(uri, true)).isEqualTo("/docs/a%20b/%E2%82%AC~x");
        assertThat(SigV4.canonicalUri(uri, false)).isEqualTo("/docs/a%2520b/%25E2%2582%25AC~x");
        assertThat(SigV4.canonicalUri(URI.create("https://s3.amazonaws.com"), true)).isEqualTo("/");
    }

    @Test
    void hostHeaderCarriesOnlyANonDefaultPort() {
        assertThat(SigV4.hostHeader(URI.create("http://127.0.0.1:9000/"))).isEqualTo("127.0.0.1:9000");
        assertThat(SigV4.hostHeader(URI.create("https://s3.amazonaws.com:443/"))).isEqualTo("s3.amazonaws.com");
        assertThat(SigV4.hostHeader(URI.create("https://nyc3.digitaloceanspaces.com/"))).isEqualTo("nyc3.digitaloceanspaces.com");
    }

    @Test
    void neitherTheSecretNorTheSigningKeyIsShown() {
        SigV4 signer = new SigV4("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3");
        SigV4.Signed signed = signer.sign("GET", URI.create("https://s3.amazonaws.com/"), Map.of(),
                SigV4.EMPTY_PAYLOAD_SHA256, Instant.parse("2026-03-02T10:00:00Z"));

        assertThat(signer.toString()).doesNotContain("wJalrXUtnFEMI");
        assertThat(signed.toString()).doesNotContain("wJalrXUtnFEMI").doesNotContain(signed.signingKeyHex());
    }
}
