package io.catchment.embed.remote;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading providers' vectors. */
public final class Vectors {
    private Vectors() {}

    /** A provider's JSON array of numbers as floats. */
    public static float[] fromJson(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) array.get(i).asDouble();
        return out;
    }
}
