package io.catchment.files;

import java.util.List;

/** One page of chunks and how many chunks match in all. */
public record ChunkPage(List<StoredChunk> chunks, long count) {}
