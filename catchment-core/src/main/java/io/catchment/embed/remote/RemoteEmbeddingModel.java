package io.catchment.embed.remote;

import io.catchment.embed.EmbeddingException;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.EmbeddingModel;
import io.catchment.embed.EmbeddingVectors;
import io.catchment.embed.ImageInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An {@link EmbeddingModel} served by a remote provider. Adapters supply one provider call
 * ({@link BatchEmbedder}); this class does the rest the same way for every provider:
 * <ul>
 *   <li><b>Long input</b> (more than {@link BatchLimits#maxInputTokens()}) is split into token
 *       windows, each embedded, and their vectors pooled into one (normalised mean), so no text is
 *       silently cut short and no provider rejects it as too long.
 *   <li><b>Batches</b> hold at most {@link BatchLimits#maxBatch()} texts and
 *       {@link BatchLimits#maxRequestTokens()} tokens, and are sent concurrently (the client's
 *       per-provider limit caps how many are in flight).
 *   <li><b>Blank texts</b> are not sent (providers reject empty input); they get the first axis as
 *       their vector, the same convention as the local model.
 *   <li><b>Answers are checked</b>: one vector per text, each of the model's dimension, then scaled
 *       to unit length so cosine similarity is a dot product in every index.
 * </ul>
 */
public final class RemoteEmbeddingModel implements EmbeddingModel {
    private final EmbeddingGenerator generator;
    private final BatchLimits limits;
    private final BatchEmbedder api;
    private final Optional<ImageEmbedder> images;
    private final String providerName;

    public RemoteEmbeddingModel(EmbeddingGenerator generator, String providerName, BatchLimits limits,
                                BatchEmbedder api, Optional<ImageEmbedder> images) {
        this.generator = Objects.requireNonNull(generator, "generator");
        this.providerName = Objects.requireNonNull(providerName, "providerName");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.api = Objects.requireNonNull(api, "api");
        this.images = Objects.requireNonNull(images, "images");
    }

    public RemoteEmbeddingModel(EmbeddingGenerator generator, String providerName, BatchLimits limits, BatchEmbedder api) {
        this(generator, providerName, limits, api, Optional.empty());
    }

    /** One provider call with images (the multimodal model). */
    @FunctionalInterface
    public interface ImageEmbedder {
        float[] embedImage(ImageInput image) throws EmbeddingException;
    }

    @Override
    public String name() {
        return generator.wireName();
    }

    @Override
    public int dimensions() {
        return generator.dimensions();
    }

    @Override
    public int maxBatch() {
        return limits.maxBatch();
    }

    @Override
    public int maxInputTokens() {
        return limits.maxInputTokens();
    }

    public String providerName() {
        return providerName;
    }

    @Override
    public List<float[]> embed(List<String> texts, InputType type) throws EmbeddingException {
        Objects.requireNonNull(texts, "texts");
        List<String> windows = new ArrayList<>();
        List<Integer> windowTokens = new ArrayList<>();
        int[] windowsPerText = new int[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            String text = Objects.requireNonNull(texts.get(i), "texts[" + i + "]");
            if (text.isBlank()) continue;
            for (String window : TokenWindows.split(text, limits.maxInputTokens())) {
                windows.add(window);
                windowTokens.add(Math.min(TokenWindows.count(window), limits.maxInputTokens()));
                windowsPerText[i]++;
            }
        }
        List<float[]> windowVectors = embedWindows(windows, windowTokens, type);
        List<float[]> out = new ArrayList<>(texts.size());
        int at = 0;
        for (int n : windowsPerText) {
            out.add(n == 0 ? EmbeddingVectors.firstAxis(dimensions()) : EmbeddingVectors.pool(windowVectors.subList(at, at + n)));
            at += n;
        }
        return out;
    }

    @Override
    public boolean embedsImages() {
        return images.isPresent();
    }

    @Override
    public float[] embedImage(ImageInput image) throws EmbeddingException {
        if (images.isEmpty()) return EmbeddingModel.super.embedImage(image);
        return checked(images.get().embedImage(image));
    }

    /**
     * Packs the windows into batches and sends them at once, each on its own virtual thread: the
     * client's per-provider limit decides how many are really in flight, so a file of many batches
     * (or the one-text-per-request multimodal model) is not sent one request at a time.
     */
    private List<float[]> embedWindows(List<String> windows, List<Integer> tokens, InputType type)
            throws EmbeddingException {
        List<List<String>> batches = new ArrayList<>();
        int from = 0;
        while (from < windows.size()) {
            int to = from;
            long budget = 0;
            while (to < windows.size() && to - from < limits.maxBatch()
                    && (to == from || budget + tokens.get(to) <= limits.maxRequestTokens())) {
                budget += tokens.get(to);
                to++;
            }
            batches.add(List.copyOf(windows.subList(from, to)));
            from = to;
        }
        List<float[]> vectors = new ArrayList<>(windows.size());
        if (batches.size() == 1) {
            vectors.addAll(embedBatch(batches.getFirst(), type));
            return vectors;
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<float[]>>> answers = new ArrayList<>();
            for (List<String> batch : batches) answers.add(pool.submit(() -> embedBatch(batch, type)));
            for (Future<List<float[]>> answer : answers) vectors.addAll(await(answer, answers));
        }
        return vectors;
    }

    private List<float[]> embedBatch(List<String> batch, InputType type) throws EmbeddingException {
        List<float[]> answer = api.embedBatch(batch, type);
        if (answer.size() != batch.size()) {
            throw new EmbeddingException(providerName + " returned " + answer.size() + " embeddings for "
                    + batch.size() + " texts", true, null);
        }
        List<float[]> out = new ArrayList<>(answer.size());
        for (float[] v : answer) out.add(checked(v));
        return out;
    }

    /** One batch's vectors; the first failure cancels the batches not yet sent. */
    private static List<float[]> await(Future<List<float[]>> answer, List<Future<List<float[]>>> all)
            throws EmbeddingException {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            all.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof EmbeddingException failure) throw failure;
            if (e.getCause() instanceof RuntimeException unexpected) throw unexpected;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            all.forEach(f -> f.cancel(true));
            throw new EmbeddingException("interrupted while embedding", true, e);
        }
    }

    private float[] checked(float[] vector) throws EmbeddingException {
        if (vector == null || vector.length != dimensions()) {
            throw new EmbeddingException(providerName + " returned a vector of " + (vector == null ? 0 : vector.length)
                    + " dimensions for " + name() + ", which has " + dimensions(), false, null);
        }
        return EmbeddingVectors.unit(vector);
    }
}
