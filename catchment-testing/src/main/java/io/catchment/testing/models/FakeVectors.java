package io.catchment.testing.models;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Deterministic unit vectors for fakes: each lower-cased word adds ±1 at a position chosen by
 * its hash (feature hashing), then the sum is normalised. Texts sharing words have a positive
 * cosine; the same text always gets the same vector. {@code salt} makes query and document
 * vectors of one fake differ a little, as real asymmetric models do, without losing that.
 */
public final class FakeVectors {
    private FakeVectors() {}

    public static float[] of(String text, int dimensions) {
        return of(text, dimensions, "");
    }

    public static float[] of(String text, int dimensions, String salt) {
        double[] sum = new double[dimensions];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.isEmpty()) continue;
            int h = hash(word);
            sum[Math.floorMod(h, dimensions)] += (h & 1) == 0 ? 1 : -1;
            if (!salt.isEmpty()) sum[Math.floorMod(hash(salt + word), dimensions)] += 0.1;
        }
        double norm = 0;
        for (double x : sum) norm += x * x;
        float[] out = new float[dimensions];
        if (norm == 0) {
            out[0] = 1;
            return out;
        }
        for (int i = 0; i < dimensions; i++) out[i] = (float) (sum[i] / Math.sqrt(norm));
        return out;
    }

    /** FNV-1a over UTF-8: stable across JVMs, unlike String.hashCode mixing. */
    private static int hash(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }
}
