package io.catchment.server.search;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Carbon's {@code DocumentResponse}: one retrieved chunk with its file's context. */
record DocumentResponse(String content, long fileId, OptionalLong parentFileId, Optional<String> source,
                        Optional<String> sourceUrl, Optional<String> sourceType, Optional<String> presignedUrl,
                        Optional<ObjectNode> tags, Optional<float[]> vector, double score, int rank,
                        Map<String, Object> contentMetadata, int chunkIndex) {}
