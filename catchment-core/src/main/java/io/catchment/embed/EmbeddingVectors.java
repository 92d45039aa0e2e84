package io.catchment.embed;

import java.util.List;

/**
 * The vector arithmetic every embedding model shares: unit length (so cosine similarity is a dot
 * product everywhere), pooling the windows of a long text into one vector, and the fixed vector
 * given to texts with nothing to embed.
 */
public final class EmbeddingVectors {
    private EmbeddingVectors() {}

    /** The first axis: what blank texts get (a zero vector would break cosine similarity). */
    public static float[] firstAxis(int dimensions) {
        float[] v = new float[dimensions];
        v[0] = 1f;
        return v;
    }

    /** Scaled to unit length in double precision; a zero vector becomes the first axis. */
    public static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) norm += (double) x * x;
        if (norm == 0 || Double.isNaN(norm)) return firstAxis(v.length);
        double scale = 1 / Math.sqrt(norm);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] * scale);
        return out;
    }

    /** The normalised mean of unit vectors (a long text's windows); one vector is returned as it is. */
    public static float[] pool(List<float[]> vectors) {
        if (vectors.size() == 1) return vectors.getFirst();
        double[] sum = new double[vectors.getFirst().length];
        for (float[] v : vectors) for (int i = 0; i < v.length; i++) sum[i] += v[i];
        float[] out = new float[sum.length];
        for (int i = 0; i < sum.length; i++) out[i] = (float) sum[i];
        return unit(out);
    }
}
