package io.catchment.ingest.parse;

import io.catchment.testsupport.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.ingest.FileFormat;
import io.catchment.ingest.parse.DocumentBody.Page;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OCR through the real tesseract. These tests fail (never skip) when tesseract is not installed. */
class OcrParsingTest {
    private static final ParseOptions OCR = new ParseOptions(true, false);
    private static final ParseOptions OCR_TABLES = new ParseOptions(true, true);

    private static TikaDocumentParser parser;

    @TempDir
    Path dir;

    private Fixtures files;

    @BeforeAll
    static void parser() {
        parser = new TikaDocumentParser();
        assertThat(parser.ocr().available())
                .as("tesseract must be installed for these tests (apt-get install tesseract-ocr tesseract-ocr-eng): %s",
                        parser.ocr().detail())
                .isTrue();
    }

    @BeforeEach
    void fixtures() {
        files = new Fixtures(dir);
    }

    @Test
    void reportsTesseractVersion() {
        assertThat(parser.ocr().detail()).matches("tesseract \\d+\\.\\d+.*");
    }

    @Test
    void pngIsReadWithOcr() throws Exception {
        Path png = files.image("invoice.png", "png", List.of("Invoice 2931", "Total due: 450 EUR"));

        ParsedDocument doc = parsed(png, FileFormat.PNG, OCR);

        assertThat(doc.body()).isInstanceOf(DocumentBody.Plain.class);
        assertThat(doc.text()).contains("Invoice 2931").contains("450");
        assertThat(doc.mimeType()).isEqualTo("image/png");
    }

    @Test
    void jpgIsReadWithOcr() throws Exception {
        Path jpg = files.image("receipt.jpg", "jpg", List.of("Receipt 7741"));

        assertThat(parsed(jpg, FileFormat.JPG, OCR).text()).contains("Receipt 7741");
    }

    @Test
    void scannedPagesAreOcredAndKeepTheirNumbers() throws Exception {
        Path pdf = files.scannedPdf("scan.pdf", List.of(List.of("Invoice 2931", "Paid in full"), List.of("Second page 58")));

        ParsedDocument doc = parsed(pdf, FileFormat.PDF, OCR);

        assertThat(doc.body()).isInstanceOfSatisfying(DocumentBody.Pages.class, pages -> {
            assertThat(pages.pages()).extracting(Page::number).containsExactly(1, 2);
            assertThat(pages.pages().get(0).text()).contains("Invoice 2931").contains("Paid in full").doesNotContain("58");
            assertThat(pages.pages().get(1).text()).contains("Second page 58");
        });
    }

    @Test
    void pdfWithATextLayerIsNotOcredAgain() throws Exception {
        Path pdf = files.pdf("text.pdf", "Text", "Ada", List.of("Plain text page"));

        assertThat(parsed(pdf, FileFormat.PDF, OCR).body())
                .isEqualTo(new DocumentBody.Pages(List.of(new Page(1, "Plain text page"))));
    }

    /** Best effort by design: the columns come out apart (several spaces), each row on its own line. */
    @Test
    void tableOcrKeepsRowsOnOneLine() throws Exception {
        Path pdf = files.scannedPdf("table.pdf", List.of(List.of(
                "Product | Quantity | Price", "Apples | 12 | 3.50", "Pears | 34 | 2.25")));

        ParsedDocument doc = parsed(pdf, FileFormat.PDF, OCR_TABLES);

        List<String> lines = doc.text().lines().toList();
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("Apples").contains("12").contains("3.50"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("Pears").contains("34").contains("2.25"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches(".*Apples {2,}12 {2,}3\\.50.*"));
    }

    @Test
    void ocrRequestedWithoutTesseractFailsClearly() throws Exception {
        TikaDocumentParser noTesseract = new TikaDocumentParser(dir.resolve("no/such/tesseract"), 1_000_000);
        Path png = files.image("note.png", "png", List.of("Invoice 2931"));
        Path scan = files.scannedPdf("scan.pdf", List.of(List.of("Invoice 2931")));
        Path text = files.pdf("text.pdf", "t", "a", List.of("Still parsed without OCR"));
        ParseResult.Failed missing = new ParseResult.Failed(
                "OCR was requested but tesseract is not installed on this server (install tesseract-ocr)", false);

        assertThat(noTesseract.ocr().available()).isFalse();
        assertThat(noTesseract.ocr().detail()).startsWith("tesseract not found at ").endsWith(": install tesseract-ocr");
        assertThat(noTesseract.parse(png, "note.png", FileFormat.PNG, OCR)).isEqualTo(missing);
        assertThat(noTesseract.parse(scan, "scan.pdf", FileFormat.PDF, OCR)).isEqualTo(missing);
        assertThat(noTesseract.parse(text, "text.pdf", FileFormat.PDF, ParseOptions.DEFAULT))
                .isInstanceOf(ParseResult.Parsed.class);
    }

    private static ParsedDocument parsed(Path file, FileFormat format, ParseOptions options) {
        ParseResult result = parser.parse(file, file.getFileName().toString(), format, options);
        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) result).document();
    }
}
