package io.catchment.ingest.parse;

import java.util.Map;

/**
 * What parsing made of a file: its text in a chunkable shape, the detected MIME type, and
 * document metadata worth keeping (title, author, page count, …; string values only).
 */
public record ParsedDocument(DocumentBody body, String mimeType, Map<String, String> metadata) {
    public ParsedDocument {
        metadata = Map.copyOf(metadata);
    }

    public String text() {
        return body.text();
    }
}
