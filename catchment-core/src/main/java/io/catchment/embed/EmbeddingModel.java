package io.catchment.embed;

import java.util.List;

/**
 * A text embedding model. {@code name} is the Carbon {@code embedding_model} value it serves.
 * Implementations batch internally up to {@link #maxBatch()} and are thread-safe. Vectors are
 * unit length.
 */
public interface EmbeddingModel {
    String name();

    int dimensions();

    int maxBatch();

    int maxInputTokens();

    /** One vector per text, in order. Documents and queries may be embedded differently. */
    List<float[]> embed(List<String> texts, InputType type) throws EmbeddingException;

    /** True for multimodal models, whose image vectors share the space of their text vectors. */
    default boolean embedsImages() {
        return false;
    }

    /** The vector of one image; only for models that {@link #embedsImages()}. */
    default float[] embedImage(ImageInput image) throws EmbeddingException {
        throw new EmbeddingException(name() + " cannot embed images", false, null);
    }

    enum InputType { DOCUMENT, QUERY }
}
