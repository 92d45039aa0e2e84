package io.catchment.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/** Stores byte streams by content; writes are atomic (a blob is either complete or absent). */
public interface BlobStore {
    /** Stores the stream and returns its key (lower-case hex SHA-256) and size. */
    StoredBlob put(InputStream content) throws IOException;

    /** A readable local file for the blob (parsers need random access), if it exists. */
    Optional<Path> path(String key);

    InputStream open(String key) throws IOException;

    void delete(String key) throws IOException;

    record StoredBlob(String key, long size) {}
}
