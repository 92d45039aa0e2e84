package io.catchment.ingest;

import java.util.Locale;
import java.util.Optional;

/**
 * The file formats Catchment ingests (a subset of Carbon's {@code FileFormats}), recognised by
 * extension. {@code sourceType} is the {@code DataSourceType} name an upload of this format gets.
 */
public enum FileFormat {
    TXT("text/plain"), CSV("text/csv"), TSV("text/tab-separated-values"), PDF("application/pdf"),
    DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    PPTX("application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    XLSM("application/vnd.ms-excel.sheet.macroEnabled.12"),
    MD("text/markdown"), RTF("application/rtf"), JSON("application/json"), HTML("text/html"),
    EML("message/rfc822"), MSG("application/vnd.ms-outlook"),
    JPG("image/jpeg"), PNG("image/png");

    private final String mimeType;

    FileFormat(String mimeType) {
        this.mimeType = mimeType;
    }

    public String mimeType() {
        return mimeType;
    }

    public boolean isImage() {
        return this == JPG || this == PNG;
    }

    /** Tabular formats: one row per line, cells prefixed by their column header. */
    public boolean isTabular() {
        return this == CSV || this == TSV || this == XLSX || this == XLSM;
    }

    /** Carbon's {@code DataSourceType} for an upload of this format (TXT uploads are "TEXT"). */
    public String sourceType() {
        return this == TXT ? "TEXT" : name();
    }

    /** The format stored under its name ({@link #name()}). */
    public static Optional<FileFormat> fromFormatName(String name) {
        for (FileFormat f : values()) if (f.name().equals(name)) return Optional.of(f);
        return Optional.empty();
    }

    /** The format named by a file's extension; {@code .jpeg}, {@code .htm}, {@code .markdown} and {@code .text} included. */
    public static Optional<FileFormat> fromFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) return Optional.empty();
        String ext = fileName.substring(dot + 1).toUpperCase(Locale.ROOT);
        return switch (ext) {
            case "JPEG" -> Optional.of(JPG);
            case "HTM" -> Optional.of(HTML);
            case "MARKDOWN" -> Optional.of(MD);
            case "TEXT" -> Optional.of(TXT);
            default -> {
                for (FileFormat f : values()) if (f.name().equals(ext)) yield Optional.of(f);
                yield Optional.empty();
            }
        };
    }
}
