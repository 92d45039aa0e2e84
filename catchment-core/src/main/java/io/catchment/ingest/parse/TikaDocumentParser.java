package io.catchment.ingest.parse;

import io.catchment.ingest.FileFormat;
import io.catchment.ingest.parse.DocumentBody.Page;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.tika.exception.TikaConfigException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DocumentParser}: Tika for documents, PDFs, e-mails and (with OCR) images; our own
 * readers for tables (CSV, TSV, XLSX, XLSM) and JSON. Every text is normalised by
 * {@link TextNormalizer}. Nothing escapes {@link #parse}: every problem is a {@link ParseResult.Failed}
 * (see {@link ParseErrors}), retryable only when the file could not be read or the parse was
 * interrupted. Text longer than {@code maxChars} characters fails instead of being truncated.
 */
public final class TikaDocumentParser implements DocumentParser {
    /** The default limit on the characters extracted from one file. */
    public static final int DEFAULT_MAX_CHARS = 50_000_000;
    static final String OCR_MISSING = "OCR was requested but tesseract is not installed on this server (install tesseract-ocr)";
    static final String IMAGE_NEEDS_OCR = "Text can only be extracted from an image with OCR: set use_ocr=true";
    private static final Set<String> OUTLOOK_OWN_HEADER = Set.of("h1", "dl");
    private static final Logger LOG = LoggerFactory.getLogger(TikaDocumentParser.class);

    private final Tesseract tesseract;
    private final TikaEngine tika;
    private final int maxChars;

    /** Finds tesseract on PATH; allows {@link #DEFAULT_MAX_CHARS} characters per file. */
    public TikaDocumentParser() {
        this(Tesseract.onPath(), DEFAULT_MAX_CHARS);
    }

    /** Finds tesseract on PATH. */
    public TikaDocumentParser(int maxChars) {
        this(Tesseract.onPath(), maxChars);
    }

    /** Uses the tesseract executable at {@code tesseract} (it must be named {@code tesseract}). */
    public TikaDocumentParser(Path tesseract, int maxChars) {
        this(Tesseract.at(tesseract), maxChars);
    }

    private TikaDocumentParser(Tesseract tesseract, int maxChars) {
        if (maxChars < 1) throw new IllegalArgumentException("maxChars must be positive: " + maxChars);
        this.maxChars = maxChars;
        this.tesseract = tesseract;
        try {
            this.tika = new TikaEngine(tesseract.install());
        } catch (TikaConfigException e) {
            throw new IllegalStateException("Tika could not be configured: " + e.getMessage(), e);
        }
        if (!tesseract.status().available()) LOG.warn("OCR is unavailable: {}", tesseract.status().detail());
    }

    @Override
    public OcrStatus ocr() {
        return tesseract.status();
    }

    @Override
    public ParseResult parse(Path file, String fileName, FileFormat format, ParseOptions options) {
        try {
            if (Files.size(file) == 0) return ParseFailure.noText().toResult();
            if (!Files.isReadable(file)) return new ParseResult.Failed("Could not read the file: permission denied", true);
        } catch (IOException e) {
            return new ParseResult.Failed("Could not read the file: " + ParseErrors.describe(e), true);
        }
        try {
            return new ParseResult.Parsed(parseChecked(file, fileName, format, options));
        } catch (ParseFailure f) {
            return f.toResult();
        } catch (Exception | StackOverflowError e) {
            LOG.debug("Parsing {} as {} failed", fileName, format, e);
            return ParseErrors.classify(e, format);
        }
    }

    private ParsedDocument parseChecked(Path file, String fileName, FileFormat format, ParseOptions options)
            throws Exception {
        boolean ocr = options.useOcr() && (format == FileFormat.PDF || format.isImage());
        if (format.isImage() && !options.useOcr()) throw new ParseFailure(IMAGE_NEEDS_OCR, false);
        if (ocr && !tesseract.status().available()) throw new ParseFailure(OCR_MISSING, false);
        CharBudget budget = new CharBudget(maxChars);
        return switch (format) {
            case CSV -> items(DelimitedText.items(file, ',', budget), format);
            case TSV -> items(DelimitedText.items(file, '\t', budget), format);
            case XLSX, XLSM -> items(SpreadsheetItems.items(file, budget), format);
            case JSON -> items(JsonItems.items(file, budget), format);
            case PDF -> pdf(file, fileName, !ocr ? TikaEngine.Ocr.OFF
                    : options.parsePdfTablesWithOcr() ? TikaEngine.Ocr.TABLES : TikaEngine.Ocr.ON);
            case EML, MSG -> email(file, fileName, format);
            case JPG, PNG -> plain(file, fileName, format, TikaEngine.Ocr.ON);
            case TXT, MD, HTML, DOCX, PPTX, RTF -> plain(file, fileName, format, TikaEngine.Ocr.OFF);
        };
    }

    private ParsedDocument items(List<String> raw, FileFormat format) throws ParseFailure {
        List<String> items = new ArrayList<>(raw.size());
        for (String item : raw) {
            String text = TextNormalizer.normalize(item);
            if (!text.isEmpty()) items.add(text);
        }
        if (items.isEmpty()) throw ParseFailure.noText();
        return new ParsedDocument(new DocumentBody.Items(items), format.mimeType(), Map.of());
    }

    private ParsedDocument pdf(Path file, String fileName, TikaEngine.Ocr ocr) throws Exception {
        TextCollector collector = new TextCollector(maxChars);
        Metadata metadata = runTika(file, fileName, FileFormat.PDF, ocr, collector);
        List<Page> pages = new ArrayList<>();
        for (int i = 0; i < collector.pages().size(); i++) {
            String text = TextNormalizer.normalize(collector.pages().get(i));
            if (!text.isEmpty()) pages.add(new Page(i + 1, text));
        }
        if (pages.isEmpty()) throw ParseFailure.noText();
        return new ParsedDocument(new DocumentBody.Pages(pages), DocumentMetadata.mimeType(metadata, FileFormat.PDF.mimeType()),
                DocumentMetadata.of(metadata));
    }

    private ParsedDocument plain(Path file, String fileName, FileFormat format, TikaEngine.Ocr ocr) throws Exception {
        TextCollector collector = new TextCollector(maxChars);
        Metadata metadata = runTika(file, fileName, format, ocr, collector);
        String text = TextNormalizer.normalize(collector.text());
        if (text.isEmpty()) throw ParseFailure.noText();
        return new ParsedDocument(new DocumentBody.Plain(text), DocumentMetadata.mimeType(metadata, format.mimeType()),
                DocumentMetadata.of(metadata));
    }

    private ParsedDocument email(Path file, String fileName, FileFormat format) throws Exception {
        TextCollector collector = format == FileFormat.MSG
                ? new TextCollector(maxChars, OUTLOOK_OWN_HEADER) : new TextCollector(maxChars);
        Metadata metadata = runTika(file, fileName, format, TikaEngine.Ocr.OFF, collector);
        String body = TextNormalizer.normalize(collector.text());
        if (body.isEmpty() && DocumentMetadata.value(metadata, TikaCoreProperties.TITLE.getName()).isEmpty()) throw ParseFailure.noText();
        EmailHeader header = EmailHeader.of(metadata);
        String text = TextNormalizer.normalize(header.block() + body);
        Map<String, String> meta = new HashMap<>(DocumentMetadata.of(metadata));
        meta.putAll(header.fields());
        return new ParsedDocument(new DocumentBody.Plain(text), DocumentMetadata.mimeType(metadata, format.mimeType()), meta);
    }

    private Metadata runTika(Path file, String fileName, FileFormat format, TikaEngine.Ocr ocr, TextCollector collector)
            throws Exception {
        try {
            Optional<Charset> charset = format == FileFormat.TXT || format == FileFormat.MD || format == FileFormat.HTML
                    ? TextCharset.sniff(file) : Optional.empty();
            Metadata metadata = tika.parse(file, fileName, format, charset, ocr, collector);
            if (collector.limitReached()) throw ParseFailure.tooLong(maxChars);
            return metadata;
        } catch (Exception e) {
            if (collector.limitReached() || WriteLimitReachedException.isWriteLimitReached(e)) throw ParseFailure.tooLong(maxChars);
            throw e;
        }
    }
}
