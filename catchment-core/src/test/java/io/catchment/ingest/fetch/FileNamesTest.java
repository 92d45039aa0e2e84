package io.catchment.ingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.URI;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FileNamesTest {

    static Stream<Arguments> dispositions() {
        return Stream.of(
                arguments("attachment; filename=\"report.pdf\"", "report.pdf"),
                arguments("attachment; filename=report.pdf", "report.pdf"),
                arguments("attachment;filename = report.pdf ; size=3", "report.pdf"),
                arguments("inline; filename=\"a \\\"quoted\\\" name.txt\"", "a _quoted_ name.txt"),
                arguments("attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf", "\u20ac rates.pdf"),
                arguments("attachment; filename=\"fallback.pdf\"; filename*=utf-8''r%C3%A9sum%C3%A9.pdf",
                        "r\u00e9sum\u00e9.pdf"),
                arguments("attachment; filename*=iso-8859-1'en'%A3%20rates.txt", "\u00a3 rates.txt"),
                arguments("attachment; filename*=bogus''x.pdf; filename=\"plain.pdf\"", "plain.pdf"),
                arguments("attachment; filename=\"../../etc/passwd\"", "passwd"),
                arguments("attachment; filename=\"C:\\\\Windows\\\\evil.exe\"", "evil.exe"),
                arguments("attachment; filename=\".htaccess\"", "htaccess"),
                arguments("attachment; filename=\"name\u202egpj.exe\"", "namegpj.exe"),
                arguments("attachment; filename=\"tab\there\nnow.txt\"", "tab here now.txt"),
                arguments("attachment; filename=\"what?.txt\"", "what_.txt"));
    }

    @ParameterizedTest
    @MethodSource("dispositions")
    void contentDisposition(String header, String expected) {
        assertThat(FileNames.fromContentDisposition(header)).contains(expected);
    }

    @Test
    void contentDispositionWithoutAUsableName() {
        assertThat(FileNames.fromContentDisposition("attachment")).isEmpty();
        assertThat(FileNames.fromContentDisposition("attachment; filename=\"..\"")).isEmpty();
        assertThat(FileNames.fromContentDisposition("attachment; filename=\"  \"")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://h/files/Quarterly%20report.pdf        | Quarterly report.pdf",
        "http://h/a/b/c%2Fd.txt                        | d.txt",
        "http://h/r%C3%A9sum%C3%A9.pdf?x=1#top         | résumé.pdf",
        "http://h/a+b.txt                              | a+b.txt",
        "http://h/file.pdf;jsessionid=123              | file.pdf",
        "http://h/                                     | download",
        "http://h                                      | download",
        "http://h/dir/                                 | download",
        "http://h/%2E%2E                               | download",
    })
    void fromThePath(String url, String expected) {
        assertThat(FileNames.of(Optional.empty(), URI.create(url))).isEqualTo(expected);
    }

    @Test
    void malformedEscapesAreKeptAsWritten() {
        assertThat(FileNames.percentDecode("bad%zz%4", java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("bad%zz%4");
        assertThat(FileNames.percentDecode("%C3", java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("\ufffd");
    }

    @Test
    void contentDispositionWinsOverThePath() {
        assertThat(FileNames.of(Optional.of("attachment; filename=\"real.csv\""), URI.create("http://h/export")))
                .isEqualTo("real.csv");
        assertThat(FileNames.of(Optional.of("inline"), URI.create("http://h/export.csv"))).isEqualTo("export.csv");
    }

    @Test
    void longNamesAreShortenedKeepingTheExtension() {
        String name = FileNames.sanitize("x".repeat(500) + ".pdf").orElseThrow();
        assertThat(name).hasSize(200).endsWith("x.pdf");
    }
}
