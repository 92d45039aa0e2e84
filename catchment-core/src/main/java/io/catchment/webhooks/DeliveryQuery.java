package io.catchment.webhooks;

import io.catchment.store.Page;
import io.catchment.store.SortDirection;
import java.util.Optional;

/** Which deliveries to list: optionally one webhook's, optionally in one status, by id. */
public record DeliveryQuery(Optional<Long> webhookId, Optional<DeliveryStatus> status, SortDirection direction,
                            Page page) {
    /** Newest first: a log is read from its end. */
    public static final DeliveryQuery ALL = new DeliveryQuery(Optional.empty(), Optional.empty(), SortDirection.DESC,
            Page.DEFAULT);
}
