package io.catchment.connectors.objectstore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.connector.ItemTypes;
import io.catchment.connector.SourceItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Folders of a store that only has keys: "a/b/c.txt" lies in the folders "a/" and "a/b/". */
public final class KeyFolders {
    private KeyFolders() {}

    /**
     * The folder prefixes of {@code key} ("a/", "a/b/", and the key itself when it ends in "/") that
     * a listing in key order has not shown yet: keys under one prefix come together, so a prefix is
     * new exactly when the key listed before ({@code previous}) did not have it.
     */
    public static List<String> newPrefixes(String key, Optional<String> previous) {
        List<String> out = new ArrayList<>();
        for (int slash = key.indexOf('/'); slash >= 0; slash = key.indexOf('/', slash + 1)) {
            String prefix = key.substring(0, slash + 1);
            if (previous.isEmpty() || !previous.get().startsWith(prefix)) out.add(prefix);
        }
        return out;
    }

    /**
     * The folder item for {@code prefix} ("a/b/") of {@code container}: external id
     * {@code container/a/b/}, parent {@code container/a/} (or the container), named "b".
     */
    public static SourceItem folder(String container, String prefix, Optional<String> url, ObjectNode metadata) {
        String inner = prefix.substring(0, prefix.length() - 1);
        int cut = inner.lastIndexOf('/');
        String parent = cut < 0 ? container : container + "/" + inner.substring(0, cut + 1);
        return new SourceItem(container + "/" + prefix, Optional.of(parent), container, inner.substring(cut + 1),
                ItemTypes.FOLDER, true, true, Optional.empty(), url, Optional.empty(), OptionalLong.empty(),
                Optional.empty(), Optional.empty(), metadata);
    }
}
