package io.catchment.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Test chunks: deterministic text, metadata and unit vectors. Model names and dimensions are real
 * ones ({@code EmbeddingGenerator} wire names), so backends that key storage by model accept them.
 */
final class Chunks {
    static final long ORG = 7;
    static final long CUSTOMER = 11;
    /** The local model: 384 dimensions. */
    static final String MINILM = "ALL_MINILM_L6_V2";
    static final int MINILM_DIMS = 384;
    /** Two different remote models with the same dimension, to show models are kept apart. */
    static final String OPENAI_SMALL = "OPENAI_ADA_SMALL_1536";
    static final String OPENAI_ADA = "OPENAI";
    static final int OPENAI_DIMS = 1536;

    private Chunks() {}

    /** {@code count} chunks of a file; the text names the file, the version and the position. */
    static List<IndexedChunk> of(long fileId, String version, int count) {
        List<IndexedChunk> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            chunks.add(new IndexedChunk(ORG, CUSTOMER, fileId, i, text(fileId, version, i),
                    Optional.of(MINILM), Optional.of(unitVector(MINILM_DIMS, fileId * 1000 + i)),
                    Map.of("version", version)));
        }
        return chunks;
    }

    static List<IndexedChunk> withoutVectors(long fileId, int count) {
        List<IndexedChunk> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            chunks.add(new IndexedChunk(ORG, CUSTOMER, fileId, i, text(fileId, "plain", i),
                    Optional.empty(), Optional.empty(), Map.of()));
        }
        return chunks;
    }

    /** A chunk of the default tenant. */
    static IndexedChunk chunk(long fileId, int chunkIndex, String text, String model, float[] vector) {
        return new IndexedChunk(ORG, CUSTOMER, fileId, chunkIndex, text, Optional.of(model), Optional.of(vector), Map.of());
    }

    /** A chunk of the default tenant stored without a vector (and so without a model). */
    static IndexedChunk plain(long fileId, int chunkIndex, String text) {
        return new IndexedChunk(ORG, CUSTOMER, fileId, chunkIndex, text, Optional.empty(), Optional.empty(), Map.of());
    }

    static String text(long fileId, String version, int index) {
        return "file " + fileId + " version " + version + " chunk " + index;
    }

    /** A reproducible random vector of unit length. */
    static float[] unitVector(int dimensions, long seed) {
        Random random = new Random(seed);
        float[] vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++) vector[i] = (float) random.nextGaussian();
        return normalised(vector);
    }

    /** A unit vector close to {@code base}: base plus a little reproducible noise, renormalised. */
    static float[] near(float[] base, double noise, long seed) {
        Random random = new Random(seed);
        float[] vector = new float[base.length];
        for (int i = 0; i < base.length; i++) vector[i] = (float) (base[i] + noise * random.nextGaussian() / Math.sqrt(base.length));
        return normalised(vector);
    }

    /** The unit vector along one axis. */
    static float[] axis(int dimensions, int axis) {
        float[] vector = new float[dimensions];
        vector[axis] = 1;
        return vector;
    }

    static float[] negated(float[] vector) {
        float[] negated = new float[vector.length];
        for (int i = 0; i < vector.length; i++) negated[i] = -vector[i];
        return negated;
    }

    /** Cosine similarity of two unit vectors, in double precision: the brute-force reference. */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) dot += (double) a[i] * b[i];
        return dot;
    }

    private static float[] normalised(float[] vector) {
        double squares = 0;
        for (float component : vector) squares += (double) component * component;
        double norm = Math.sqrt(squares);
        for (int i = 0; i < vector.length; i++) vector[i] = (float) (vector[i] / norm);
        return vector;
    }
}
