package io.catchment.ingest.chunk;

/**
 * How good a token boundary is as the end of a chunk, judged from the bytes around it.
 * <ul>
 *   <li>{@link #PARAGRAPH}: the text before it ends with a blank line ({@code \n}, optional
 *       spaces, tabs or {@code \r}, {@code \n}).</li>
 *   <li>{@link #SENTENCE}: the text before it ends with {@code .}, {@code !} or {@code ?}
 *       (optionally followed by closing quotes or brackets) and whitespace follows (before or
 *       after the boundary); or it ends with a CJK full stop, exclamation or question mark
 *       ({@code 。！？}), which need no whitespace.</li>
 *   <li>{@link #WHITESPACE}: a space, tab, {@code \r} or {@code \n} is right before or right after
 *       it, so no word is cut.</li>
 *   <li>{@link #NONE}: anything else (inside a word, or text without spaces such as CJK).</li>
 * </ul>
 */
final class NaturalBreaks {
    static final int NONE = 0;
    static final int WHITESPACE = 1;
    static final int SENTENCE = 2;
    static final int PARAGRAPH = 3;

    /** How far back (in bytes) to look through whitespace and closing marks. */
    private static final int LOOK_BACK = 32;

    private NaturalBreaks() {}

    /** The rank of inner boundary {@code b} (0 &lt; b &lt; tokenCount), a character boundary. */
    static int rank(TokenizedText text, int b) {
        byte[] bytes = text.bytes();
        int at = text.byteOffset(b);
        if (at == 0 || at >= bytes.length) {
            return NONE;
        }
        int limit = Math.max(0, at - LOOK_BACK);
        byte before = bytes[at - 1];
        byte after = bytes[at];

        if (before == '\n') {
            for (int i = at - 2; i >= limit; i--) {
                byte c = bytes[i];
                if (c == '\n') {
                    return PARAGRAPH;
                }
                if (c != ' ' && c != '\t' && c != '\r') {
                    break;
                }
            }
        }

        int last = at - 1;
        while (last >= limit && isSpace(bytes[last])) {
            last--;
        }
        if (last >= limit) {
            boolean spaceAround = last < at - 1 || isSpace(after);
            int mark = last;
            while (mark >= limit && isCloser(bytes[mark])) {
                mark--;
            }
            if (mark >= limit) {
                byte c = bytes[mark];
                if (spaceAround && (c == '.' || c == '!' || c == '?')) {
                    return SENTENCE;
                }
                if (endsWithCjkTerminal(bytes, mark)) {
                    return SENTENCE;
                }
            }
        }

        return isSpace(before) || isSpace(after) ? WHITESPACE : NONE;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r';
    }

    private static boolean isCloser(byte c) {
        return c == '"' || c == '\'' || c == ')' || c == ']';
    }

    /** Whether the character ending at byte {@code end} is 。(E3 80 82), ！(EF BC 81) or ？(EF BC 9F). */
    private static boolean endsWithCjkTerminal(byte[] bytes, int end) {
        if (end < 2) {
            return false;
        }
        int a = bytes[end - 2] & 0xFF;
        int b = bytes[end - 1] & 0xFF;
        int c = bytes[end] & 0xFF;
        return (a == 0xE3 && b == 0x80 && c == 0x82)
                || (a == 0xEF && b == 0xBC && (c == 0x81 || c == 0x9F));
    }
}
