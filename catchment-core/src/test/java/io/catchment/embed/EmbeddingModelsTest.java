package io.catchment.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingModelsTest {
    /** A stand-in that is never asked to embed (the registry only reads names and dimensions). */
    record FakeModel(String name, int dimensions) implements EmbeddingModel {
        @Override
        public int maxBatch() {
            return 8;
        }

        @Override
        public int maxInputTokens() {
            return 512;
        }

        @Override
        public List<float[]> embed(List<String> texts, InputType type) {
            List<float[]> vectors = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                vectors.add(new float[dimensions]);
            }
            return vectors;
        }
    }

    private final EmbeddingModel local = new FakeModel("ALL_MINILM_L6_V2", 384);
    private final EmbeddingModels models = new EmbeddingModels(List.of(local), "ALL_MINILM_L6_V2");

    @Test
    void findsByExactWireName() {
        assertThat(models.find("ALL_MINILM_L6_V2")).containsSame(local);
        assertThat(models.find("all_minilm_l6_v2")).isEmpty();
        assertThat(models.find("OPENAI")).isEmpty();
        assertThat(models.find(null)).isEmpty();
    }

    @Test
    void defaultAndAvailable() {
        assertThat(models.defaultModel()).isSameAs(local);
        assertThat(models.available()).containsExactly("ALL_MINILM_L6_V2");
    }

    @Test
    void localOnlyRegistryUsesTheRealLocalModelLazily() {
        EmbeddingModels registry = EmbeddingModels.localOnly();

        assertThat(registry.defaultModel()).isInstanceOf(LocalMiniLmModel.class);
        assertThat(registry.defaultModel().dimensions()).isEqualTo(384);
        assertThat(registry.available()).containsExactly("ALL_MINILM_L6_V2");
    }

    @Test
    void remoteCarbonModelNamesWhatToConfigure() {
        assertThat(models.unavailableReason("OPENAI")).isEqualTo("Embedding model 'OPENAI' is not configured on this"
                + " server: set OPENAI_API_KEY (remote models arrive with the embedding-models feature) or omit"
                + " embedding_model to use the local default ALL_MINILM_L6_V2");
        assertThat(models.unavailableReason("AZURE_ADA_SMALL_512"))
                .startsWith("Embedding model 'AZURE_ADA_SMALL_512' is not configured on this server: "
                        + "set AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY (");
        assertThat(models.unavailableReason("COHERE_MULTILINGUAL_V3")).contains("set COHERE_API_KEY (");
        assertThat(models.unavailableReason("SOLAR_1_MINI")).contains("set UPSTAGE_API_KEY (");
        assertThat(models.unavailableReason("VERTEX_MULTIMODAL"))
                .contains("set GOOGLE_CLOUD_PROJECT and GOOGLE_APPLICATION_CREDENTIALS (");
    }

    @Test
    void unknownNameListsWhatIsAvailable() {
        assertThat(models.unavailableReason("X")).isEqualTo("Unknown embedding model 'X'; available: ALL_MINILM_L6_V2");
        assertThat(models.unavailableReason("openai")).isEqualTo("Unknown embedding model 'openai' (names are"
                + " case-sensitive: did you mean 'OPENAI'?); available: ALL_MINILM_L6_V2");
        assertThat(models.unavailableReason("all_minilm_l6_v2")).contains("did you mean 'ALL_MINILM_L6_V2'?");
        assertThat(models.unavailableReason("y".repeat(10_000))).hasSizeLessThan(200);
    }

    @Test
    void blankOrMissingName() {
        assertThat(models.unavailableReason(" ")).isEqualTo("Embedding model name is blank: omit embedding_model to"
                + " use the local default ALL_MINILM_L6_V2, or name one of: ALL_MINILM_L6_V2");
        assertThat(models.unavailableReason(null)).startsWith("Embedding model name is blank");
    }

    @Test
    void knownModelLeftOutOfThisServer() {
        EmbeddingModel openai = new FakeModel("OPENAI", 1536);
        EmbeddingModels remoteOnly = new EmbeddingModels(List.of(openai), "OPENAI");

        assertThat(remoteOnly.unavailableReason("ALL_MINILM_L6_V2"))
                .isEqualTo("Embedding model 'ALL_MINILM_L6_V2' is not enabled on this server; available: OPENAI");
        assertThat(remoteOnly.unavailableReason("OPENAI_ADA_SMALL_512"))
                .endsWith("or omit embedding_model to use the default OPENAI");
    }

    @Test
    void severalModelsKeepTheirOrder() {
        EmbeddingModel small = new FakeModel("OPENAI_ADA_SMALL_512", 512);
        EmbeddingModels two = new EmbeddingModels(List.of(local, small), "ALL_MINILM_L6_V2");

        assertThat(two.available()).containsExactly("ALL_MINILM_L6_V2", "OPENAI_ADA_SMALL_512");
        assertThat(two.find("OPENAI_ADA_SMALL_512")).containsSame(small);
        assertThat(two.unavailableReason("X")).endsWith("available: ALL_MINILM_L6_V2, OPENAI_ADA_SMALL_512");
    }

    @Test
    void askingWhyAnAvailableModelIsUnavailableIsAMistake() {
        assertThatThrownBy(() -> models.unavailableReason("ALL_MINILM_L6_V2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is available");
    }

    @Test
    void rejectsBadConfigurations() {
        assertThatThrownBy(() -> new EmbeddingModels(List.of(), "ALL_MINILM_L6_V2"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EmbeddingModels(List.of(local), "OPENAI"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Default embedding model 'OPENAI' is not among the available ones: ALL_MINILM_L6_V2");
        assertThatThrownBy(() -> new EmbeddingModels(List.of(local, new FakeModel("ALL_MINILM_L6_V2", 384)),
                "ALL_MINILM_L6_V2")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Two");
        assertThatThrownBy(() -> new EmbeddingModels(List.of(new FakeModel("OPENAI", 768)), "OPENAI"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Embedding model 'OPENAI' has 768 dimensions, but OPENAI means 1536");
    }

    @Test
    void customNamesAreAllowed() {
        EmbeddingModels custom = new EmbeddingModels(List.of(new FakeModel("TEST_MODEL", 8)), "TEST_MODEL");

        assertThat(custom.defaultModel().name()).isEqualTo("TEST_MODEL");
        assertThat(custom.unavailableReason("OPENAI")).endsWith("or omit embedding_model to use the default TEST_MODEL");
    }
}
