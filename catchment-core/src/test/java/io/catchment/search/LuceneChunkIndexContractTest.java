package io.catchment.search;

import java.nio.file.Path;

class LuceneChunkIndexContractTest extends ChunkIndexContract {
    @Override
    protected ChunkIndex openIndex(Path dir) {
        return new LuceneChunkIndex(dir);
    }
}
