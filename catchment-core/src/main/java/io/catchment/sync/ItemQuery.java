package io.catchment.sync;

import io.catchment.store.Page;
import io.catchment.store.SortDirection;
import java.util.List;
import java.util.Optional;

/**
 * {@code /integrations/items/list}: children of {@code parentId} (or, without it, every item the
 * other filters allow), filtered, ordered and paged.
 */
public record ItemQuery(long dataSourceId, Optional<String> parentId, List<String> externalIds, List<Long> ids,
                        Optional<String> name, boolean rootFilesOnly, List<String> fileFormats, List<String> itemTypes,
                        Order order, SortDirection direction, Page page) {
    public enum Order { NAME, ID, DIRECTORIES_FIRST }

    public ItemQuery {
        externalIds = List.copyOf(externalIds);
        ids = List.copyOf(ids);
        fileFormats = List.copyOf(fileFormats);
        itemTypes = List.copyOf(itemTypes);
    }
}
