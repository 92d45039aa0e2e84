package io.catchment.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EmbeddingGeneratorTest {
    @Test
    void carbonValuesExactlyPlusTheLocalModel() {
        List<String> carbon = List.of("OPENAI", "AZURE_OPENAI", "AZURE_ADA_LARGE_256", "AZURE_ADA_LARGE_1024",
                "AZURE_ADA_LARGE_3072", "AZURE_ADA_SMALL_512", "AZURE_ADA_SMALL_1536", "COHERE_MULTILINGUAL_V3",
                "VERTEX_MULTIMODAL", "OPENAI_ADA_LARGE_256", "OPENAI_ADA_LARGE_1024", "OPENAI_ADA_LARGE_3072",
                "OPENAI_ADA_SMALL_512", "OPENAI_ADA_SMALL_1536", "SOLAR_1_MINI");

        assertThat(Arrays.stream(EmbeddingGenerator.values()).filter(EmbeddingGenerator::carbon)
                .map(EmbeddingGenerator::wireName)).containsExactlyElementsOf(carbon);
        assertThat(EmbeddingGenerator.values()).hasSize(carbon.size() + 1);
        assertThat(EmbeddingGenerator.ALL_MINILM_L6_V2.carbon()).isFalse();
    }

    @Test
    void dimensions() {
        Map<EmbeddingGenerator, Integer> dims = Arrays.stream(EmbeddingGenerator.values())
                .collect(Collectors.toMap(g -> g, EmbeddingGenerator::dimensions));

        assertThat(dims).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry(EmbeddingGenerator.OPENAI, 1536),
                Map.entry(EmbeddingGenerator.AZURE_OPENAI, 1536),
                Map.entry(EmbeddingGenerator.AZURE_ADA_LARGE_256, 256),
                Map.entry(EmbeddingGenerator.AZURE_ADA_LARGE_1024, 1024),
                Map.entry(EmbeddingGenerator.AZURE_ADA_LARGE_3072, 3072),
                Map.entry(EmbeddingGenerator.AZURE_ADA_SMALL_512, 512),
                Map.entry(EmbeddingGenerator.AZURE_ADA_SMALL_1536, 1536),
                Map.entry(EmbeddingGenerator.COHERE_MULTILINGUAL_V3, 1024),
                Map.entry(EmbeddingGenerator.VERTEX_MULTIMODAL, 1408),
                Map.entry(EmbeddingGenerator.OPENAI_ADA_LARGE_256, 256),
                Map.entry(EmbeddingGenerator.OPENAI_ADA_LARGE_1024, 1024),
                Map.entry(EmbeddingGenerator.OPENAI_ADA_LARGE_3072, 3072),
                Map.entry(EmbeddingGenerator.OPENAI_ADA_SMALL_512, 512),
                Map.entry(EmbeddingGenerator.OPENAI_ADA_SMALL_1536, 1536),
                Map.entry(EmbeddingGenerator.SOLAR_1_MINI, 4096),
                Map.entry(EmbeddingGenerator.ALL_MINILM_L6_V2, 384)));
        // The size suffix is the dimension count.
        for (EmbeddingGenerator g : EmbeddingGenerator.values()) {
            if (g.name().contains("_ADA_")) {
                assertThat(g.name()).endsWith("_" + g.dimensions());
            }
        }
    }

    @Test
    void onlyTheLocalModelIsNotRemote() {
        assertThat(Arrays.stream(EmbeddingGenerator.values()).filter(g -> !g.remote()))
                .containsExactly(EmbeddingGenerator.ALL_MINILM_L6_V2);
        assertThat(EmbeddingGenerator.ALL_MINILM_L6_V2.provider().settings()).isEmpty();
        for (EmbeddingGenerator g : EmbeddingGenerator.values()) {
            assertThat(g.provider().settings().isEmpty()).as(g.name()).isEqualTo(!g.remote());
        }
    }

    @Test
    void onlyVertexIsMultimodal() {
        assertThat(Arrays.stream(EmbeddingGenerator.values()).filter(EmbeddingGenerator::multimodal))
                .containsExactly(EmbeddingGenerator.VERTEX_MULTIMODAL);
    }

    @Test
    void fromWireIsExact() {
        for (EmbeddingGenerator g : EmbeddingGenerator.values()) {
            assertThat(EmbeddingGenerator.fromWire(g.wireName())).contains(g);
        }
        assertThat(EmbeddingGenerator.fromWire("ALL_MINILM_L6_V2")).contains(EmbeddingGenerator.ALL_MINILM_L6_V2);
        assertThat(EmbeddingGenerator.fromWire("openai")).isEmpty();
        assertThat(EmbeddingGenerator.fromWire(" OPENAI")).isEmpty();
        assertThat(EmbeddingGenerator.fromWire("text-embedding-ada-002")).isEmpty();
        assertThat(EmbeddingGenerator.fromWire("")).isEmpty();
        assertThat(EmbeddingGenerator.fromWire(null)).isEmpty();
    }
}
