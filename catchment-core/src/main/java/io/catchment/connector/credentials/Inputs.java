package io.catchment.connector.credentials;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks and normalises what users type into credential connectors. Anything that ends up in a
 * host name must be a single DNS label (so {@code evil.com/}, {@code a@b}, {@code ..} or a port can
 * never move the request to another host); anything that ends up in a header must be visible
 * ASCII (so it cannot split the header or smuggle another).
 */
final class Inputs {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern EMAIL = Pattern.compile("[^\\s@]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
    private static final int MAX_SECRET = 8192;

    private Inputs() {
    }

    /** The trimmed value, or {@link InvalidInput} naming {@code field} when it is missing or blank. */
    static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInput(field + " is required");
        }
        return value.strip();
    }

    /**
     * A token, key or password that goes into a header: printable ASCII without spaces. The value
     * itself is never quoted in the message.
     */
    static String secret(String field, String value) {
        String v = required(field, value);
        if (v.length() > MAX_SECRET) {
            throw new InvalidInput(field + " is too long (" + v.length() + " characters, at most " + MAX_SECRET + ")");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new InvalidInput(field + " contains a character that cannot be part of it (only printable"
                        + " ASCII without spaces)");
            }
        }
        return v;
    }

    /** A user name for HTTP Basic authentication: a secret-safe value without {@code :}. */
    static String basicUser(String field, String value) {
        String v = secret(field, value);
        if (v.indexOf(':') >= 0) {
            throw new InvalidInput(field + " must not contain ':'");
        }
        return v;
    }

    /** One lower-case DNS label (letters, digits, inner hyphens, at most 63 characters). */
    static String label(String field, String value, String example) {
        String v = required(field, value).toLowerCase(Locale.ROOT);
        if (!LABEL.matcher(v).matches()) {
            throw new InvalidInput(field + " must be a name like '" + example + "' (letters, digits and hyphens)");
        }
        return v;
    }

    /** An e-mail address of the usual shape, lower-cased. */
    static String email(String field, String value) {
        String v = required(field, value);
        if (v.length() > 254 || !EMAIL.matcher(v).matches()) {
            throw new InvalidInput(field + " must be an e-mail address");
        }
        return v.toLowerCase(Locale.ROOT);
    }

    /**
     * {@code value} without a leading {@code https://} (or {@code http://}) and without a trailing
     * {@code /}, lower-cased: what users paste when asked for a host.
     */
    static String bareHost(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("https://")) {
            v = v.substring("https://".length());
        } else if (v.startsWith("http://")) {
            v = v.substring("http://".length());
        }
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        return v;
    }
}
