package io.catchment.ingest.parse;

import io.catchment.ingest.FileFormat;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.tika.config.ServiceLoader;
import org.apache.tika.exception.TikaConfigException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.DefaultParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.external.CompositeExternalParser;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.parser.ocr.TesseractOCRParser;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.apache.tika.sax.BodyContentHandler;
import org.xml.sax.SAXException;

/**
 * One Tika {@link AutoDetectParser}, built once and shared (it is thread-safe): Tika's standard
 * parsers without the external-program parsers (ffmpeg, exiftool) and with tesseract added only
 * when it was found, at the probed path. The declared format decides the parser (Tika's content
 * type override), so a corrupt file fails in the right parser instead of being detected as
 * something else. OCR is switched per call through the {@link ParseContext}.
 */
final class TikaEngine {
    /** How a call may use OCR. */
    enum Ocr {
        /** Never run tesseract (embedded images, scanned pages and images give no text). */
        OFF,
        /** OCR images; in PDFs, OCR the pages that have (almost) no text layer (Tika's AUTO strategy). */
        ON,
        /**
         * As {@link #ON}, tuned for tables: tesseract keeps the spaces between words and reads each page
         * as one uniform block (page segmentation mode 6), so a table row stays on one line with its
         * columns apart; the PDF text layer is extracted in position order so rows also stay together.
         */
        TABLES
    }

    private final AutoDetectParser parser;

    TikaEngine(Optional<Tesseract.Install> tesseract) throws TikaConfigException {
        List<Parser> parsers = new ArrayList<>();
        parsers.add(new DefaultParser(MediaTypeRegistry.getDefaultRegistry(), new ServiceLoader(),
                List.of(TesseractOCRParser.class, CompositeExternalParser.class)));
        if (tesseract.isPresent()) {
            TesseractOCRParser ocr = new TesseractOCRParser();
            ocr.setTesseractPath(tesseract.get().executable().getParent().toString());
            ocr.setTessdataPath(tesseract.get().tessdata().toString());
            ocr.initialize(Map.of());
            parsers.add(ocr); // last, so it wins for image types when OCR is on
        }
        this.parser = new AutoDetectParser(parsers.toArray(Parser[]::new));
    }

    /**
     * Parses {@code file} as {@code format}, feeding its body text to {@code collector}; returns
     * Tika's metadata. A known {@code charset} is passed to Tika's text and HTML parsers.
     */
    Metadata parse(Path file, String fileName, FileFormat format, Optional<Charset> charset, Ocr ocr,
            TextCollector collector) throws IOException, SAXException, TikaException {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName);
        metadata.set(TikaCoreProperties.CONTENT_TYPE_USER_OVERRIDE,
                format.mimeType() + charset.map(c -> "; charset=" + c.name()).orElse(""));
        try (TikaInputStream in = TikaInputStream.get(file, metadata)) {
            parser.parse(in, new BodyContentHandler(collector), metadata, context(ocr));
        }
        return metadata;
    }

    private ParseContext context(Ocr ocr) {
        ParseContext context = new ParseContext();
        context.set(Parser.class, parser);
        TesseractOCRConfig tesseract = new TesseractOCRConfig();
        tesseract.setSkipOcr(ocr == Ocr.OFF);
        if (ocr == Ocr.TABLES) {
            tesseract.setPreserveInterwordSpacing(true);
            tesseract.setPageSegMode("6");
        }
        context.set(TesseractOCRConfig.class, tesseract);
        PDFParserConfig pdf = new PDFParserConfig();
        pdf.setOcrStrategy(ocr == Ocr.OFF ? PDFParserConfig.OCR_STRATEGY.NO_OCR : PDFParserConfig.OCR_STRATEGY.AUTO);
        pdf.setSortByPosition(ocr == Ocr.TABLES);
        pdf.setExtractBookmarksText(false);
        context.set(PDFParserConfig.class, pdf);
        return context;
    }
}
