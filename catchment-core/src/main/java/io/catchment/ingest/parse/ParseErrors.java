package io.catchment.ingest.parse;

import io.catchment.ingest.FileFormat;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.FileSystemException;
import org.apache.tika.exception.EncryptedDocumentException;

/**
 * Turns whatever a parser threw into a {@link ParseResult.Failed} with a one-line message fit for
 * {@code sync_error_message}. Retryable only when the file could not be read from disk or the
 * parse was interrupted (a worker shutting down); a corrupt or unsupported file is final.
 */
final class ParseErrors {
    private ParseErrors() {}

    static ParseResult.Failed classify(Throwable e, FileFormat format) {
        if (has(e, FileSystemException.class)) return new ParseResult.Failed("Could not read the file: " + describe(e), true);
        if (Thread.currentThread().isInterrupted() || has(e, InterruptedException.class)
                || has(e, InterruptedIOException.class) || has(e, ClosedByInterruptException.class)) {
            return new ParseResult.Failed("Parsing was interrupted", true);
        }
        if (has(e, EncryptedDocumentException.class) || has(e, org.apache.poi.EncryptedDocumentException.class)) {
            return new ParseResult.Failed("File is encrypted or password-protected and cannot be parsed", false);
        }
        String cause = describe(e);
        if (cause.startsWith("TesseractOCRParser")) return new ParseResult.Failed("OCR with tesseract failed: " + cause, false);
        return new ParseResult.Failed("File could not be parsed as " + format + "; it may be corrupt or not a real "
                + format + " file: " + cause, false);
    }

    /** The innermost message (it names the actual problem) on one line, at most about 300 characters. */
    static String describe(Throwable e) {
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) message = t.getMessage().strip();
        }
        message = message == null ? e.getClass().getSimpleName() : message.replaceAll("\\s+", " ");
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) if (type.isInstance(t)) return true;
        return false;
    }
}
