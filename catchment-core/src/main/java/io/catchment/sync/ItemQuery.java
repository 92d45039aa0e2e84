package io.catchment.sync;

import io.catchment.store.Page;
import io.catchment.store.SortDirection;
import io.catchment.json.WireNamed;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /integrations/items/list}: children of {@code parentId} (or, without it, every item the
 * other filters allow), filtered, ordered and paged.
 */
public record ItemQuery(long dataSourceId, Optional<String> parentId, List<String> externalIds, List<Long> ids,
                        Optional<String> name, boolean rootFilesOnly, List<String> fileFormats, List<String> itemTypes,
                        Order order, SortDirection direction, Page page) {
    /** Carbon's {@code ExternalSourceItemsOrderBy}: name, id, directories_first. */
    public enum Order implements WireNamed {
        NAME, ID, DIRECTORIES_FIRST;

        @Override
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ItemQuery {
        externalIds = List.copyOf(externalIds);
        ids = List.copyOf(ids);
        fileFormats = List.copyOf(fileFormats);
        itemTypes = List.copyOf(itemTypes);
    }
}
