package io.catchment.files;

import java.util.List;
import java.util.Optional;

/**
 * Carbon's file filters ({@code OrganizationUserFilesToSyncFilters}). An empty list means "no
 * filter on this field"; {@code syncErrorMessage} of "" means "files without an error".
 */
public record FileFilters(
        List<String> sources,
        Optional<String> nameContains,
        Optional<TagFilter> tags,
        List<Long> ids,
        List<String> externalFileIds,
        List<FileStatus> statuses,
        List<Long> parentFileIds,
        List<Long> dataSourceIds,
        List<String> embeddingModels,
        boolean rootFilesOnly,
        boolean includeAllChildren,
        boolean nonSyncedOnly,
        List<String> requestIds,
        List<String> uploadIds,
        Optional<String> syncErrorMessage,
        List<String> externalUrls) {

    public static final FileFilters NONE = new FileFilters(List.of(), Optional.empty(), Optional.empty(), List.of(),
            List.of(), List.of(), List.of(), List.of(), List.of(), false, false, false, List.of(), List.of(),
            Optional.empty(), List.of());

    public static FileFilters ids(List<Long> ids) {
        return new FileFilters(List.of(), Optional.empty(), Optional.empty(), ids, List.of(), List.of(), List.of(),
                List.of(), List.of(), false, false, false, List.of(), List.of(), Optional.empty(), List.of());
    }
}
