package io.catchment.ingest.chunk;

import java.nio.charset.StandardCharsets;

/**
 * A text encoded once: its tokens, its UTF-8 bytes (the concatenation of the tokens' bytes) and
 * the byte offset of every token boundary. Boundary {@code b} (0..tokenCount) is the point
 * before token {@code b}. cl100k can split one multi-byte character across tokens, so not every
 * boundary is a character boundary; slices are only ever cut at character boundaries.
 */
final class TokenizedText {
    private final byte[] utf8;
    private final int[] offsets;
    private final int tokenCount;

    private TokenizedText(byte[] utf8, int[] offsets, int tokenCount) {
        this.utf8 = utf8;
        this.offsets = offsets;
        this.tokenCount = tokenCount;
    }

    /** Encodes {@code text}, which must be well formed (see {@link Cl100kTokenizer#wellFormed}). */
    static TokenizedText encode(String text, Cl100kTokenizer tokenizer) {
        int[] tokens = tokenizer.encode(text);
        int[] offsets = new int[tokens.length + 1];
        int length = 0;
        for (int i = 0; i < tokens.length; i++) {
            offsets[i] = length;
            length += tokenizer.bytes(tokens[i]).length;
        }
        offsets[tokens.length] = length;
        byte[] utf8 = new byte[length];
        for (int i = 0; i < tokens.length; i++) {
            byte[] bytes = tokenizer.bytes(tokens[i]);
            System.arraycopy(bytes, 0, utf8, offsets[i], bytes.length);
        }
        return new TokenizedText(utf8, offsets, tokens.length);
    }

    int tokenCount() {
        return tokenCount;
    }

    /** Byte offset of boundary {@code b} in {@link #bytes()}. */
    int byteOffset(int b) {
        return offsets[b];
    }

    /** The UTF-8 bytes (shared: do not modify). */
    byte[] bytes() {
        return utf8;
    }

    /** Whether boundary {@code b} falls between two characters (not inside a multi-byte one). */
    boolean isCharBoundary(int b) {
        return b == 0 || b == tokenCount || (utf8[offsets[b]] & 0xC0) != 0x80;
    }

    /** The text of tokens {@code from..to-1}; both must be character boundaries. */
    String decode(int from, int to) {
        return new String(utf8, offsets[from], offsets[to] - offsets[from], StandardCharsets.UTF_8);
    }
}
