package io.catchment.store;

import io.catchment.json.WireNamed;
import java.util.Locale;

/** Carbon's {@code order_dir}. */
public enum SortDirection implements WireNamed {
    ASC, DESC;

    @Override
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String sql() {
        return name();
    }

    /** The comparison that keeps ids after a keyset cursor in this direction. */
    public String afterCursor() {
        return this == ASC ? ">" : "<";
    }
}
