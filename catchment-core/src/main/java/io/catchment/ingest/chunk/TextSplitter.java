package io.catchment.ingest.chunk;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one encoded text into overlapping token windows (the plain-text rule).
 *
 * <p>With {@code size} = the frame's body budget and {@code overlap} = min(chunkOverlap, size - 1):
 * <ol>
 *   <li>A window starts at token {@code s}; its hard end is {@code s + size}. If the hard end
 *       reaches the end of the text, the window ends there and is the last one.</li>
 *   <li>Otherwise the end is the best natural break (see {@link NaturalBreaks}) among the
 *       boundaries in {@code [s + max(size - size/5, overlap + 1), s + size]} (the last ~20% of
 *       the window): paragraph over sentence over whitespace, and the latest boundary among equals.
 *       Without any, the end is the latest character boundary at or before the hard end (a hard
 *       cut, e.g. in text without spaces).</li>
 *   <li>The next window starts {@code overlap} tokens before this window's (chosen) end, so
 *       consecutive chunks share exactly {@code overlap} tokens. If that point falls inside a
 *       multi-byte character it moves back to the character's start (sharing up to 3 more
 *       tokens); it always moves forward by at least one token.</li>
 * </ol>
 * Cuts are only made at character boundaries, so decoding never produces broken characters.
 * Each chunk's final text (with the frame's prefix) is counted; in the rare case where
 * re-encoding the cut text gives more tokens than the budget, the end moves back a token at a
 * time until it fits. The only chunk that can exceed the size is one holding a single character
 * that alone needs more tokens than the budget (possible only with a budget under 4 tokens).
 * Windows whose text is blank are dropped.
 */
final class TextSplitter {
    /** One chunk of the text: token range {@code [from, to)} and its final text and token count. */
    record Piece(int from, int to, String text, int tokens) {}

    private TextSplitter() {}

    static List<Piece> split(TokenizedText text, ChunkFrame frame, int chunkOverlap) {
        int n = text.tokenCount();
        List<Piece> pieces = new ArrayList<>();
        if (n == 0) {
            return pieces;
        }
        int size = frame.bodyBudget();
        int overlap = Math.max(0, Math.min(chunkOverlap, size - 1));
        int start = 0;
        while (true) {
            int end = chooseEnd(text, start, size, overlap);
            String body = text.decode(start, end);
            String rendered = frame.render(body);
            int tokens = frame.count(rendered);
            while (tokens > frame.chunkSize()) {
                int shorter = previousCharBoundary(text, end - 1, start);
                if (shorter <= start) {
                    break;
                }
                end = shorter;
                body = text.decode(start, end);
                rendered = frame.render(body);
                tokens = frame.count(rendered);
            }
            if (!body.isBlank()) {
                pieces.add(new Piece(start, end, rendered, tokens));
            }
            if (end >= n) {
                return pieces;
            }
            start = nextStart(text, start, end, overlap);
        }
    }

    private static int chooseEnd(TokenizedText text, int start, int size, int overlap) {
        int n = text.tokenCount();
        if ((long) start + size >= n) {
            return n;
        }
        int hardEnd = start + size;
        int zoneStart = start + Math.max(size - size / 5, overlap + 1);
        int best = -1;
        int bestRank = NaturalBreaks.NONE;
        for (int b = hardEnd; b >= zoneStart; b--) {
            if (!text.isCharBoundary(b)) {
                continue;
            }
            int rank = NaturalBreaks.rank(text, b);
            if (rank > bestRank) {
                best = b;
                bestRank = rank;
                if (rank == NaturalBreaks.PARAGRAPH) {
                    break;
                }
            }
        }
        if (best > start) {
            return best;
        }
        int cut = previousCharBoundary(text, hardEnd, start);
        if (cut > start) {
            return cut;
        }
        // A single character needs more tokens than the window: keep it whole.
        int b = hardEnd + 1;
        while (!text.isCharBoundary(b)) {
            b++;
        }
        return b;
    }

    /** The latest character boundary in {@code (floor, b]}, or {@code floor} when there is none. */
    private static int previousCharBoundary(TokenizedText text, int b, int floor) {
        while (b > floor && !text.isCharBoundary(b)) {
            b--;
        }
        return Math.max(b, floor);
    }

    private static int nextStart(TokenizedText text, int start, int end, int overlap) {
        int next = Math.max(end - overlap, start + 1);
        while (next > start + 1 && !text.isCharBoundary(next)) {
            next--;
        }
        while (!text.isCharBoundary(next)) {
            next++;
        }
        return next;
    }
}
