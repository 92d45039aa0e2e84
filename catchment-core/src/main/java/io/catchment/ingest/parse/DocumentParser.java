package io.catchment.ingest.parse;

import io.catchment.ingest.FileFormat;
import java.nio.file.Path;

/** Turns a stored file into text. Implementations are thread-safe. */
public interface DocumentParser {
    ParseResult parse(Path file, String fileName, FileFormat format, ParseOptions options);

    /** Whether OCR can run here (tesseract found); when false, files asking for OCR fail clearly. */
    OcrStatus ocr();

    record OcrStatus(boolean available, String detail) {}
}
