package io.catchment.bench;

import io.catchment.search.IndexedChunk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Synthetic chunks and queries, the same for every backend and every run (fixed seed).
 *
 * <p>Vectors: {@code centroids} random unit directions; each chunk is a centroid plus Gaussian
 * noise ({@code noise} per component), normalised to unit length, so near neighbours have a
 * cosine of about 0.75 and the graph search has real clusters to find (pure random vectors are
 * the worst case of HNSW and say nothing about embeddings).
 *
 * <p>Texts: each centroid owns a few "topic" words; a chunk's text is three of its centroid's
 * topic words among seven common words (Zipf-like), so keyword search matches and agrees in part
 * with the vectors, as it does with real embeddings.
 *
 * <p>Tenancy: one organization, {@code customers} customers; chunks come in files of
 * {@code chunksPerFile}, and files are dealt to customers round robin.
 */
final class Dataset {
    static final long ORGANIZATION = 1;
    private static final int COMMON_WORDS = 1_000;
    private static final int TOPIC_WORDS = 2_000;
    private static final int TOPIC_WORDS_PER_CENTROID = 4;

    final int size;
    final int dimensions;
    final int customers;
    final int chunksPerFile;
    final float[][] vectors;
    final String[] texts;
    /** Centroid of each chunk (for the query generator's benefit). */
    final int[] centroidOf;

    private final float[][] centroids;
    private final float noise;
    private final String[] vocabulary;
    private final int[][] topicWords;

    Dataset(int size, int dimensions, int customers, int chunksPerFile, int centroidCount, float noise, long seed) {
        if (size % chunksPerFile != 0) throw new IllegalArgumentException("size must be a multiple of chunksPerFile");
        this.size = size;
        this.dimensions = dimensions;
        this.customers = customers;
        this.chunksPerFile = chunksPerFile;
        this.noise = noise;
        SplittableRandom random = new SplittableRandom(seed);
        this.vocabulary = vocabulary(COMMON_WORDS + TOPIC_WORDS);
        this.centroids = new float[centroidCount][];
        this.topicWords = new int[centroidCount][TOPIC_WORDS_PER_CENTROID];
        for (int c = 0; c < centroidCount; c++) {
            centroids[c] = normalise(gaussian(random, dimensions, 1f));
            for (int w = 0; w < TOPIC_WORDS_PER_CENTROID; w++) {
                topicWords[c][w] = COMMON_WORDS + random.nextInt(TOPIC_WORDS);
            }
        }
        this.vectors = new float[size][];
        this.texts = new String[size];
        this.centroidOf = new int[size];
        for (int i = 0; i < size; i++) {
            int c = random.nextInt(centroidCount);
            centroidOf[i] = c;
            vectors[i] = around(random, c);
            texts[i] = text(random, c, 3, 7);
        }
    }

    int fileCount() {
        return size / chunksPerFile;
    }

    /** File ids start at 1; file {@code f} holds chunks {@code (f-1)*chunksPerFile ..}. */
    long fileOf(int chunk) {
        return chunk / chunksPerFile + 1L;
    }

    int chunkIndexOf(int chunk) {
        return chunk % chunksPerFile;
    }

    /** Customer ids start at 1; files are dealt round robin. */
    long customerOfFile(long fileId) {
        return (fileId - 1) % customers + 1;
    }

    long customerOf(int chunk) {
        return customerOfFile(fileOf(chunk));
    }

    List<Long> filesOfCustomer(long customer) {
        List<Long> files = new ArrayList<>();
        for (long f = customer; f <= fileCount(); f += customers) files.add(f);
        return files;
    }

    /** The chunks of one file as the index receives them. */
    List<IndexedChunk> file(long fileId, String embeddingModel) {
        List<IndexedChunk> chunks = new ArrayList<>(chunksPerFile);
        int first = (int) (fileId - 1) * chunksPerFile;
        for (int i = first; i < first + chunksPerFile; i++) {
            chunks.add(new IndexedChunk(ORGANIZATION, customerOf(i), fileId, chunkIndexOf(i), texts[i],
                    Optional.of(embeddingModel), Optional.of(vectors[i]), Map.of()));
        }
        return chunks;
    }

    /** One benchmark query: a customer, a vector near a random centroid, words of its topic, half the customer's files. */
    record Query(long customer, float[] vector, String text, Set<Long> halfOfFiles) {}

    List<Query> queries(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Query> queries = new ArrayList<>(count);
        for (int q = 0; q < count; q++) {
            long customer = q % customers + 1;
            int c = random.nextInt(centroids.length);
            List<Long> files = new ArrayList<>(filesOfCustomer(customer));
            shuffle(files, random);
            Set<Long> half = new HashSet<>(files.subList(0, files.size() / 2));
            queries.add(new Query(customer, around(random, c), text(random, c, 2, 1), half));
        }
        return queries;
    }

    private float[] around(SplittableRandom random, int centroid) {
        float[] v = gaussian(random, dimensions, noise);
        float[] center = centroids[centroid];
        for (int d = 0; d < dimensions; d++) v[d] += center[d];
        return normalise(v);
    }

    private String text(SplittableRandom random, int centroid, int topic, int common) {
        List<String> words = new ArrayList<>(topic + common);
        for (int i = 0; i < topic; i++) words.add(vocabulary[topicWords[centroid][random.nextInt(TOPIC_WORDS_PER_CENTROID)]]);
        for (int i = 0; i < common; i++) {
            // Zipf-like: rank ~ COMMON_WORDS^u, so a few common words are everywhere and most are rare.
            int rank = (int) Math.pow(COMMON_WORDS, random.nextDouble()) - 1;
            words.add(vocabulary[Math.min(rank, COMMON_WORDS - 1)]);
        }
        shuffle(words, random);
        return String.join(" ", words);
    }

    /** Pronounceable distinct words: consonant-vowel syllables, numbered so they never collide. */
    private static String[] vocabulary(int count) {
        String consonants = "bdfgklmnprstvz";
        String vowels = "aeiou";
        String[] words = new String[count];
        for (int i = 0; i < count; i++) {
            StringBuilder w = new StringBuilder();
            int n = i;
            do {
                w.append(consonants.charAt(n % consonants.length()));
                n /= consonants.length();
                w.append(vowels.charAt(n % vowels.length()));
                n /= vowels.length();
            } while (n > 0);
            if (w.length() < 4) w.append('x'); // "bax": never a two-syllable word
            words[i] = w.toString();
        }
        return words;
    }

    private static float[] gaussian(SplittableRandom random, int dimensions, float sigma) {
        float[] v = new float[dimensions];
        for (int d = 0; d < dimensions; d++) v[d] = (float) (random.nextGaussian() * sigma);
        return v;
    }

    static float[] normalise(float[] v) {
        double squares = 0;
        for (float x : v) squares += (double) x * x;
        double norm = Math.sqrt(squares);
        for (int d = 0; d < v.length; d++) v[d] = (float) (v[d] / norm);
        return v;
    }

    private static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
