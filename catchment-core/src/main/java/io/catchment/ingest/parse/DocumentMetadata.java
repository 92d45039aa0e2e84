package io.catchment.ingest.parse;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.PagedText;
import org.apache.tika.metadata.Property;
import org.apache.tika.metadata.TikaCoreProperties;

/**
 * The few Tika metadata values worth keeping, under short stable keys: {@code title},
 * {@code author}, {@code created}, {@code modified} (ISO-8601) and {@code page_count}.
 * Multi-valued entries are joined with {@code "; "}.
 */
final class DocumentMetadata {
    private DocumentMetadata() {}

    static Map<String, String> of(Metadata tika) {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, "title", tika, TikaCoreProperties.TITLE);
        put(out, "author", tika, TikaCoreProperties.CREATOR);
        put(out, "created", tika, TikaCoreProperties.CREATED);
        put(out, "modified", tika, TikaCoreProperties.MODIFIED);
        put(out, "page_count", tika, PagedText.N_PAGES);
        return out;
    }

    /** The base MIME type Tika reports (parameters such as charset dropped), or {@code fallback}. */
    static String mimeType(Metadata tika, String fallback) {
        String type = tika.get(Metadata.CONTENT_TYPE);
        if (type == null || type.isBlank()) return fallback;
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).strip();
    }

    static void put(Map<String, String> out, String key, Metadata tika, Property property) {
        put(out, key, tika, property.getName());
    }

    static void put(Map<String, String> out, String key, Metadata tika, String name) {
        String value = value(tika, name);
        if (!value.isEmpty()) out.put(key, value);
    }

    static String value(Metadata tika, String name) {
        StringBuilder joined = new StringBuilder();
        for (String v : tika.getValues(name)) {
            if (v == null || v.isBlank()) continue;
            if (!joined.isEmpty()) joined.append("; ");
            joined.append(v.strip());
        }
        return joined.toString();
    }
}
