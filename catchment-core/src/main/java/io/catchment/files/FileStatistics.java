package io.catchment.files;

import java.util.Optional;
import java.util.OptionalLong;

/** Carbon's {@code file_statistics}; each figure is known once the step that measures it has run. */
public record FileStatistics(Optional<String> fileFormat, OptionalLong fileSize, OptionalLong numCharacters,
                             OptionalLong numTokens, OptionalLong numEmbeddings, Optional<String> mimeType) {}
