package io.catchment.ingest.parse;

/** Parsing either yields a document or fails with a message fit for {@code sync_error_message}. */
public sealed interface ParseResult {
    record Parsed(ParsedDocument document) implements ParseResult {}

    /**
     * {@code retryable} is true only for failures that may pass on another try (an I/O hiccup),
     * never for a corrupt or unsupported file.
     */
    record Failed(String message, boolean retryable) implements ParseResult {}
}
