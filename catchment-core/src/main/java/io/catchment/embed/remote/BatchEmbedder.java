package io.catchment.embed.remote;

import io.catchment.embed.EmbeddingException;
import io.catchment.embed.EmbeddingModel.InputType;
import java.util.List;

/**
 * One provider call: a batch already within the provider's limits (see {@link BatchLimits}), no
 * blank text in it. Returns one vector per text, in order, as the provider sent them.
 */
@FunctionalInterface
public interface BatchEmbedder {
    List<float[]> embedBatch(List<String> texts, InputType type) throws EmbeddingException;
}
