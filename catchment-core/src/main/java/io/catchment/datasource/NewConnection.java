package io.catchment.datasource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.connector.DataSourceType;

/**
 * A successful connection, to be stored as a new data source or as an update of the customer's
 * existing connection of the same account ({@code type} + {@code externalId}).
 *
 * @param tags Carbon's {@code data_source_tags}: upserted into the data source's tags
 */
public record NewConnection(long organizationId, long customerId, DataSourceType type, String externalId,
                            ObjectNode metadata, ObjectNode syncSettings, ObjectNode tags, Credentials credentials) {}
