package io.catchment.webhooks;

/** Where one (event, webhook) delivery stands. */
public enum DeliveryStatus {
    /** Not yet delivered; tried again at {@code next_attempt_at}. */
    PENDING,
    /** The receiver answered 2xx. */
    DELIVERED,
    /** Given up after the retry window; its webhook was flagged. */
    FAILED,
    /** Never sent (again) because its webhook was flagged. */
    ABANDONED
}
