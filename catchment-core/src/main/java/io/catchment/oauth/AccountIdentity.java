package io.catchment.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * The account a connection reached.
 *
 * @param externalId the provider's stable id for it (a data source's {@code data_source_external_id}):
 *     the same account connected again has the same id
 * @param email the account's email, when the provider tells
 * @param name a display name, when the provider tells
 * @param metadata non-secret facts worth keeping with the data source (email, name, team, workspace
 *     or site names, instance URL, cloud id, tenant, ...); never a token
 */
public record AccountIdentity(String externalId, Optional<String> email, Optional<String> name, ObjectNode metadata) {
    public AccountIdentity {
        Objects.requireNonNull(externalId, "externalId");
        if (externalId.isBlank()) throw new IllegalArgumentException("externalId must not be blank");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        metadata = Objects.requireNonNull(metadata, "metadata").deepCopy();
    }

    @Override
    public ObjectNode metadata() {
        return metadata.deepCopy();
    }
}
