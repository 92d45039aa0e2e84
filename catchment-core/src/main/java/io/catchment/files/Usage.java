package io.catchment.files;

import java.util.Map;

/**
 * What a customer (or an organization) has stored, for Carbon's user and organization
 * statistics. Totals count READY files; the maps are keyed by source type or file format.
 */
public record Usage(long readyFiles, long characters, long tokens, Map<String, Long> fileSizeBySource,
                    Map<String, Long> charactersBySource, Map<String, Long> tokensBySource,
                    Map<String, Long> embeddingsBySource, Map<String, Long> filesBySource,
                    Map<String, Long> filesByFormat) {}
