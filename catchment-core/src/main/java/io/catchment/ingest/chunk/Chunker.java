package io.catchment.ingest.chunk;

import io.catchment.ingest.parse.ParsedDocument;
import java.util.List;

/** Splits a parsed document into chunks; deterministic (the same input gives the same chunks). */
public interface Chunker {
    List<Chunk> chunk(ParsedDocument document, ChunkingOptions options);

    /** Tokens in {@code text} by the chunker's tokenizer (cl100k_base). */
    int countTokens(String text);
}
