package io.catchment.store;

/**
 * Carbon's {@code pagination}: {@code limit} rows after skipping {@code offset}. A positive
 * {@code startingId} is a keyset cursor: only ids after it in the chosen direction.
 */
public record Page(int limit, int offset, long startingId) {
    public static final int MAX_LIMIT = 1000;
    public static final Page DEFAULT = new Page(10, 0, 0);

    public Page {
        if (limit < 0 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be within 0.." + MAX_LIMIT);
        if (offset < 0) throw new IllegalArgumentException("offset must be >= 0");
        if (startingId < 0) throw new IllegalArgumentException("starting_id must be >= 0");
    }
}
