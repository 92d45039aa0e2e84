package io.catchment.embed;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a long text into word windows a short-context model can read whole, and pools the
 * windows' unit vectors back into one unit vector (their normalised mean). This is how a 1500-token
 * chunk still gets a vector that reflects all of its words from a model that reads ~128 word-pieces.
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

    /** The normalised mean of unit vectors; a single vector is returned as it is. */
    static float[] pool(List<float[]> vectors) {
        if (vectors.size() == 1) return vectors.getFirst();
        double[] sum = new double[vectors.getFirst().length];
        for (float[] v : vectors) for (int i = 0; i < v.length; i++) sum[i] += v[i];
        double norm = 0;
        for (double x : sum) norm += x * x;
        norm = Math.sqrt(norm);
        float[] out = new float[sum.length];
        for (int i = 0; i < sum.length; i++) out[i] = (float) (norm > 0 ? sum[i] / norm : sum[i]);
        return out;
    }
}
