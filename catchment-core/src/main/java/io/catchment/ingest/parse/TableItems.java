package io.catchment.ingest.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the rows of one table (a CSV/TSV file or one spreadsheet sheet) into items, Carbon's way:
 * the first non-empty row is the header; every later row becomes one line
 * {@code header: value, header: value} (pairs joined by {@code ", "}). Cells are trimmed and a
 * line break inside a cell becomes one space, so each row stays one line. Empty cells are left
 * out; a cell without a header (blank header cell or a row longer than the header) is keyed
 * {@code column N} (1-based). Fully empty rows are skipped.
 */
final class TableItems {
    private static final Pattern LINE_BREAK = Pattern.compile("\\s*\\R\\s*");

    private final CharBudget budget;
    private final List<String> items = new ArrayList<>();
    private List<String> header;

    TableItems(CharBudget budget) {
        this.budget = budget;
    }

    void row(List<String> cells) throws ParseFailure {
        List<String> clean = cells.stream().map(TableItems::clean).toList();
        if (clean.stream().allMatch(String::isEmpty)) return;
        if (header == null) {
            header = clean;
            return;
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < clean.size(); i++) {
            String value = clean.get(i);
            if (value.isEmpty()) continue;
            String key = i < header.size() && !header.get(i).isEmpty() ? header.get(i) : "column " + (i + 1);
            if (!line.isEmpty()) line.append(", ");
            line.append(key).append(": ").append(value);
        }
        budget.take(line.length() + 1L);
        items.add(line.toString());
    }

    /** One item per data row; empty when the table had no rows after its header. */
    List<String> items() {
        return items;
    }

    private static String clean(String cell) {
        String s = cell.strip();
        if (!s.isEmpty() && s.charAt(0) == '\uFEFF') s = s.substring(1).strip();
        return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\u2028') >= 0
                ? LINE_BREAK.matcher(s).replaceAll(" ") : s;
    }
}
