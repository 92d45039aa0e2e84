package io.catchment.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ALL_MINILM_L6_V2}: sentence-transformers/all-MiniLM-L6-v2, int8-quantized, run in-process
 * through langchain4j's {@link AllMiniLmL6V2QuantizedEmbeddingModel}. The ONNX model and the
 * tokenizer ship inside the langchain4j jar, so nothing is downloaded; the first use loads them
 * (about half a second) and every instance shares them. Thread-safe.
 *
 * <p>Behaviour callers can rely on:
 * <ul>
 *   <li><b>Vectors</b> have 384 dimensions and unit L2 length (langchain4j already normalises; this
 *       class normalises again in double precision, so cosine similarity equals the dot product).
 *   <li><b>Documents and queries</b> are embedded the same way: the model is symmetric and takes no
 *       prefix, so {@link InputType} is ignored.
 *   <li><b>Batching</b>: texts go to the model {@value #MAX_BATCH} at a time, spread over a small
 *       pool of daemon threads (one per core). langchain4j runs each text through ONNX on its own,
 *       so the vectors do not depend on how the texts were batched; the batch size only changes
 *       overhead. On 2 cores batches of 16, 32 and 64 measured within noise of each other and a
 *       few percent above batch 1 (about 120-130 model runs/s); 16 is the smallest of them and
 *       holds the model for about 120 ms a call (BENCHMARKS.md).
 *   <li><b>Long input is truncated</b>: the model sees at most {@value #MAX_INPUT_TOKENS} word-pieces
 *       including its [CLS] and [SEP] markers, so the first 126 word-pieces of text (on the order of
 *       100 tiktoken tokens of English prose) decide the vector and the rest is silently
 *       ignored by one model call. That is the truncation set in the tokenizer configuration
 *       langchain4j bundles (the length all-MiniLM-L6-v2 was trained at). So that every word of a
 *       long chunk counts, {@link #embed} reads long texts in word windows and pools them.
 *   <li><b>Blank input</b> (empty, whitespace, or only characters the tokenizer drops, such as
 *       zero-width spaces and control characters) never throws. The model cannot embed zero
 *       tokens, so such a text gets {@link #blankVector()}: a fixed unit vector (the first axis),
 *       not a zero vector, because a zero vector breaks cosine similarity (Lucene rejects it, and
 *       pgvector returns NaN). Its similarity to real embeddings is small, so a blank chunk ranks
 *       near nothing; callers who want to recognise it can compare with {@link #isBlankVector}.
 *   <li><b>Failures</b> (the native runtime cannot load, ONNX errors) surface as
 *       {@link EmbeddingException} with {@code retryable=false}.
 * </ul>
 *
 * <p>langchain4j logs a harmless "Failed to detect GPU count" warning on first load. DJL (its
 * tokenizer library) would call home for telemetry and probe the EC2 metadata address; this class
 * turns that off (system properties {@code OPT_OUT_TRACKING} and {@code ai.djl.offline}, unless
 * already set). The tokenizer's native library is unpacked into DJL's cache directory
 * ({@code ~/.djl.ai}, or {@code DJL_CACHE_DIR}).
 */
public final class LocalMiniLmModel implements EmbeddingModel {
    public static final String NAME = EmbeddingGenerator.ALL_MINILM_L6_V2.wireName();
    public static final int DIMENSIONS = 384;
    /** Chosen from the batch-size benchmark (BENCHMARKS.md, "Local embedding model throughput"). */
    public static final int MAX_BATCH = 16;
    public static final int MAX_INPUT_TOKENS = 128;
    /** Words per window for long texts: ~1.3 word-pieces a word keeps a window within 128 pieces. */
    static final int WORDS_PER_WINDOW = 80;

    private static final float[] BLANK_VECTOR = EmbeddingVectors.firstAxis(DIMENSIONS);

    private final Executor executor;
    private final Object loadLock = new Object();
    private volatile AllMiniLmL6V2QuantizedEmbeddingModel model;

    /** One embedding thread per available core. */
    public LocalMiniLmModel() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** {@code threads} texts are embedded at once (each ONNX run also uses the cores it can get). */
    public LocalMiniLmModel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.executor = newExecutor(threads);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public int maxBatch() {
        return MAX_BATCH;
    }

    /** Word-pieces, counting [CLS] and [SEP]; anything longer is truncated (see the class comment). */
    @Override
    public int maxInputTokens() {
        return MAX_INPUT_TOKENS;
    }

    /** Loads the model now rather than on the first {@link #embed} (e.g. at server start). */
    public void warmUp() throws EmbeddingException {
        loaded();
    }

    /**
     * One unit vector per text, in order; an empty list for an empty list. {@code type} is ignored
     * (see the class comment). Blank texts get {@link #blankVector()}. A text longer than the
     * model reads at once is embedded as windows of {@value #WORDS_PER_WINDOW} words whose vectors
     * are pooled ({@link TextWindows}), so every word counts rather than only the first ~100.
     */
    @Override
    public List<float[]> embed(List<String> texts, InputType type) throws EmbeddingException {
        Objects.requireNonNull(texts, "texts");
        List<String> windows = new ArrayList<>();
        List<Integer> windowsPerText = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) throw new NullPointerException("texts[" + i + "] is null");
            List<String> parts = TextWindows.split(texts.get(i), WORDS_PER_WINDOW);
            windows.addAll(parts);
            windowsPerText.add(parts.size());
        }
        List<float[]> windowVectors = embedWhole(windows);
        List<float[]> vectors = new ArrayList<>(texts.size());
        int at = 0;
        for (int n : windowsPerText) {
            vectors.add(EmbeddingVectors.pool(windowVectors.subList(at, at + n)));
            at += n;
        }
        return vectors;
    }

    /** One vector per text, each text read as the model reads it (truncated past its context). */
    private List<float[]> embedWhole(List<String> texts) throws EmbeddingException {
        List<float[]> vectors = new ArrayList<>(texts.size());
        if (texts.isEmpty()) {
            return vectors;
        }
        AllMiniLmL6V2QuantizedEmbeddingModel m = loaded();
        for (int from = 0; from < texts.size(); from += MAX_BATCH) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + MAX_BATCH));
            vectors.addAll(embedBatch(m, batch, from));
        }
        return vectors;
    }

    /** The vector given to blank texts: the first axis, a fresh copy each call. */
    public static float[] blankVector() {
        return BLANK_VECTOR.clone();
    }

    /** True when {@code vector} is exactly {@link #blankVector()}. */
    public static boolean isBlankVector(float[] vector) {
        return Arrays.equals(vector, BLANK_VECTOR);
    }

    private List<float[]> embedBatch(AllMiniLmL6V2QuantizedEmbeddingModel m, List<String> batch, int offset)
            throws EmbeddingException {
        float[][] out = new float[batch.size()][];
        List<TextSegment> segments = new ArrayList<>(batch.size());
        List<Integer> positions = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            String text = batch.get(i);
            if (hasNothingToEmbed(text)) {
                out[i] = blankVector();
            } else {
                segments.add(TextSegment.from(text));
                positions.add(i);
            }
        }
        if (!segments.isEmpty()) {
            List<Embedding> embeddings;
            try {
                embeddings = m.embedAll(segments).content();
            } catch (RuntimeException batchFailure) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new EmbeddingException("Local embedding model " + NAME + " was interrupted", true,
                            batchFailure);
                }
                // One text the blank check missed (the tokenizer dropped all of it) fails the whole
                // call; find it by embedding the texts one at a time.
                embeddings = oneByOne(m, segments, positions, offset);
            }
            if (embeddings.size() != segments.size()) {
                throw new EmbeddingException("Local embedding model " + NAME + " returned " + embeddings.size()
                        + " vectors for " + segments.size() + " texts", false, null);
            }
            for (int k = 0; k < segments.size(); k++) {
                Embedding embedding = embeddings.get(k);
                out[positions.get(k)] = embedding == null ? blankVector()
                        : normalised(embedding.vector(), offset + positions.get(k));
            }
        }
        return Arrays.asList(out);
    }

    /** Same order as {@code segments}; a null entry for a text the model found nothing in. */
    private List<Embedding> oneByOne(AllMiniLmL6V2QuantizedEmbeddingModel m, List<TextSegment> segments,
                                     List<Integer> positions, int offset) throws EmbeddingException {
        List<Embedding> embeddings = new ArrayList<>(segments.size());
        for (int k = 0; k < segments.size(); k++) {
            try {
                embeddings.add(m.embed(segments.get(k)).content());
            } catch (IllegalArgumentException nothingToEmbed) {
                // langchain4j's only argument check: "Cannot embed empty or whitespace-only text".
                embeddings.add(null);
            } catch (RuntimeException e) {
                throw new EmbeddingException("Local embedding model " + NAME + " failed on text #"
                        + (offset + positions.get(k)) + ": " + e.getMessage(), false, e);
            }
        }
        return embeddings;
    }

    private static float[] normalised(float[] vector, int index) throws EmbeddingException {
        if (vector == null || vector.length != DIMENSIONS) {
            throw new EmbeddingException("Local embedding model " + NAME + " returned a vector of "
                    + (vector == null ? "null" : vector.length + " dimensions") + " for text #" + index
                    + ", expected " + DIMENSIONS, false, null);
        }
        double sum = 0;
        for (float v : vector) {
            sum += (double) v * v;
        }
        double norm = Math.sqrt(sum);
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new EmbeddingException("Local embedding model " + NAME + " returned a vector of length "
                    + norm + " for text #" + index, false, null);
        }
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] / norm);
        }
        return unit;
    }

    /**
     * True when the tokenizer would keep no token: every code point is whitespace, a control or
     * format character (zero-width space, BOM, ...), a combining mark (stripped with accents), or
     * U+FFFD. The BERT tokenizer drops exactly these; anything it keeps becomes at least [UNK].
     */
    static boolean hasNothingToEmbed(String text) {
        return text.codePoints().allMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                || cp == 0xFFFD || switch (Character.getType(cp)) {
                    case Character.CONTROL, Character.FORMAT, Character.NON_SPACING_MARK -> true;
                    default -> false;
                });
    }

    private AllMiniLmL6V2QuantizedEmbeddingModel loaded() throws EmbeddingException {
        AllMiniLmL6V2QuantizedEmbeddingModel m = model;
        if (m != null) {
            return m;
        }
        synchronized (loadLock) {
            if (model == null) {
                keepDjlOffline();
                try {
                    model = new AllMiniLmL6V2QuantizedEmbeddingModel(executor);
                } catch (RuntimeException | LinkageError e) {
                    // LinkageError covers a native library that will not load and a failed static
                    // model load (ExceptionInInitializerError, then NoClassDefFoundError).
                    throw new EmbeddingException("Local embedding model " + NAME + " could not be loaded: " + e,
                            false, e);
                }
            }
            return model;
        }
    }

    /** No telemetry call and no EC2 metadata probe from DJL; an explicit setting wins. */
    private static void keepDjlOffline() {
        if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private static Executor newExecutor(int threads) {
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "minilm-embed-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
