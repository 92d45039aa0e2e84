package io.catchment.ingest.parse;

import java.text.Normalizer;

/**
 * The one text clean-up every parsed text gets: Unicode NFC; {@code \r\n} and lone {@code \r}
 * become {@code \n}; trailing whitespace is stripped from each line; runs of three or more blank
 * lines become two; leading blank lines and trailing whitespace of the whole text go; NUL
 * characters are dropped (PostgreSQL text cannot hold them). Nothing else is changed.
 */
final class TextNormalizer {
    private TextNormalizer() {}

    static String normalize(String text) {
        String s = text.indexOf('\0') >= 0 ? text.replace("\0", "") : text;
        if (!Normalizer.isNormalized(s, Normalizer.Form.NFC)) s = Normalizer.normalize(s, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(s.length());
        int blankRun = 0;
        boolean started = false;
        int i = 0;
        int n = s.length();
        while (i <= n) {
            int end = i;
            while (end < n && s.charAt(end) != '\n' && s.charAt(end) != '\r') end++;
            int trimmed = end;
            while (trimmed > i && isSpace(s.charAt(trimmed - 1))) trimmed--;
            if (trimmed == i) {
                blankRun++;
            } else {
                if (started) out.append("\n".repeat(Math.min(blankRun, 2) + 1));
                out.append(s, i, trimmed);
                started = true;
                blankRun = 0;
            }
            if (end < n && s.charAt(end) == '\r' && end + 1 < n && s.charAt(end + 1) == '\n') end++;
            i = end + 1;
        }
        return out.toString();
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
