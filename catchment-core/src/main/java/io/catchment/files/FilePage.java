package io.catchment.files;

import java.util.List;

/** One page of files and the number of files matching the filters. */
public record FilePage(List<StoredFile> files, long count) {}
