package io.catchment.ingest.parse;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A small, lenient RFC 4180 reader: fields separated by one delimiter character (comma for CSV,
 * tab for TSV); a field that starts with {@code "} is quoted and may hold delimiters, line breaks
 * and doubled quotes ({@code ""}); records end at {@code \n}, {@code \r\n} or {@code \r}.
 * Leniency: text after a closing quote is kept, and an unterminated quote runs to the end of the
 * file. A record longer than {@code maxRecordChars} fails instead of filling memory.
 */
final class CsvReader {
    private static final int EOF = -1;

    private final Reader in;
    private final char delimiter;
    private final long maxRecordChars;
    private int pushedBack = -2;

    CsvReader(Reader in, char delimiter, long maxRecordChars) {
        this.in = in;
        this.delimiter = delimiter;
        this.maxRecordChars = maxRecordChars;
    }

    /** The next record's fields, or empty at the end of the input. An empty line is a record with one empty field. */
    Optional<List<String>> next() throws IOException, ParseFailure {
        int c = read();
        if (c == EOF) return Optional.empty();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        long recordChars = 0;
        boolean quoted = false;
        boolean atFieldStart = true;
        while (true) {
            if (++recordChars > maxRecordChars) throw ParseFailure.tooLong(maxRecordChars);
            if (quoted) {
                if (c == EOF) {
                    fields.add(field.toString());
                    return Optional.of(fields);
                }
                if (c == '"') {
                    int next = read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        pushBack(next);
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == EOF || c == '\n' || c == '\r') {
                if (c == '\r') {
                    int next = read();
                    if (next != '\n') pushBack(next);
                }
                fields.add(field.toString());
                return Optional.of(fields);
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
                atFieldStart = true;
                c = read();
                continue;
            } else if (c == '"' && atFieldStart) {
                quoted = true;
            } else {
                field.append((char) c);
            }
            atFieldStart = false;
            c = read();
        }
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        return in.read();
    }

    private void pushBack(int c) {
        pushedBack = c;
    }
}
