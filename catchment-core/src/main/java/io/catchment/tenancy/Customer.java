package io.catchment.tenancy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * An end user of an organization. {@code suppliedId} is the organization's {@code customer-id}
 * string; {@code id} is Catchment's integer id for it. {@code configuration} holds only what
 * was set for this customer; see {@link UserConfiguration#overlay} for the effective values.
 */
public record Customer(
        long id,
        long organizationId,
        String suppliedId,
        UserConfiguration configuration,
        ObjectNode enabledFeatures,
        Instant createdAt,
        Instant updatedAt) {}
