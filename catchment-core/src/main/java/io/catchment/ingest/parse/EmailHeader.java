package io.catchment.ingest.parse;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.tika.metadata.Message;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;

/**
 * The header block an e-mail's text starts with (EML and MSG alike), one {@code Name: value} line
 * each for Subject, From, To, Cc and Date when present, then a blank line before the body. From
 * is {@code Name <address>} when both are known; Date is ISO-8601 (UTC). The same values are kept
 * as metadata under {@code subject}, {@code from}, {@code to}, {@code cc} and {@code date}.
 */
record EmailHeader(Map<String, String> fields) {
    private static final Map<String, String> LABELS = labels();

    static EmailHeader of(Metadata tika) {
        Map<String, String> fields = new LinkedHashMap<>();
        DocumentMetadata.put(fields, "subject", tika, TikaCoreProperties.TITLE);
        String from = DocumentMetadata.value(tika, Message.MESSAGE_FROM);
        String email = DocumentMetadata.value(tika, Message.MESSAGE_FROM_EMAIL.getName());
        if (!email.isEmpty() && !from.contains(email)) from = from.isEmpty() ? email : from + " <" + email + ">";
        if (!from.isEmpty()) fields.put("from", from);
        DocumentMetadata.put(fields, "to", tika, Message.MESSAGE_TO);
        DocumentMetadata.put(fields, "cc", tika, Message.MESSAGE_CC);
        DocumentMetadata.put(fields, "date", tika, TikaCoreProperties.CREATED);
        return new EmailHeader(Map.copyOf(fields));
    }

    /** The header lines followed by a blank line, or "" when nothing is known. */
    String block() {
        StringBuilder out = new StringBuilder();
        LABELS.forEach((key, label) -> {
            String value = fields.get(key);
            if (value != null) out.append(label).append(": ").append(value.replaceAll("\\s*\\R\\s*", " ")).append('\n');
        });
        return out.isEmpty() ? "" : out.append('\n').toString();
    }

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("subject", "Subject");
        labels.put("from", "From");
        labels.put("to", "To");
        labels.put("cc", "Cc");
        labels.put("date", "Date");
        return labels;
    }
}
