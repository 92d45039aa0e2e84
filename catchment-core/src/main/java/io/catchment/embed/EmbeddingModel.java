package io.catchment.embed;

import java.util.List;

/**
 * A text embedding model. {@code name} is the Carbon {@code embedding_model} value it serves.
 * Implementations batch internally up to {@link #maxBatch()} and are thread-safe.
 */
public interface EmbeddingModel {
    String name();

    int dimensions();

    int maxBatch();

    int maxInputTokens();

    /** One vector per text, in order. Documents and queries may be embedded differently. */
    List<float[]> embed(List<String> texts, InputType type) throws EmbeddingException;

    enum InputType { DOCUMENT, QUERY }
}
