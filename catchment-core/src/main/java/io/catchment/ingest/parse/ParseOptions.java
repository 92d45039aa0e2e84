package io.catchment.ingest.parse;

/** Carbon's parsing switches: OCR for images and image-only PDF pages, and OCR-based table parsing. */
public record ParseOptions(boolean useOcr, boolean parsePdfTablesWithOcr) {
    public static final ParseOptions DEFAULT = new ParseOptions(false, false);
}
