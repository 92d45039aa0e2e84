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

    /** Files by id and/or status (empty = any); {@code nonSyncedOnly} leaves READY files out. */
    public static FileFilters byIdsAndStatuses(List<Long> ids, List<FileStatus> statuses, boolean nonSyncedOnly) {
        return new FileFilters(List.of(), Optional.empty(), Optional.empty(), ids, List.of(), statuses, List.of(),
                List.of(), List.of(), false, false, nonSyncedOnly, List.of(), List.of(), Optional.empty(), List.of());
    }

    /** A search's restriction: by ids, by parents (optionally the whole subtree), by tags. */
    public static FileFilters restriction(List<Long> ids, List<Long> parents, boolean allChildren, Optional<TagFilter> tags) {
        return new FileFilters(List.of(), Optional.empty(), tags, ids, List.of(), List.of(), parents, List.of(),
                List.of(), false, allChildren, false, List.of(), List.of(), Optional.empty(), List.of());
    }

}
