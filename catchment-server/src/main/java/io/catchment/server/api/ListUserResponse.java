package io.catchment.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.tenancy.Customer;
import io.catchment.tenancy.Organization;
import io.catchment.tenancy.UserConfiguration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Carbon's {@code ListUserResponse}: one customer in {@code /list_users}. */
record ListUserResponse(
        long id,
        long organizationId,
        String organizationSuppliedUserId,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> deletedAt,
        ObjectNode enabledFeatures,
        ObjectNode customLimits,
        List<String> autoSyncEnabledSources) {

    static ListUserResponse of(Customer customer, Organization org) {
        UserConfiguration effective = org.globalUserConfig().overlay(customer.configuration());
        return new ListUserResponse(customer.id(), customer.organizationId(), customer.suppliedId(),
                customer.createdAt(), customer.updatedAt(), Optional.empty(), customer.enabledFeatures(),
                UserResponse.customLimits(effective), UserResponse.autoSyncSources(effective));
    }
}
