package io.catchment.connector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One thing in a source's tree, as Carbon's {@code ExternalSourceItem} shows it: a file, a folder,
 * a drive, a bucket, a site. {@code externalId} is unique within the data source and stable across
 * renames and moves where the provider allows (Drive, Box, Graph and Dropbox ids; S3 and GCS keys
 * are their names, so a move there is a delete plus an add). {@code version} is whatever tells a
 * changed file from an unchanged one (Drive's version, Dropbox's rev, an ETag, a GCS generation);
 * empty for containers.
 *
 * @param itemType FILE, FOLDER or a connector's own type (see {@link ItemTypes})
 * @param fileFormat Carbon's file format name (PDF, DOCX, TXT, ...) when known
 * @param metadata what a connector needs to fetch the item later (drive id, bucket, mime type...)
 */
public record SourceItem(
        String externalId,
        Optional<String> parentExternalId,
        String rootExternalId,
        String name,
        String itemType,
        boolean selectable,
        boolean expandable,
        Optional<String> fileFormat,
        Optional<String> externalUrl,
        Optional<String> version,
        OptionalLong size,
        Optional<Instant> createdAt,
        Optional<Instant> modifiedAt,
        ObjectNode metadata) {

    public SourceItem {
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(rootExternalId, "rootExternalId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(itemType, "itemType");
        metadata = metadata.deepCopy();
    }

    /** A file or file-like leaf: something that is fetched and ingested. */
    public boolean isFile() {
        return !expandable;
    }

    /** A container (folder, drive, bucket, site) with the usual flags. */
    public static SourceItem container(String externalId, Optional<String> parent, String root, String name,
                                       String itemType, Optional<String> url) {
        return new SourceItem(externalId, parent, root, name, itemType, true, true, Optional.empty(), url,
                Optional.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty(), Json.object());
    }
}
