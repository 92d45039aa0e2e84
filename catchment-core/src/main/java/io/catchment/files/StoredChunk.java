package io.catchment.files;

/** A chunk with the file it belongs to, for chunk listings. */
public record StoredChunk(long fileId, ChunkRow chunk) {}
