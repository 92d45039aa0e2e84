package io.catchment.ingest.chunk;

/**
 * What surrounds a chunk's body and how many tokens the body may use: the optional file-name
 * prefix ({@code name + "\n"}) counts toward {@code chunkSize}, so the body budget is
 * {@code chunkSize - tokens(prefix)}. When the prefix alone would use the whole chunk size
 * (budget below 1), the prefix is left out rather than exceeding the size.
 */
final class ChunkFrame {
    private final Cl100kTokenizer tokenizer;
    private final String prefix;
    private final int chunkSize;
    private final int bodyBudget;

    private ChunkFrame(Cl100kTokenizer tokenizer, String prefix, int chunkSize, int bodyBudget) {
        this.tokenizer = tokenizer;
        this.prefix = prefix;
        this.chunkSize = chunkSize;
        this.bodyBudget = bodyBudget;
    }

    static ChunkFrame of(ChunkingOptions options, Cl100kTokenizer tokenizer) {
        String prefix = options.fileNameToPrepend()
                .filter(name -> !name.isBlank())
                .map(name -> Cl100kTokenizer.wellFormed(name) + "\n")
                .orElse("");
        int prefixTokens = prefix.isEmpty() ? 0 : tokenizer.count(prefix);
        if (prefixTokens >= options.chunkSize()) {
            prefix = "";
            prefixTokens = 0;
        }
        return new ChunkFrame(tokenizer, prefix, options.chunkSize(), options.chunkSize() - prefixTokens);
    }

    int chunkSize() {
        return chunkSize;
    }

    /** Tokens available to the chunk body (at least 1). */
    int bodyBudget() {
        return bodyBudget;
    }

    String render(String body) {
        return prefix.isEmpty() ? body : prefix + body;
    }

    int count(String text) {
        return tokenizer.count(text);
    }
}
