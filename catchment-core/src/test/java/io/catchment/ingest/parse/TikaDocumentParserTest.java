package io.catchment.ingest.parse;

import io.catchment.testsupport.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.ingest.FileFormat;
import io.catchment.ingest.parse.DocumentBody.Page;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TikaDocumentParserTest {
    private static TikaDocumentParser parser;

    @TempDir
    Path dir;

    private Fixtures files;

    @BeforeAll
    static void parser() {
        parser = new TikaDocumentParser();
    }

    @BeforeEach
    void fixtures() {
        files = new Fixtures(dir);
    }

    // --- plain text formats -------------------------------------------------------------------

    @Test
    void txtIsNormalised() throws Exception {
        Path txt = files.text("notes.txt", "Caf\u0065\u0301 notes  \r\nline two\t\r\n\r\n\r\n\r\n\r\nlast line\r\n\r\n");

        ParsedDocument doc = parsed(txt, FileFormat.TXT);

        assertThat(doc.body()).isEqualTo(new DocumentBody.Plain("Café notes\nline two\n\n\nlast line"));
        assertThat(doc.mimeType()).isEqualTo("text/plain");
    }

    @Test
    void markdownStaysMarkdownText() throws Exception {
        Path md = files.text("readme.md", "# Title\n\nSome *markdown* text.\n\n- item one\n- item two\n");

        assertThat(parsed(md, FileFormat.MD).body())
                .isEqualTo(new DocumentBody.Plain("# Title\n\nSome *markdown* text.\n\n- item one\n- item two"));
    }

    @Test
    void htmlKeepsVisibleTextOnly() throws Exception {
        Path html = files.text("page.html", """
                <!DOCTYPE html>
                <html><head><title>Page title</title>
                <style>body { color: red; } .hidden-style {}</style>
                <script>var secret = "do not index";</script></head>
                <body><h1>Welcome</h1><p>Visible paragraph.</p>
                <script>console.log("inline script")</script><ul><li>One</li><li>Two</li></ul></body></html>
                """);

        ParsedDocument doc = parsed(html, FileFormat.HTML);

        assertThat(doc.body()).isInstanceOf(DocumentBody.Plain.class);
        assertThat(doc.text()).contains("Welcome", "Visible paragraph.", "One", "Two")
                .doesNotContain("secret", "do not index", "color: red", "hidden-style", "inline script", "console");
        assertThat(doc.metadata()).containsEntry("title", "Page title");
    }

    @Test
    void docxParagraphs() throws Exception {
        Path docx = files.docx("report.docx", "First paragraph.", "Second paragraph with café.");

        ParsedDocument doc = parsed(docx, FileFormat.DOCX);

        assertThat(doc.body()).isEqualTo(new DocumentBody.Plain("First paragraph.\nSecond paragraph with café."));
        assertThat(doc.mimeType()).isEqualTo(FileFormat.DOCX.mimeType());
    }

    @Test
    void pptxSlides() throws Exception {
        Path pptx = files.pptx("deck.pptx", "Quarterly results", "Next steps: hire");

        ParsedDocument doc = parsed(pptx, FileFormat.PPTX);

        assertThat(doc.body()).isInstanceOf(DocumentBody.Plain.class);
        assertThat(doc.text()).contains("Quarterly results", "Next steps: hire");
    }

    @Test
    void rtf() throws Exception {
        Path rtf = files.rtf("letter.rtf", "Hello from RTF.", "Second line.");

        assertThat(parsed(rtf, FileFormat.RTF).body()).isEqualTo(new DocumentBody.Plain("Hello from RTF.\nSecond line."));
    }

    // --- e-mail -----------------------------------------------------------------------------------

    @Test
    void emlStartsWithSubjectAndHeaders() throws Exception {
        Path eml = files.text("mail.eml", """
                From: Ada Lovelace <ada@example.com>
                To: Charles Babbage <charles@example.com>
                Cc: Bob <bob@example.com>
                Subject: Analytical engine notes
                Date: Wed, 01 May 2024 10:00:00 +0000
                Message-ID: <1@example.com>
                MIME-Version: 1.0
                Content-Type: text/plain; charset=UTF-8

                Dear Charles,
                The engine weaves algebraic patterns.
                """.replace("\n", "\r\n"));

        ParsedDocument doc = parsed(eml, FileFormat.EML);

        assertThat(doc.body()).isEqualTo(new DocumentBody.Plain("""
                Subject: Analytical engine notes
                From: Ada Lovelace <ada@example.com>
                To: Charles Babbage <charles@example.com>
                Cc: Bob <bob@example.com>
                Date: 2024-05-01T10:00:00Z

                Dear Charles,
                The engine weaves algebraic patterns."""));
        assertThat(doc.metadata())
                .containsEntry("subject", "Analytical engine notes")
                .containsEntry("from", "Ada Lovelace <ada@example.com>")
                .containsEntry("to", "Charles Babbage <charles@example.com>")
                .containsEntry("date", "2024-05-01T10:00:00Z");
        assertThat(doc.mimeType()).isEqualTo("message/rfc822");
    }

    @Test
    void msgBuiltWithPoifsReadsLikeEml() throws Exception {
        Path msg = files.msg("mail.msg", "Quarterly report", "Ada Lovelace", "ada@example.com", "Charles Babbage",
                "Hello team,\r\nRevenue grew 12 percent.\r\n", Instant.parse("2024-05-01T10:00:00Z"));

        ParsedDocument doc = parsed(msg, FileFormat.MSG);

        assertThat(doc.body()).isEqualTo(new DocumentBody.Plain("""
                Subject: Quarterly report
                From: Ada Lovelace <ada@example.com>
                To: Charles Babbage
                Date: 2024-05-01T10:00:00Z

                Hello team,
                Revenue grew 12 percent."""));
        assertThat(doc.metadata())
                .containsEntry("subject", "Quarterly report")
                .containsEntry("from", "Ada Lovelace <ada@example.com>")
                .containsEntry("to", "Charles Babbage")
                .containsEntry("date", "2024-05-01T10:00:00Z");
        assertThat(doc.mimeType()).isEqualTo("application/vnd.ms-outlook");
    }

    // --- PDF --------------------------------------------------------------------------------------

    @Test
    void pdfPagesAndMetadata() throws Exception {
        Path pdf = files.pdf("book.pdf", "The Book", "Ada Lovelace",
                List.of("Page one text", "Page two text", "Page three text"));

        ParsedDocument doc = parsed(pdf, FileFormat.PDF);

        assertThat(doc.body()).isEqualTo(new DocumentBody.Pages(List.of(
                new Page(1, "Page one text"), new Page(2, "Page two text"), new Page(3, "Page three text"))));
        assertThat(doc.metadata())
                .containsEntry("title", "The Book")
                .containsEntry("author", "Ada Lovelace")
                .containsEntry("page_count", "3");
        assertThat(doc.mimeType()).isEqualTo("application/pdf");
    }

    @Test
    void scannedPdfWithoutOcrHasNoText() throws Exception {
        Path pdf = files.scannedPdf("scan.pdf", List.of(List.of("Invoice 2931")));

        assertThat(parser.parse(pdf, "scan.pdf", FileFormat.PDF, ParseOptions.DEFAULT))
                .isEqualTo(new ParseResult.Failed("No text was retrieved from file", false));
    }

    // --- tables -------------------------------------------------------------------------------------

    @Test
    void csvRowsArePrefixedByTheFirstRowsHeaders() throws Exception {
        Path csv = files.text("people.csv", """
                name,age,note\r
                Ada,36,"likes tea, biscuits"\r
                ,,\r
                \r
                "Grace ""Amazing"" Hopper",45,"line one
                line two"\r
                Alan,,extra,surplus\r
                """);

        ParsedDocument doc = parsed(csv, FileFormat.CSV);

        assertThat(doc.body()).isEqualTo(new DocumentBody.Items(List.of(
                "name: Ada, age: 36, note: likes tea, biscuits",
                "name: Grace \"Amazing\" Hopper, age: 45, note: line one line two",
                "name: Alan, note: extra, column 4: surplus")));
        assertThat(doc.mimeType()).isEqualTo("text/csv");
    }

    @Test
    void tsv() throws Exception {
        Path tsv = files.text("people.tsv", "name\tage\nAda\t36\nGrace\t45\n");

        assertThat(parsed(tsv, FileFormat.TSV).body())
                .isEqualTo(new DocumentBody.Items(List.of("name: Ada, age: 36", "name: Grace, age: 45")));
    }

    @Test
    void csvCharacterSetIsDetected() throws Exception {
        Path bom = files.bytes("bom.csv", "\uFEFFname,city\nZoë,Köln\n".getBytes(StandardCharsets.UTF_8));
        Path latin1 = files.bytes("latin1.csv",
                "name,city,note\nZoë,Köln,Ça va très bien à Zürich, merci\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(parsed(bom, FileFormat.CSV).body()).isEqualTo(new DocumentBody.Items(List.of("name: Zoë, city: Köln")));
        assertThat(parsed(latin1, FileFormat.CSV).body()).isEqualTo(new DocumentBody.Items(List.of(
                "name: Zoë, city: Köln, note: Ça va très bien à Zürich, column 4: merci")));
    }

    @Test
    void utf8AfterALongAsciiStartIsNotGarbled() throws Exception {
        String rows = "name,city\n" + "Bob,Paris\n".repeat(5_000) + "Zoë,Köln\n";
        Path csv = files.text("late.csv", rows);
        Path txt = files.text("late.txt", rows);
        Path html = files.text("late.html", "<html><body><p>" + "Bob Paris ".repeat(5_000) + "</p><p>Zoë Köln</p></body></html>");
        Path utf16 = files.bytes("utf16.txt", "\uFEFFZoë in UTF-16".getBytes(StandardCharsets.UTF_16LE));

        List<String> items = ((DocumentBody.Items) parsed(csv, FileFormat.CSV).body()).items();
        assertThat(items).hasSize(5_001).last().isEqualTo("name: Zoë, city: Köln");
        assertThat(parsed(txt, FileFormat.TXT).text()).endsWith("Bob,Paris\nZoë,Köln");
        assertThat(parsed(html, FileFormat.HTML).text()).endsWith("\nZoë Köln");
        assertThat(parsed(utf16, FileFormat.TXT).text()).isEqualTo("Zoë in UTF-16");
    }

    @Test
    void csvWithOnlyAHeaderHasNoText() throws Exception {
        Path csv = files.text("empty.csv", "name,age\n\n");

        assertThat(parser.parse(csv, "empty.csv", FileFormat.CSV, ParseOptions.DEFAULT))
                .isEqualTo(new ParseResult.Failed("No text was retrieved from file", false));
    }

    @Test
    void xlsxSheetsAreNamedFormulasEvaluatedCellsFormatted() throws Exception {
        Path xlsx = files.workbook("book.xlsx", false, true);

        assertThat(parsed(xlsx, FileFormat.XLSX).body()).isEqualTo(new DocumentBody.Items(List.of(
                "[People] name: Ada, age: 36, next year: 37",
                "[People] name: Grace, age: 45, next year: 46",
                "[Orders] id: 7, placed: 2024-05-01, qty: 3, price: 2.5, total: 7.5")));
    }

    @Test
    void xlsmWithOneSheetHasNoSheetPrefix() throws Exception {
        Path xlsm = files.workbook("book.xlsm", true, false);

        ParsedDocument doc = parsed(xlsm, FileFormat.XLSM);

        assertThat(doc.body()).isEqualTo(new DocumentBody.Items(List.of(
                "name: Ada, age: 36, next year: 37", "name: Grace, age: 45, next year: 46")));
        assertThat(doc.mimeType()).isEqualTo("application/vnd.ms-excel.sheet.macroEnabled.12");
    }

    // --- JSON -----------------------------------------------------------------------------------------

    @Test
    void jsonObjectIsOneItemOfDotPaths() throws Exception {
        Path json = files.text("data.json", """
                {"name": "Ada", "age": 36, "price": 1.10, "tags": ["math", "poetry"],
                 "address": {"city": "London", "lines": [{"n": 1}, {"n": 2}]},
                 "grid": [[1, 2]], "empty": {}, "none": [], "missing": null, "ok": true}
                """);

        ParsedDocument doc = parsed(json, FileFormat.JSON);

        assertThat(doc.body()).isEqualTo(new DocumentBody.Items(List.of("""
                name: Ada
                age: 36
                price: 1.10
                tags.0: math
                tags.1: poetry
                address.city: London
                address.lines.0.n: 1
                address.lines.1.n: 2
                grid.0.0: 1
                grid.0.1: 2
                empty: {}
                none: []
                missing: null
                ok: true""")));
        assertThat(doc.mimeType()).isEqualTo("application/json");
    }

    @Test
    void jsonArrayGivesOneItemPerElement() throws Exception {
        Path json = files.text("rows.json", """
                [{"name": "Ada", "langs": ["en", "fr"]}, {"name": "Grace"}, "plain value", 42]
                """);

        assertThat(parsed(json, FileFormat.JSON).body()).isEqualTo(new DocumentBody.Items(List.of(
                "name: Ada\nlangs.0: en\nlangs.1: fr", "name: Grace", "plain value", "42")));
    }

    @Test
    void invalidJsonFails() throws Exception {
        Path json = files.text("bad.json", "{\"name\": \"Ada\",\n \"age\": }");

        ParseResult result = parser.parse(json, "bad.json", FileFormat.JSON, ParseOptions.DEFAULT);

        assertThat(result).isInstanceOfSatisfying(ParseResult.Failed.class, f -> {
            assertThat(f.message()).startsWith("File is not valid JSON: ").contains("line 2");
            assertThat(f.retryable()).isFalse();
        });
    }

    // --- failures -----------------------------------------------------------------------------------

    @Test
    void emptyFilesHaveNoText() throws Exception {
        for (FileFormat format : List.of(FileFormat.TXT, FileFormat.PDF, FileFormat.CSV, FileFormat.JSON, FileFormat.DOCX)) {
            Path empty = files.bytes("empty." + format.name().toLowerCase(), new byte[0]);
            assertThat(parser.parse(empty, empty.getFileName().toString(), format, ParseOptions.DEFAULT))
                    .as(format.name())
                    .isEqualTo(new ParseResult.Failed("No text was retrieved from file", false));
        }
        Path blank = files.text("blank.txt", " \n\t\n  \n");
        assertThat(parser.parse(blank, "blank.txt", FileFormat.TXT, ParseOptions.DEFAULT))
                .isEqualTo(new ParseResult.Failed("No text was retrieved from file", false));
    }

    @Test
    void corruptDocxFailsClearly() throws Exception {
        Path random = files.bytes("random.docx", "this is not a zip file at all".repeat(20).getBytes());
        byte[] real = Files.readAllBytes(files.docx("real.docx", "Some text that will be cut off."));
        Path truncated = files.bytes("truncated.docx", java.util.Arrays.copyOf(real, real.length / 2));
        Path wrongZip = files.bytes("wrong.docx", zipWith("hello.txt", "not an office document"));

        for (Path docx : List.of(random, truncated, wrongZip)) {
            ParseResult result = parser.parse(docx, docx.getFileName().toString(), FileFormat.DOCX, ParseOptions.DEFAULT);
            assertThat(result).as(docx.getFileName().toString()).isInstanceOfSatisfying(ParseResult.Failed.class, f -> {
                assertThat(f.message()).startsWith("File could not be parsed as DOCX; it may be corrupt or not a real DOCX file: ");
                assertThat(f.retryable()).isFalse();
            });
        }
    }

    @Test
    void corruptPdfAndXlsxFailClearly() throws Exception {
        Path pdf = files.bytes("bad.pdf", "%PDF-1.7\n1 0 obj garbage".getBytes());
        Path xlsx = files.bytes("bad.xlsx", "PK\u0003\u0004garbage".getBytes());

        assertThat(parser.parse(pdf, "bad.pdf", FileFormat.PDF, ParseOptions.DEFAULT))
                .isInstanceOfSatisfying(ParseResult.Failed.class, f -> assertThat(f.message()).startsWith("File could not be parsed as PDF"));
        assertThat(parser.parse(xlsx, "bad.xlsx", FileFormat.XLSX, ParseOptions.DEFAULT))
                .isInstanceOfSatisfying(ParseResult.Failed.class, f -> assertThat(f.message()).startsWith("File could not be parsed as XLSX"));
    }

    @Test
    void unreadableFileIsRetryable() {
        ParseResult result = parser.parse(dir.resolve("gone.txt"), "gone.txt", FileFormat.TXT, ParseOptions.DEFAULT);

        assertThat(result).isInstanceOfSatisfying(ParseResult.Failed.class, f -> {
            assertThat(f.message()).startsWith("Could not read the file: ");
            assertThat(f.retryable()).isTrue();
        });
    }

    @Test
    void imageWithoutOcrFails() throws Exception {
        Path png = files.image("note.png", "png", List.of("Invoice 2931"));

        assertThat(parser.parse(png, "note.png", FileFormat.PNG, ParseOptions.DEFAULT)).isEqualTo(new ParseResult.Failed(
                "Text can only be extracted from an image with OCR: set use_ocr=true", false));
    }

    @Test
    void textLongerThanTheLimitFails() throws Exception {
        TikaDocumentParser small = new TikaDocumentParser(100);
        Path txt = files.text("long.txt", "word ".repeat(100));
        Path csv = files.text("long.csv", "a,b\n" + "1,2\n".repeat(100));
        Path json = files.text("long.json", "[" + "1,".repeat(100) + "2]");
        Path pdf = files.pdf("long.pdf", "t", "a", List.of("x".repeat(60), "y".repeat(60)));

        for (var file : List.of(txt, csv, json, pdf)) {
            String name = file.getFileName().toString();
            assertThat(small.parse(file, name, FileFormat.fromFileName(name).orElseThrow(), ParseOptions.DEFAULT))
                    .as(name)
                    .isEqualTo(new ParseResult.Failed("The text extracted from this file exceeds the limit of 100 characters", false));
        }
        assertThat(small.parse(files.text("short.txt", "short"), "short.txt", FileFormat.TXT, ParseOptions.DEFAULT))
                .isInstanceOf(ParseResult.Parsed.class);
    }

    @Test
    void oneParserServesManyThreads() throws Exception {
        Path docx = files.docx("a.docx", "Shared parser");
        Path pdf = files.pdf("b.pdf", "B", "Ada", List.of("One", "Two"));
        Path csv = files.text("c.csv", "k,v\nx,1\n");
        Map<Path, ParseResult> expected = new HashMap<>();
        for (Path p : List.of(docx, pdf, csv)) expected.put(p, parser.parse(p, name(p), format(p), ParseOptions.DEFAULT));

        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            List<Future<Boolean>> checks = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Path p = List.of(docx, pdf, csv).get(i % 3);
                checks.add(pool.submit(() -> parser.parse(p, name(p), format(p), ParseOptions.DEFAULT).equals(expected.get(p))));
            }
            for (Future<Boolean> check : checks) assertThat(check.get()).isTrue();
        }
        assertThat(expected.values()).allMatch(r -> r instanceof ParseResult.Parsed);
    }

    private static String name(Path file) {
        return file.getFileName().toString();
    }

    private static FileFormat format(Path file) {
        return FileFormat.fromFileName(name(file)).orElseThrow();
    }

    private ParsedDocument parsed(Path file, FileFormat format) {
        ParseResult result = parser.parse(file, file.getFileName().toString(), format, ParseOptions.DEFAULT);
        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) result).document();
    }

    private static byte[] zipWith(String name, String content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes());
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
