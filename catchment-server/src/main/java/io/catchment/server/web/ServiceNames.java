package io.catchment.server.web;

import java.util.Locale;
import java.util.Map;

/** How the pages name a service: {@code GOOGLE_DRIVE} → "Google Drive", with the brands' own spellings. */
public final class ServiceNames {
    private static final Map<String, String> SPECIAL = Map.ofEntries(
            Map.entry("ONEDRIVE", "OneDrive"), Map.entry("SHAREPOINT", "SharePoint"), Map.entry("GITBOOK", "GitBook"),
            Map.entry("GITHUB", "GitHub"), Map.entry("S3", "Amazon S3"), Map.entry("SERVICENOW", "ServiceNow"),
            Map.entry("AZURE_BLOB_STORAGE", "Azure Blob Storage"), Map.entry("GMAIL", "Gmail"));

    private ServiceNames() {}

    public static String display(String type) {
        if (type.isEmpty()) return "the service";
        String special = SPECIAL.get(type);
        if (special != null) return special;
        StringBuilder out = new StringBuilder();
        for (String word : type.toLowerCase(Locale.ROOT).split("_")) {
            if (word.isEmpty()) continue;
            if (!out.isEmpty()) out.append(' ');
            out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return out.toString();
    }
}
