package io.catchment.server.api;

import io.catchment.server.http.BodyReader;
import io.catchment.store.Page;

/** Reads Carbon's {@code pagination} object into a {@link Page}. */
public final class Pagination {
    private Pagination() {}

    public static Page read(BodyReader b) {
        return new Page(
                (int) b.integer("limit", Page.DEFAULT.limit(), 0, Page.MAX_LIMIT),
                (int) b.integer("offset", 0, 0, Integer.MAX_VALUE),
                b.integer("starting_id", 0, 0, Long.MAX_VALUE));
    }

    public static Page field(BodyReader b) {
        return b.object("pagination", Pagination::read, Page.DEFAULT);
    }
}
