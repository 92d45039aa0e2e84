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

    /** Remote models as a source hands them out: per organization, from a fixed table. */
    record TableSource(java.util.Map<Long, List<EmbeddingGenerator>> byOrganization, List<EmbeddingGenerator> serverWide)
            implements RemoteModelSource {
        @Override
        public java.util.Optional<EmbeddingModel> find(long organizationId, EmbeddingGenerator generator) {
            boolean has = serverWide.contains(generator)
                    || byOrganization.getOrDefault(organizationId, List.of()).contains(generator);
            return has ? java.util.Optional.of(new FakeModel(generator.wireName(), generator.dimensions()))
                    : java.util.Optional.empty();
        }

        @Override
        public boolean configuredServerWide(EmbeddingGenerator generator) {
            return serverWide.contains(generator);
        }
    }

    private static final long ORG = 7;
    private final EmbeddingModel local = new FakeModel("ALL_MINILM_L6_V2", 384);
    private final EmbeddingModels models = new EmbeddingModels(List.of(local), "ALL_MINILM_L6_V2");

    @Test
    void findsByExactWireName() {
        assertThat(models.find(ORG, "ALL_MINILM_L6_V2")).containsSame(local);
        assertThat(models.find(ORG, "all_minilm_l6_v2")).isEmpty();
        assertThat(models.find(ORG, "OPENAI")).isEmpty();
        assertThat(models.find(ORG, null)).isEmpty();
    }

    @Test
    void defaultAndAvailable() {
        assertThat(models.defaultModelName()).isEqualTo("ALL_MINILM_L6_V2");
        assertThat(models.available(ORG)).containsExactly("ALL_MINILM_L6_V2");
    }

    @Test
    void localOnlyRegistryUsesTheRealLocalModelLazily() {
        EmbeddingModels registry = EmbeddingModels.localOnly();

        assertThat(registry.find(ORG, registry.defaultModelName())).get().isInstanceOf(LocalMiniLmModel.class);
        assertThat(registry.available(ORG)).containsExactly("ALL_MINILM_L6_V2");
    }

    @Test
    void remoteModelsArePerOrganization() {
        EmbeddingModels registry = models.withRemote(new TableSource(
                java.util.Map.of(ORG, List.of(EmbeddingGenerator.COHERE_MULTILINGUAL_V3)),
                List.of(EmbeddingGenerator.OPENAI_ADA_SMALL_512)));

        assertThat(registry.find(ORG, "COHERE_MULTILINGUAL_V3")).get().extracting(EmbeddingModel::dimensions).isEqualTo(1024);
        assertThat(registry.find(ORG + 1, "COHERE_MULTILINGUAL_V3")).isEmpty();
        assertThat(registry.find(ORG + 1, "OPENAI_ADA_SMALL_512")).isPresent();
        assertThat(registry.available(ORG)).containsExactly("ALL_MINILM_L6_V2", "COHERE_MULTILINGUAL_V3", "OPENAI_ADA_SMALL_512");
        assertThat(registry.available(ORG + 1)).containsExactly("ALL_MINILM_L6_V2", "OPENAI_ADA_SMALL_512");
        assertThat(registry.unavailableReason(ORG + 1, "COHERE_MULTILINGUAL_V3")).contains("set COHERE_API_KEY on the server");
    }

    @Test
    void aRemoteDefaultNeedsServerCredentials() {
        TableSource source = new TableSource(java.util.Map.of(), List.of(EmbeddingGenerator.OPENAI_ADA_SMALL_512));
        EmbeddingModels remoteDefault = new EmbeddingModels(List.of(local), "OPENAI_ADA_SMALL_512", source);

        assertThat(remoteDefault.defaultModelName()).isEqualTo("OPENAI_ADA_SMALL_512");
        assertThatThrownBy(() -> new EmbeddingModels(List.of(local), "COHERE_MULTILINGUAL_V3", source))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not available");
    }

    @Test
    void remoteCarbonModelNamesWhatToConfigure() {
        assertThat(models.unavailableReason(ORG, "OPENAI")).isEqualTo("Embedding model 'OPENAI' is not configured: set "
                + "OPENAI_API_KEY on the server or store the organization's OPENAI credentials "
                + "(POST /organization/model_credentials), or omit embedding_model to use the local default ALL_MINILM_L6_V2");
        assertThat(models.unavailableReason(ORG, "AZURE_ADA_SMALL_512"))
                .startsWith("Embedding model 'AZURE_ADA_SMALL_512' is not configured: "
                        + "set AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY on the server");
        assertThat(models.unavailableReason(ORG, "COHERE_MULTILINGUAL_V3")).contains("set COHERE_API_KEY on");
        assertThat(models.unavailableReason(ORG, "SOLAR_1_MINI")).contains("set UPSTAGE_API_KEY on");
        assertThat(models.unavailableReason(ORG, "VERTEX_MULTIMODAL")).contains("set GOOGLE_APPLICATION_CREDENTIALS on");
    }

    @Test
    void unknownNameListsWhatIsAvailable() {
        assertThat(models.unavailableReason(ORG, "X")).isEqualTo("Unknown embedding model 'X'; available: ALL_MINILM_L6_V2");
        assertThat(models.unavailableReason(ORG, "openai")).isEqualTo("Unknown embedding model 'openai' (names are"
                + " case-sensitive: did you mean 'OPENAI'?); available: ALL_MINILM_L6_V2");
        assertThat(models.unavailableReason(ORG, "all_minilm_l6_v2")).contains("did you mean 'ALL_MINILM_L6_V2'?");
        assertThat(models.unavailableReason(ORG, "y".repeat(10_000))).hasSizeLessThan(200);
    }

    @Test
    void blankOrMissingName() {
        assertThat(models.unavailableReason(ORG, " ")).isEqualTo("Embedding model name is blank: omit embedding_model to"
                + " use the local default ALL_MINILM_L6_V2, or name one of: ALL_MINILM_L6_V2");
        assertThat(models.unavailableReason(ORG, null)).startsWith("Embedding model name is blank");
    }

    @Test
    void knownModelLeftOutOfThisServer() {
        EmbeddingModel openai = new FakeModel("OPENAI", 1536);
        EmbeddingModels remoteOnly = new EmbeddingModels(List.of(openai), "OPENAI");

        assertThat(remoteOnly.unavailableReason(ORG, "ALL_MINILM_L6_V2"))
                .isEqualTo("Embedding model 'ALL_MINILM_L6_V2' is not enabled on this server; available: OPENAI");
        assertThat(remoteOnly.unavailableReason(ORG, "OPENAI_ADA_SMALL_512"))
                .endsWith("or omit embedding_model to use the default OPENAI");
    }

    @Test
    void severalModelsKeepTheirOrder() {
        EmbeddingModel small = new FakeModel("OPENAI_ADA_SMALL_512", 512);
        EmbeddingModels two = new EmbeddingModels(List.of(local, small), "ALL_MINILM_L6_V2");

        assertThat(two.available(ORG)).containsExactly("ALL_MINILM_L6_V2", "OPENAI_ADA_SMALL_512");
        assertThat(two.find(ORG, "OPENAI_ADA_SMALL_512")).containsSame(small);
        assertThat(two.unavailableReason(ORG, "X")).endsWith("available: ALL_MINILM_L6_V2, OPENAI_ADA_SMALL_512");
    }

    @Test
    void askingWhyAnAvailableModelIsUnavailableIsAMistake() {
        assertThatThrownBy(() -> models.unavailableReason(ORG, "ALL_MINILM_L6_V2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is available");
    }

    @Test
    void rejectsBadConfigurations() {
        assertThatThrownBy(() -> new EmbeddingModels(List.of(), "ALL_MINILM_L6_V2"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EmbeddingModels(List.of(local), "OPENAI"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Default embedding model 'OPENAI' is not available");
        assertThatThrownBy(() -> new EmbeddingModels(List.of(local, new FakeModel("ALL_MINILM_L6_V2", 384)),
                "ALL_MINILM_L6_V2")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Two");
        assertThatThrownBy(() -> new EmbeddingModels(List.of(new FakeModel("OPENAI", 768)), "OPENAI"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Embedding model 'OPENAI' has 768 dimensions, but OPENAI means 1536");
    }

    @Test
    void customNamesAreAllowed() {
        EmbeddingModels custom = new EmbeddingModels(List.of(new FakeModel("TEST_MODEL", 8)), "TEST_MODEL");

        assertThat(custom.defaultModelName()).isEqualTo("TEST_MODEL");
        assertThat(custom.unavailableReason(ORG, "OPENAI")).endsWith("or omit embedding_model to use the default TEST_MODEL");
    }
}
