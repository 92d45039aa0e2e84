package io.catchment.search;

/**
 * Makes sure every indexed vector has unit length, which {@link ChunkFields#SIMILARITY} (dot
 * product) assumes. Embedding models normally return unit vectors; those are kept bit for bit,
 * and only a vector clearly off unit length is rescaled.
 */
final class UnitVectors {
    /** Float round-off of a 3072-dimension unit vector stays far below this. */
    private static final double TOLERANCE = 1e-3;

    private UnitVectors() {}

    static float[] unitLength(float[] vector) {
        double squares = 0;
        for (float component : vector) {
            if (!Float.isFinite(component)) throw new IllegalArgumentException("Vector has a non-finite component");
            squares += (double) component * component;
        }
        if (squares == 0) throw new IllegalArgumentException("Vector is all zeros and cannot rank anything");
        double norm = Math.sqrt(squares);
        if (Math.abs(norm - 1) <= TOLERANCE) return vector;
        float[] scaled = new float[vector.length];
        for (int i = 0; i < vector.length; i++) scaled[i] = (float) (vector[i] / norm);
        return scaled;
    }
}
