package io.catchment.ingest.fetch;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/** The display name of a download: from Content-Disposition, else from the URL path. */
final class FileNames {

    static final String FALLBACK = "download";
    private static final int MAX_LENGTH = 200;
    private static final int MAX_EXTENSION = 16;

    private FileNames() {
    }

    static String of(Optional<String> contentDisposition, URI uri) {
        return contentDisposition.flatMap(FileNames::fromContentDisposition)
                .or(() -> fromPath(uri))
                .orElse(FALLBACK);
    }

    /**
     * The sanitised {@code filename*} (RFC 6266 / RFC 8187) or else {@code filename} parameter
     * of a Content-Disposition value.
     */
    static Optional<String> fromContentDisposition(String header) {
        String plain = null;
        String extended = null;
        int i = header.indexOf(';');
        while (i >= 0 && i < header.length()) {
            i++; // past ';'
            int eq = header.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = header.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            int v = eq + 1;
            while (v < header.length() && header.charAt(v) == ' ') {
                v++;
            }
            String value;
            if (v < header.length() && header.charAt(v) == '"') {
                StringBuilder sb = new StringBuilder();
                int j = v + 1;
                while (j < header.length() && header.charAt(j) != '"') {
                    char c = header.charAt(j);
                    if (c == '\\' && j + 1 < header.length()) {
                        j++;
                        c = header.charAt(j);
                    }
                    sb.append(c);
                    j++;
                }
                value = sb.toString();
                i = header.indexOf(';', j);
            } else {
                int end = header.indexOf(';', v);
                value = (end < 0 ? header.substring(v) : header.substring(v, end)).trim();
                i = end;
            }
            if (name.equals("filename*") && extended == null) {
                extended = decodeExtended(value);
            } else if (name.equals("filename") && plain == null) {
                plain = value;
            }
        }
        Optional<String> fromExtended = extended == null ? Optional.empty() : sanitize(extended);
        return fromExtended.isPresent() ? fromExtended : plain == null ? Optional.empty() : sanitize(plain);
    }

    /** {@code charset'language'percent-encoded}; null when malformed or the charset is unknown. */
    private static String decodeExtended(String value) {
        int q1 = value.indexOf('\'');
        int q2 = q1 < 0 ? -1 : value.indexOf('\'', q1 + 1);
        if (q2 < 0) {
            return null;
        }
        Charset charset;
        try {
            charset = Charset.forName(value.substring(0, q1).trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
        return percentDecode(value.substring(q2 + 1), charset);
    }

    static Optional<String> fromPath(URI uri) {
        String path = uri.getRawPath();
        if (path == null || path.isEmpty() || path.endsWith("/")) {
            return Optional.empty();
        }
        String segment = path.substring(path.lastIndexOf('/') + 1);
        int params = segment.indexOf(';'); // path parameters, e.g. ;jsessionid=…
        if (params >= 0) {
            segment = segment.substring(0, params);
        }
        return sanitize(percentDecode(segment, StandardCharsets.UTF_8));
    }

    /** Decodes %XX escapes; malformed escapes are kept as written, malformed bytes replaced. */
    static String percentDecode(String text, Charset charset) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0 && hex(text.charAt(i + 2)) >= 0) {
                bytes.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
                i += 3;
                continue;
            }
            if (bytes.size() > 0) {
                out.append(bytes.toString(charset));
                bytes.reset();
            }
            out.append(c);
            i++;
        }
        if (bytes.size() > 0) {
            out.append(bytes.toString(charset));
        }
        return out.toString();
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /**
     * A name that is safe to show and to use as a file name: no directories, no control or
     * bidirectional-formatting characters, none of {@code <>:"/\|?*}, no leading dots, no
     * trailing dots or spaces, at most 200 characters (keeping a short extension).
     */
    static Optional<String> sanitize(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String name = raw.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        StringBuilder sb = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                sb.append(' ');
            } else if (Character.isISOControl(cp) || type == Character.FORMAT || type == Character.UNASSIGNED
                    || type == Character.SURROGATE || type == Character.PRIVATE_USE) {
                return; // invisible or direction-changing characters
            } else if ("<>:\"|?*".indexOf(cp) >= 0) {
                sb.append('_');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        String clean = sb.toString().replaceAll(" {2,}", " ").strip();
        clean = clean.replaceFirst("^[.\\s]+", "").replaceFirst("[.\\s]+$", "");
        if (clean.isEmpty()) {
            return Optional.empty();
        }
        if (clean.codePointCount(0, clean.length()) > MAX_LENGTH) {
            clean = shorten(clean);
        }
        return Optional.of(clean);
    }

    private static String shorten(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= MAX_EXTENSION ? name.substring(dot) : "";
        String base = extension.isEmpty() ? name : name.substring(0, dot);
        int keep = MAX_LENGTH - extension.length();
        int end = base.offsetByCodePoints(0, Math.min(keep, base.codePointCount(0, base.length())));
        return base.substring(0, end).strip() + extension;
    }
}
