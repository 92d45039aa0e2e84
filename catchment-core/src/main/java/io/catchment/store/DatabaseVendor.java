package io.catchment.store;

import java.util.Locale;

/** The two databases Catchment runs on; the vendor picks the extra migration folder. */
public enum DatabaseVendor {
    H2("h2"),
    POSTGRESQL("postgresql");

    private final String folder;

    DatabaseVendor(String folder) {
        this.folder = folder;
    }

    public String migrationFolder() {
        return "classpath:db/migration/" + folder;
    }

    public static DatabaseVendor fromJdbcUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:")) return H2;
        if (lower.startsWith("jdbc:postgresql:")) return POSTGRESQL;
        throw new IllegalArgumentException(
                "Unsupported database URL '" + url + "': use jdbc:h2:... or jdbc:postgresql://...");
    }
}
