package io.catchment.whitelabel;

import java.util.List;
import java.util.Set;

/** The outcome of {@link WhiteLabels#delete}: all deleted, or none (naming the ids not found). */
public sealed interface Deletion {
    record Deleted(List<Long> ids) implements Deletion {
        public Deleted {
            ids = List.copyOf(ids);
        }
    }

    record NotFound(Set<Long> ids) implements Deletion {
        public NotFound {
            ids = Set.copyOf(ids);
        }
    }
}
