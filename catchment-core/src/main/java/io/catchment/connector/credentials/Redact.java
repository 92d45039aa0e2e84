package io.catchment.connector.credentials;

/**
 * Makes provider-supplied text safe to put in a {@link Verification} message: the secrets of the
 * request are blanked out (some providers echo what they were sent), control characters go, and
 * the text is cut to a readable length.
 */
final class Redact {
    static final int MAX = 300;

    private Redact() {
    }

    static String scrub(String text, String... secrets) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String secret : secrets) {
            // Very short values would blank out ordinary words; real secrets are longer.
            if (secret != null && secret.length() >= 4) {
                out = out.replace(secret, "[redacted]");
            }
        }
        StringBuilder clean = new StringBuilder(Math.min(out.length(), MAX + 1));
        for (int i = 0; i < out.length() && clean.length() <= MAX; i++) {
            char c = out.charAt(i);
            clean.append(Character.isISOControl(c) ? ' ' : c);
        }
        String result = clean.toString().replaceAll(" {2,}", " ").strip();
        return result.length() > MAX ? result.substring(0, MAX) + "…" : result;
    }
}
