package io.catchment.webhooks;

import java.util.List;

/** One page of the delivery log, and how many deliveries match in all. */
public record DeliveryPage(List<Delivery> results, long count) {}
