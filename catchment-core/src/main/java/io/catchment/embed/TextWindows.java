package io.catchment.embed;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a long text into word windows a short-context model can read whole; their vectors are
 * pooled back into one ({@link EmbeddingVectors#pool}). This is how a 1500-token chunk still gets a
 * vector that reflects all of its words from a model that reads ~128 word-pieces.
 */
final class TextWindows {
    private TextWindows() {}

    /** The text itself when it has at most {@code wordsPerWindow} words, else consecutive windows. */
    static List<String> split(String text, int wordsPerWindow) {
        String[] words = text.strip().split("\\s+");
        if (words.length <= wordsPerWindow) return List.of(text);
        List<String> windows = new ArrayList<>();
        for (int from = 0; from < words.length; from += wordsPerWindow) {
            windows.add(String.join(" ", java.util.Arrays.copyOfRange(words, from, Math.min(words.length, from + wordsPerWindow))));
        }
        return windows;
    }
}
