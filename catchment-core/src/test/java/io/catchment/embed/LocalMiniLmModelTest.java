package io.catchment.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.catchment.embed.EmbeddingModel.InputType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalMiniLmModelTest {
    /** One model (and one ONNX load) for the whole class. */
    private static LocalMiniLmModel model;

    @BeforeAll
    static void load() throws EmbeddingException {
        model = new LocalMiniLmModel();
        model.warmUp();
    }

    @Test
    void describesItself() {
        assertThat(model.name()).isEqualTo("ALL_MINILM_L6_V2");
        assertThat(model.dimensions()).isEqualTo(384).isEqualTo(EmbeddingGenerator.ALL_MINILM_L6_V2.dimensions());
        assertThat(model.maxBatch()).isEqualTo(16);
        assertThat(model.maxInputTokens()).isEqualTo(128);
    }

    @Test
    void returnsOneUnitVectorOf384PerText() throws EmbeddingException {
        List<float[]> vectors = model.embed(List.of("The cat sat on the mat", "Quarterly revenue grew"),
                InputType.DOCUMENT);

        assertThat(vectors).hasSize(2);
        for (float[] v : vectors) {
            assertThat(v).hasSize(384);
            assertThat(norm(v)).isCloseTo(1.0, within(1e-6));
            assertThat(LocalMiniLmModel.isBlankVector(v)).isFalse();
        }
        assertThat(cosine(vectors.get(0), vectors.get(1))).isCloseTo(dot(vectors.get(0), vectors.get(1)),
                within(1e-6));
    }

    @Test
    void similarMeaningScoresHigherThanUnrelated() throws EmbeddingException {
        List<float[]> v = model.embed(List.of("The cat sat on the mat", "A cat is sitting on a rug",
                "Quarterly revenue grew by 12 percent"), InputType.DOCUMENT);

        double related = dot(v.get(0), v.get(1));
        double unrelated = dot(v.get(0), v.get(2));
        assertThat(related).isGreaterThan(unrelated + 0.2);
        assertThat(related).isGreaterThan(0.5);
    }

    @Test
    void queriesAndDocumentsAreEmbeddedAlike() throws EmbeddingException {
        float[] doc = model.embed(List.of("How do I reset my password?"), InputType.DOCUMENT).getFirst();
        float[] query = model.embed(List.of("How do I reset my password?"), InputType.QUERY).getFirst();

        assertThat(query).containsExactly(doc);
    }

    @Test
    void sameTextSameVector() throws EmbeddingException {
        float[] first = model.embed(List.of("Deterministic, please."), InputType.DOCUMENT).getFirst();
        float[] second = model.embed(List.of("Deterministic, please."), InputType.DOCUMENT).getFirst();

        assertThat(second).containsExactly(first);
    }

    @Test
    void batchingDoesNotChangeVectors() throws EmbeddingException {
        List<String> texts = texts(100, 20);

        List<float[]> together = model.embed(texts, InputType.DOCUMENT);

        assertThat(together).hasSize(100);
        for (int i = 0; i < texts.size(); i++) {
            float[] alone = model.embed(List.of(texts.get(i)), InputType.DOCUMENT).getFirst();
            assertThat(together.get(i)).as("text #%d", i).containsExactly(alone, within(1e-5f));
        }
    }

    @Test
    void emptyListGivesEmptyList() throws EmbeddingException {
        assertThat(model.embed(List.of(), InputType.QUERY)).isEmpty();
    }

    @Test
    void blankTextsGetTheBlankUnitVectorAndDoNotDisturbTheirNeighbours() throws EmbeddingException {
        // Empty, whitespace, NBSP, zero-width space, BOM, control characters, a lone combining mark.
        List<String> blanks = List.of("", " ", "\t\n\r ", "\u00A0", "\u200B", "\uFEFF", "\u0001\u0002", "\u0301");
        List<String> texts = new ArrayList<>(blanks);
        texts.add(3, "The cat sat on the mat");

        List<float[]> vectors = model.embed(texts, InputType.DOCUMENT);

        assertThat(vectors).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            float[] v = vectors.get(i);
            assertThat(v).hasSize(384);
            assertThat(norm(v)).isCloseTo(1.0, within(1e-6));
            assertThat(LocalMiniLmModel.isBlankVector(v)).as("text #%d", i).isEqualTo(i != 3);
        }
        float[] cat = model.embed(List.of("The cat sat on the mat"), InputType.DOCUMENT).getFirst();
        assertThat(vectors.get(3)).containsExactly(cat, within(1e-6f));
        // A blank chunk resembles nothing in particular.
        for (float[] real : model.embed(texts(10, 30), InputType.DOCUMENT)) {
            assertThat(Math.abs(dot(LocalMiniLmModel.blankVector(), real))).isLessThan(0.2);
        }
    }

    @Test
    void longTextsAreReadWholeInWindowsAndPooled() throws EmbeddingException {
        // 300 words is several model windows: one model call would only see the first ~126 pieces.
        String cats = String.join(" ", Collections.nCopies(300, "cat"));
        String tail = " " + String.join(" ", Collections.nCopies(100, "quarterly revenue grew by twelve percent"));
        String revenue = "Quarterly revenue grew by twelve percent";

        List<float[]> v = model.embed(List.of(cats, cats + tail, revenue), InputType.DOCUMENT);

        assertThat(dot(v.get(0), v.get(1))).as("a long tail changes the vector").isLessThan(0.95);
        assertThat(dot(v.get(1), v.get(2))).as("and pulls it towards the tail's meaning")
                .isGreaterThan(dot(v.get(0), v.get(2)) + 0.2);
        assertThat(norm(v.get(1))).isCloseTo(1.0, within(1e-6));
        assertThat(TextWindows.split(cats, LocalMiniLmModel.WORDS_PER_WINDOW)).hasSize(4);
    }

    @Test
    void concurrentCallersGetTheSameVectorsAsOneCaller() throws Exception {
        List<String> texts = texts(12, 15);
        List<float[]> expected = model.embed(texts, InputType.DOCUMENT);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<float[]>>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> model.embed(texts, InputType.DOCUMENT)));
            }
            for (Future<List<float[]>> result : results) {
                List<float[]> got = result.get();
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(got.get(i)).containsExactly(expected.get(i), within(1e-5f));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unknownCharactersAreEmbeddedNotBlank() throws EmbeddingException {
        float[] emoji = model.embed(List.of("\uD83D\uDE00"), InputType.QUERY).getFirst();

        assertThat(LocalMiniLmModel.isBlankVector(emoji)).isFalse();
        assertThat(norm(emoji)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void blankDetectionMatchesWhatTheTokenizerDrops() {
        assertThat(LocalMiniLmModel.hasNothingToEmbed("")).isTrue();
        assertThat(LocalMiniLmModel.hasNothingToEmbed(" \u2003\u3000\u200B\u200D\uFEFF\uFFFD")).isTrue();
        assertThat(LocalMiniLmModel.hasNothingToEmbed(" x ")).isFalse();
        assertThat(LocalMiniLmModel.hasNothingToEmbed(".")).isFalse();
        assertThat(LocalMiniLmModel.hasNothingToEmbed("\uD83D\uDE00")).isFalse(); // emoji -> [UNK]
    }

    /** {@code count} texts of about {@code words} words each, varied but reproducible. */
    static List<String> texts(int count, int words) {
        String[] vocabulary = ("invoice shipping customer password reset quarterly revenue cat mat rug europe winter "
                + "delay report finance team support ticket refund policy warehouse").split(" ");
        Random random = new Random(7);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder("Note ").append(i).append(':');
            for (int w = 0; w < words; w++) {
                text.append(' ').append(vocabulary[random.nextInt(vocabulary.length)]);
            }
            texts.add(text.append('.').toString());
        }
        return texts;
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    static double cosine(float[] a, float[] b) {
        return dot(a, b) / (norm(a) * norm(b));
    }
}
