package io.catchment.connector;

/**
 * One item cannot be fetched (gone, too large, not exportable, forbidden): that file ends in
 * SYNC_ERROR with this message and the sync goes on. {@code gone} means it no longer exists at
 * the source, so the engine removes it as a deletion.
 */
public final class ItemFailure extends Exception {
    private final boolean gone;

    public ItemFailure(String message, boolean gone) {
        super(message, null, false, false);
        this.gone = gone;
    }

    public static ItemFailure gone(String message) {
        return new ItemFailure(message, true);
    }

    public static ItemFailure of(String message) {
        return new ItemFailure(message, false);
    }

    public boolean gone() {
        return gone;
    }
}
