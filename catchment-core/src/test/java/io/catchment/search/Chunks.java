package io.catchment.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** Test chunks: deterministic text, metadata and unit vectors. */
final class Chunks {
    static final long ORG = 7;
    static final long CUSTOMER = 11;

    private Chunks() {}

    /** {@code count} chunks of a file; the text names the file, the version and the position. */
    static List<IndexedChunk> of(long fileId, String version, int count) {
        List<IndexedChunk> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            chunks.add(new IndexedChunk(ORG, CUSTOMER, fileId, i, text(fileId, version, i),
                    Optional.of("all-minilm-l6-v2"), Optional.of(unitVector(384, fileId * 1000 + i)),
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

    static String text(long fileId, String version, int index) {
        return "file " + fileId + " version " + version + " chunk " + index;
    }

    /** A reproducible random vector of unit length. */
    static float[] unitVector(int dimensions, long seed) {
        Random random = new Random(seed);
        float[] vector = new float[dimensions];
        double squares = 0;
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) random.nextGaussian();
            squares += vector[i] * vector[i];
        }
        float norm = (float) Math.sqrt(squares);
        for (int i = 0; i < dimensions; i++) vector[i] /= norm;
        return vector;
    }
}
