package io.catchment.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.tika.Tika;

/**
 * Recognises a file's format from its bytes, for uploads whose name has no known extension
 * (Carbon's SDK sends a Buffer as "file"). Detection is Tika's (magic bytes, containers, text).
 */
public final class FormatSniffer {
    private static final Tika TIKA = new Tika();
    private static final Map<String, FileFormat> EXTRA = Map.of(
            "application/x-tika-ooxml", FileFormat.DOCX,
            "text/x-web-markdown", FileFormat.MD,
            "application/msword", FileFormat.DOCX,
            "text/x-markdown", FileFormat.MD,
            "application/xhtml+xml", FileFormat.HTML);

    private FormatSniffer() {}

    public static Optional<FileFormat> sniff(Path file) {
        String type;
        try {
            type = TIKA.detect(file);
        } catch (IOException e) {
            return Optional.empty();
        }
        return fromMimeType(type);
    }

    public static Optional<FileFormat> fromMimeType(String contentType) {
        String type = contentType.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
        for (FileFormat f : FileFormat.values()) if (f.mimeType().equals(type)) return Optional.of(f);
        return Optional.ofNullable(EXTRA.get(type));
    }
}
