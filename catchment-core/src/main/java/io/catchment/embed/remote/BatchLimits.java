package io.catchment.embed.remote;

/**
 * What one provider call may carry, in cl100k tokens (jtokkit), the tokenizer the chunker uses.
 * Providers whose own tokenizer differs get a margin in {@code maxInputTokens}.
 *
 * @param maxBatch texts per call
 * @param maxInputTokens tokens per text: longer texts are split into windows whose vectors are pooled
 * @param maxRequestTokens tokens per call, all texts together
 */
public record BatchLimits(int maxBatch, int maxInputTokens, int maxRequestTokens) {
    public BatchLimits {
        if (maxBatch < 1 || maxInputTokens < 1 || maxRequestTokens < maxInputTokens) {
            throw new IllegalArgumentException("invalid batch limits: " + maxBatch + ", " + maxInputTokens + ", "
                    + maxRequestTokens);
        }
    }
}
