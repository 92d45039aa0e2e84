package io.catchment.ingest;

import io.catchment.files.StoredFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The pipeline's first step for a connector's file: fetch its content from the source into a
 * path. Implemented by the sync engine, which knows connectors; the pipeline only knows this.
 */
@FunctionalInterface
public interface SourceContent {
    sealed interface Result {
        /** The bytes are in the target; {@code fileName} tells their format (an export may differ from the item). */
        record Fetched(String fileName, Optional<String> mimeType) implements Result {}

        /** Could not fetch; {@code retryable} when another attempt may work. */
        record Failed(String message, boolean retryable) implements Result {}

        /** The source asked us to wait. */
        record RateLimited(String message, Duration delay) implements Result {}
    }

    Result fetch(StoredFile file, Path target);

    /** For a server without connectors: such files cannot be fetched. */
    SourceContent NONE = (file, target) -> new Result.Failed("No connector can fetch files from " + file.source(), false);
}
