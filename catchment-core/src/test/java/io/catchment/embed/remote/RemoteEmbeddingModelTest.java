package io.catchment.embed.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catchment.embed.EmbeddingException;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.EmbeddingModel.InputType;
import io.catchment.testing.models.FakeVectors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The provider-independent part of remote models, over a {@link BatchEmbedder} that computes
 * vectors in-process the way the provider fakes do and records the batches it was given.
 */
class RemoteEmbeddingModelTest {
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private final BatchEmbedder recording = (texts, type) -> {
        batches.add(texts);
        List<float[]> out = new ArrayList<>();
        for (String t : texts) out.add(scaled(FakeVectors.of(t, 512), 3f));
        return out;
    };

    private RemoteEmbeddingModel model(BatchLimits limits, BatchEmbedder api) {
        return new RemoteEmbeddingModel(EmbeddingGenerator.OPENAI_ADA_SMALL_512, "Test", limits, api);
    }

    private static float[] scaled(float[] v, float by) {
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++) out[i] *= by;
        return out;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) s += x * x;
        return Math.sqrt(s);
    }

    @Test
    void batchesByCountAndByTokens() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 25; i++) texts.add("word ".repeat(10).strip() + " " + i);

        List<float[]> vectors = model(new BatchLimits(10, 100, 1000), recording).embed(texts, InputType.DOCUMENT);
        assertThat(vectors).hasSize(25);
        assertThat(batches).extracting(List::size).containsExactly(10, 10, 5);

        batches.clear();
        model(new BatchLimits(100, 40, 40), recording).embed(texts.subList(0, 6), InputType.DOCUMENT);
        assertThat(batches).as("about 12 tokens each, at most 40 per call").extracting(List::size).containsExactly(3, 3);
    }

    @Test
    void batchesAreSentConcurrentlyAndAFailureFailsTheCall() throws Exception {
        java.util.concurrent.atomic.AtomicInteger now = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        BatchEmbedder slow = (texts, type) -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            now.decrementAndGet();
            return recording.embedBatch(texts, type);
        };
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 8; i++) texts.add("text number " + i);

        List<float[]> vectors = model(new BatchLimits(1, 100, 100), slow).embed(texts, InputType.DOCUMENT);

        assertThat(most.get()).isGreaterThan(1);
        for (int i = 0; i < 8; i++) {
            assertThat(vectors.get(i)).as("order kept").containsExactly(FakeVectors.of("text number " + i, 512),
                    org.assertj.core.data.Offset.offset(1e-6f));
        }
        BatchEmbedder failsOnSeven = (batch, type) -> {
            if (batch.getFirst().endsWith("7")) throw new EmbeddingException("Test refused the request (HTTP 400)", false, null);
            return recording.embedBatch(batch, type);
        };
        assertThatThrownBy(() -> model(new BatchLimits(1, 100, 100), failsOnSeven).embed(texts, InputType.DOCUMENT))
                .isInstanceOf(EmbeddingException.class).hasMessage("Test refused the request (HTTP 400)");
    }

    @Test
    void vectorsComeBackInOrderAndUnitLength() throws Exception {
        List<float[]> vectors = model(new BatchLimits(2, 100, 1000), recording)
                .embed(List.of("alpha beta", "gamma", "delta epsilon"), InputType.QUERY);

        assertThat(vectors.get(1)).containsExactly(FakeVectors.of("gamma", 512), org.assertj.core.data.Offset.offset(1e-6f));
        for (float[] v : vectors) assertThat(norm(v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void longInputIsSplitIntoWindowsAndPooled() throws Exception {
        String longText = "first part about rivers. ".repeat(40) + "second part about mountains. ".repeat(40);

        List<float[]> vectors = model(new BatchLimits(16, 100, 10_000), recording).embed(List.of(longText), InputType.DOCUMENT);

        assertThat(batches).hasSize(1);
        assertThat(batches.getFirst()).hasSizeGreaterThan(2).allSatisfy(w -> assertThat(TokenWindows.count(w)).isLessThanOrEqualTo(100));
        assertThat(String.join("", batches.getFirst())).isEqualTo(longText.strip());
        float[] pooled = vectors.getFirst();
        assertThat(norm(pooled)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(dot(pooled, FakeVectors.of("mountains", 512))).as("the end of the text counts").isPositive();
        assertThat(dot(pooled, FakeVectors.of("rivers", 512))).as("so does the start").isPositive();
    }

    @Test
    void blankTextsAreNotSent() throws Exception {
        List<float[]> vectors = model(new BatchLimits(16, 100, 1000), recording).embed(List.of("  ", "real text", ""), InputType.DOCUMENT);

        assertThat(batches).containsExactly(List.of("real text"));
        assertThat(vectors.get(0)[0]).isEqualTo(1f);
        assertThat(vectors.get(2)[0]).isEqualTo(1f);
        assertThat(model(new BatchLimits(16, 100, 1000), recording).embed(List.of(), InputType.DOCUMENT)).isEmpty();
    }

    @Test
    void wrongAnswersFailClearly() {
        BatchEmbedder short_ = (texts, type) -> List.of(new float[512]);
        assertThatThrownBy(() -> model(new BatchLimits(16, 100, 1000), short_).embed(List.of("a", "b"), InputType.DOCUMENT))
                .isInstanceOf(EmbeddingException.class).hasMessage("Test returned 1 embeddings for 2 texts");

        BatchEmbedder wide = (texts, type) -> List.of(new float[1536]);
        assertThatThrownBy(() -> model(new BatchLimits(16, 100, 1000), wide).embed(List.of("a"), InputType.DOCUMENT))
                .hasMessage("Test returned a vector of 1536 dimensions for OPENAI_ADA_SMALL_512, which has 512")
                .satisfies(e -> assertThat(((EmbeddingException) e).retryable()).isFalse());
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
