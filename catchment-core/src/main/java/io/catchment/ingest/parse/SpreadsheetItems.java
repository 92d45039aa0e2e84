package io.catchment.ingest.parse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.FormulaEvaluator;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;

/**
 * XLSX and XLSM workbooks (read with POI, macros ignored) as items: each sheet is its own table
 * whose first non-empty row is its header (see {@link TableItems}). Cells are shown as Excel
 * shows them (DataFormatter, US locale); formulas are evaluated, falling back to the value Excel
 * cached when POI cannot evaluate them. When more than one sheet has rows, every item starts with
 * its sheet name in brackets: {@code [Orders] id: 7, total: 12.50}.
 */
final class SpreadsheetItems {
    private SpreadsheetItems() {}

    static List<String> items(Path file, CharBudget budget) throws IOException, ParseFailure {
        try (Workbook workbook = WorkbookFactory.create(file.toFile(), null, true)) {
            CellText cellText = new CellText(workbook);
            List<String> names = new ArrayList<>();
            List<List<String>> perSheet = new ArrayList<>();
            for (Sheet sheet : workbook) {
                TableItems table = new TableItems(budget);
                for (Row row : sheet) table.row(cells(row, cellText));
                if (!table.items().isEmpty()) {
                    names.add(sheet.getSheetName());
                    perSheet.add(table.items());
                }
            }
            if (perSheet.size() == 1) return perSheet.getFirst();
            List<String> items = new ArrayList<>();
            for (int i = 0; i < perSheet.size(); i++) {
                String prefix = "[" + names.get(i) + "] ";
                budget.take((long) prefix.length() * perSheet.get(i).size());
                for (String item : perSheet.get(i)) items.add(prefix + item);
            }
            return items;
        }
    }

    private static List<String> cells(Row row, CellText cellText) {
        int last = row.getLastCellNum();
        List<String> cells = new ArrayList<>(Math.max(last, 0));
        for (int i = 0; i < last; i++) {
            Cell cell = row.getCell(i, Row.MissingCellPolicy.RETURN_BLANK_AS_NULL);
            cells.add(cell == null ? "" : cellText.of(cell));
        }
        return cells;
    }

    /** Formats one cell; evaluates formulas, or uses the cached result when evaluation is not possible. */
    private static final class CellText {
        private final DataFormatter evaluated = new DataFormatter(Locale.US);
        private final DataFormatter cached = new DataFormatter(Locale.US);
        private final FormulaEvaluator evaluator;

        CellText(Workbook workbook) {
            cached.setUseCachedValuesForFormulaCells(true);
            evaluator = workbook.getCreationHelper().createFormulaEvaluator();
            evaluator.setIgnoreMissingWorkbooks(true);
        }

        String of(Cell cell) {
            if (cell.getCellType() != CellType.FORMULA) return evaluated.formatCellValue(cell);
            try {
                return evaluated.formatCellValue(cell, evaluator);
            } catch (RuntimeException e) {
                return cached.formatCellValue(cell);
            }
        }
    }
}
