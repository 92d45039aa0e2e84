package io.catchment.embed;

import java.util.List;
import java.util.Optional;

/**
 * Every {@code embedding_model} value the API accepts: Carbon's {@code EmbeddingGenerators}, exactly
 * as Carbon spells them, plus {@link #ALL_MINILM_L6_V2}, the bundled local model that is
 * Catchment's own addition (and the server default).
 *
 * <p>The wire spelling is the constant name. {@link #fromWire(String)} matches it exactly, case
 * included, as Carbon's own validation does. Which of these a server can actually run is
 * {@link EmbeddingModels}' business; this enum only describes them.
 *
 * <p>Dimensions: {@code OPENAI} and {@code AZURE_OPENAI} are text-embedding-ada-002 (1536); the
 * {@code *_ADA_LARGE_n} and {@code *_ADA_SMALL_n} names are text-embedding-3-large and -small
 * shortened to {@code n} dimensions (inferred from the naming, see carbon-api.md §6).
 */
public enum EmbeddingGenerator {
    OPENAI(1536, Provider.OPENAI, "text-embedding-ada-002"),
    AZURE_OPENAI(1536, Provider.AZURE_OPENAI, "text-embedding-ada-002"),
    AZURE_ADA_LARGE_256(256, Provider.AZURE_OPENAI, "text-embedding-3-large"),
    AZURE_ADA_LARGE_1024(1024, Provider.AZURE_OPENAI, "text-embedding-3-large"),
    AZURE_ADA_LARGE_3072(3072, Provider.AZURE_OPENAI, "text-embedding-3-large"),
    AZURE_ADA_SMALL_512(512, Provider.AZURE_OPENAI, "text-embedding-3-small"),
    AZURE_ADA_SMALL_1536(1536, Provider.AZURE_OPENAI, "text-embedding-3-small"),
    COHERE_MULTILINGUAL_V3(1024, Provider.COHERE, "embed-multilingual-v3.0"),
    /** Multimodal (images and video); Carbon picks it by itself for {@code media_type=IMAGE}. */
    VERTEX_MULTIMODAL(1408, Provider.VERTEX_AI, "multimodalembedding@001"),
    OPENAI_ADA_LARGE_256(256, Provider.OPENAI, "text-embedding-3-large"),
    OPENAI_ADA_LARGE_1024(1024, Provider.OPENAI, "text-embedding-3-large"),
    OPENAI_ADA_LARGE_3072(3072, Provider.OPENAI, "text-embedding-3-large"),
    OPENAI_ADA_SMALL_512(512, Provider.OPENAI, "text-embedding-3-small"),
    OPENAI_ADA_SMALL_1536(1536, Provider.OPENAI, "text-embedding-3-small"),
    /**
     * Upstage's Solar embedding (4096): passage and query models solar-embedding-1-large-passage
     * and -query, the successors of the discontinued solar-1-mini-embedding Carbon named it after.
     */
    SOLAR_1_MINI(4096, Provider.UPSTAGE, "solar-embedding-1-large"),
    /** Not a Carbon value: sentence-transformers/all-MiniLM-L6-v2, quantized, run in-process. */
    ALL_MINILM_L6_V2(384, Provider.LOCAL, "sentence-transformers/all-MiniLM-L6-v2");

    /** Who serves a model, and the settings a server needs to reach it. */
    public enum Provider {
        LOCAL(List.of()),
        OPENAI(List.of("OPENAI_API_KEY")),
        AZURE_OPENAI(List.of("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY")),
        COHERE(List.of("COHERE_API_KEY")),
        VERTEX_AI(List.of("GOOGLE_APPLICATION_CREDENTIALS")),
        UPSTAGE(List.of("UPSTAGE_API_KEY")),
        /** Serves no embedding model, only the JINA_RERANKER_MULTILINGUAL_V2 reranker. */
        JINA(List.of("JINA_API_KEY"));

        private final List<String> settings;

        Provider(List<String> settings) {
            this.settings = settings;
        }

        /**
         * The environment variables a server needs before it can offer this provider's models (empty
         * for the local model); error messages tell operators to set these, or to store the
         * organization's own credentials.
         */
        public List<String> settings() {
            return settings;
        }
    }

    private final int dimensions;
    private final Provider provider;
    private final String upstreamModel;

    EmbeddingGenerator(int dimensions, Provider provider, String upstreamModel) {
        this.dimensions = dimensions;
        this.provider = provider;
        this.upstreamModel = upstreamModel;
    }

    /** The value of {@code embedding_model} on the wire (the constant name). */
    public String wireName() {
        return name();
    }

    /** Length of the vectors this model returns. */
    public int dimensions() {
        return dimensions;
    }

    /** True when the model runs behind a remote HTTP API (every Carbon value); false for the bundled one. */
    public boolean remote() {
        return provider != Provider.LOCAL;
    }

    /** True for the values Carbon itself accepts; false for Catchment's own additions. */
    public boolean carbon() {
        return this != ALL_MINILM_L6_V2;
    }

    /** True for the image/video model; Carbon's {@code TextEmbeddingGenerators} are all the others. */
    public boolean multimodal() {
        return this == VERTEX_MULTIMODAL;
    }

    public Provider provider() {
        return provider;
    }

    /** The provider's own model id (what a remote call would name); for the local model, its origin. */
    public String upstreamModel() {
        return upstreamModel;
    }

    /** The generator with exactly this wire name (case-sensitive); empty for null or anything else. */
    public static Optional<EmbeddingGenerator> fromWire(String wireName) {
        if (wireName == null) {
            return Optional.empty();
        }
        for (EmbeddingGenerator generator : values()) {
            if (generator.name().equals(wireName)) {
                return Optional.of(generator);
            }
        }
        return Optional.empty();
    }
}
