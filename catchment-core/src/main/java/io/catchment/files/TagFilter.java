package io.catchment.files;

import java.util.List;

/**
 * Carbon's {@code tags_v2} filter: AND/OR blocks (nested up to 3 levels) over leaves
 * {@code {key, value | [values], negate}}. A leaf with several values matches any of them.
 */
public sealed interface TagFilter {
    int MAX_DEPTH = 3;

    record And(List<TagFilter> all) implements TagFilter {
        public And {
            all = List.copyOf(all);
        }
    }

    record Or(List<TagFilter> any) implements TagFilter {
        public Or {
            any = List.copyOf(any);
        }
    }

    record Leaf(String key, List<String> values, boolean negate) implements TagFilter {
        public Leaf {
            values = List.copyOf(values);
        }
    }
}
