package io.catchment.embed.remote;

import java.util.List;

/** Small vector arithmetic for provider answers. */
public final class Vectors {
    private Vectors() {}

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

    /** The normalised mean of unit vectors; one vector is returned as it is. */
    public static float[] pool(List<float[]> vectors) {
        if (vectors.size() == 1) return vectors.getFirst();
        float[] sum = new float[vectors.getFirst().length];
        for (float[] v : vectors) for (int i = 0; i < v.length; i++) sum[i] += v[i];
        return unit(sum);
    }

    /** A provider's JSON array of numbers as floats. */
    public static float[] fromJson(com.fasterxml.jackson.databind.JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) array.get(i).asDouble();
        return out;
    }
}
