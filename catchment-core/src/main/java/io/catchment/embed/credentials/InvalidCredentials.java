package io.catchment.embed.credentials;

/** Credentials that cannot be used as given; {@code field} is the offending field's name. */
public final class InvalidCredentials extends Exception {
    private final String field;

    public InvalidCredentials(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
