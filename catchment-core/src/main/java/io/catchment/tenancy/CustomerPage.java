package io.catchment.tenancy;

import java.util.List;
import java.util.OptionalLong;

/** One page of customers, with the total count when it was asked for. */
public record CustomerPage(List<Customer> customers, OptionalLong count) {}
