package io.catchment.connector.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Azure Shared Key against Microsoft's documented string-to-sign example ("Authorize with Shared
 * Key", Get Container Metadata, version 2015-02-21) and signatures computed independently with
 * Python's {@code hmac} module over the same strings, keyed with Azurite's published
 * development-account key.
 */
class SharedKeySignerTest {
    /** Azurite's well-known key for {@code devstoreaccount1} (public; it only opens the local emulator). */
    static final String AZURITE_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    @Test
    void reproducesMicrosoftsDocumentedStringToSign() {
        URI uri = URI.create("https://myaccount.blob.core.windows.net/mycontainer?restype=container&comp=metadata&timeout=20");
        Map<String, String> headers = Map.of("x-ms-date", "Fri, 26 Jun 2015 23:39:12 GMT", "x-ms-version", "2015-02-21");

        String stringToSign = SharedKeySigner.stringToSign("GET", "myaccount", uri, headers);

        assertThat(stringToSign).isEqualTo("GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Fri, 26 Jun 2015 23:39:12 GMT\n"
                + "x-ms-version:2015-02-21\n/myaccount/mycontainer\ncomp:metadata\nrestype:container\ntimeout:20");
        // python3: base64(hmac.new(b64decode(key), sts.encode(), sha256).digest())
        assertThat(new SharedKeySigner("myaccount", AZURITE_KEY).signature(stringToSign))
                .isEqualTo("1u9lui2jDxj0+fpbHjQ5m5NnastJRSYM+PSmfi8TXx4=");
    }

    @Test
    void signsListContainersAsIndependentlyComputed() {
        URI uri = URI.create("https://devstoreaccount1.blob.core.windows.net/?comp=list&maxresults=100");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-ms-date", "Mon, 02 Mar 2026 10:00:00 GMT");
        headers.put("x-ms-version", "2020-10-02");

        String authorization = new SharedKeySigner("devstoreaccount1", AZURITE_KEY).authorization("GET", uri, headers);

        assertThat(authorization).isEqualTo("SharedKey devstoreaccount1:AwQiH6sf6B46VZ9mQhTZ37uMkGd417rNtiIG0fkDqUY=");
    }

    @Test
    void standardHeadersTakeTheirFixedPlacesAndZeroLengthSignsAsEmpty() {
        URI uri = URI.create("https://acct.blob.core.windows.net/c/blob.txt");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/plain");
        headers.put("Content-Length", "0");
        headers.put("Range", "bytes=0-99");
        headers.put("x-ms-version", "2020-10-02");

        String stringToSign = SharedKeySigner.stringToSign("put", "acct", uri, headers);

        assertThat(stringToSign).isEqualTo("PUT\n\n\n\n\ntext/plain\n\n\n\n\n\nbytes=0-99\nx-ms-version:2020-10-02\n"
                + "/acct/c/blob.txt");
        headers.put("Content-Length", "12");
        assertThat(SharedKeySigner.stringToSign("PUT", "acct", uri, headers)).startsWith("PUT\n\n\n12\n\ntext/plain\n");
    }

    @Test
    void msHeadersAreLowerCasedSortedAndTrimmed() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Ms-Version", "2020-10-02");
        headers.put("x-ms-date", "  Mon, 02 Mar 2026 10:00:00 GMT ");
        headers.put("X-MS-Client-Request-Id", "abc");
        headers.put("Accept", "application/xml");

        String stringToSign = SharedKeySigner.stringToSign("GET", "acct", URI.create("https://acct.blob.core.windows.net/"),
                headers);

        assertThat(stringToSign).endsWith("\nx-ms-client-request-id:abc\nx-ms-date:Mon, 02 Mar 2026 10:00:00 GMT\n"
                + "x-ms-version:2020-10-02\n/acct/");
    }

    @Test
    void queryNamesAreLowerCasedAndRepeatedValuesSortedAndJoined() {
        URI uri = URI.create("https://acct.blob.core.windows.net/?Comp=list&include=system&include=metadata&prefix=a%20b");

        assertThat(SharedKeySigner.canonicalizedResource("acct", uri))
                .isEqualTo("/acct/\ncomp:list\ninclude:metadata,system\nprefix:a b");
    }

    @Test
    void refusesAKeyThatIsNotBase64AndNeverShowsTheKey() {
        assertThatThrownBy(() -> new SharedKeySigner("acct", "not base64!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SharedKeySigner("acct", "")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new SharedKeySigner("acct", AZURITE_KEY).toString()).doesNotContain(AZURITE_KEY.substring(0, 12));
    }
}
