package io.catchment.connectors.objectstore;

import io.catchment.connector.ItemFailure;
import io.catchment.connector.SourceItem;

/** Where an object item lives: its container (bucket) and key, from its metadata or its external id. */
public record ObjectLocation(String container, String key) {

    /**
     * @param containerField the metadata field naming the container ("bucket", "container")
     * @param keyField the metadata field naming the key ("key", "blob")
     * @param what how the store calls an object, for the error ("an S3 object", "a blob")
     */
    public static ObjectLocation of(SourceItem item, String containerField, String keyField, String what)
            throws ItemFailure {
        String container = item.metadata().path(containerField).asText("");
        String key = item.metadata().path(keyField).asText("");
        if (container.isEmpty() || key.isEmpty()) {
            int slash = item.externalId().indexOf('/');
            if (slash <= 0 || slash == item.externalId().length() - 1) {
                throw ItemFailure.of("'" + item.externalId() + "' is not " + what);
            }
            container = item.externalId().substring(0, slash);
            key = item.externalId().substring(slash + 1);
        }
        if (key.endsWith("/")) throw ItemFailure.of(container + "/" + key + " is a folder, not " + what);
        return new ObjectLocation(container, key);
    }
}
