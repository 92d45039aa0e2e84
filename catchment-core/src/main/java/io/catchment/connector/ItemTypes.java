package io.catchment.connector;

/** Carbon's shared item types; connectors add their own (BUCKET, DRIVE, SITE, ...) as plain strings. */
public final class ItemTypes {
    public static final String FILE = "FILE";
    public static final String FOLDER = "FOLDER";

    private ItemTypes() {}
}
