/**
 * Text extraction: turns a stored file into a {@link io.catchment.ingest.parse.ParsedDocument}
 * in the shape chunking needs. {@link io.catchment.ingest.parse.TikaDocumentParser} is the one
 * implementation (thread-safe; build it once).
 *
 * <ul>
 *   <li>PDF: one {@code Page} per PDF page that has text (numbers from 1; blank pages left out);
 *       metadata {@code title}, {@code author}, {@code page_count}. With {@code use_ocr}, pages
 *       without a text layer are OCRed by tesseract (Tika's AUTO strategy); with
 *       {@code parse_pdf_tables_with_ocr} as well, tesseract keeps interword spacing and reads
 *       each page as one block, and the text layer is read in position order, so table rows stay
 *       on one line with their columns apart.</li>
 *   <li>CSV, TSV, XLSX, XLSM: one item per data row, {@code header: value, header: value} with the
 *       headers of the table's first non-empty row; in a workbook with several non-empty sheets
 *       each item starts with {@code [Sheet name] }.</li>
 *   <li>JSON: {@code a.b.0.c: value} lines, one per leaf; a top-level array gives one item per
 *       element.</li>
 *   <li>TXT, MD, HTML (visible text only), DOCX, PPTX, RTF: plain text. EML and MSG: plain text
 *       starting with {@code Subject:}, {@code From:}, {@code To:}, {@code Cc:}, {@code Date:} lines
 *       and a blank line, those values also in metadata.</li>
 *   <li>PNG, JPG: OCR text, only when {@code use_ocr} is set.</li>
 * </ul>
 *
 * <p>All text is normalised (NFC, {@code \n} line ends, no trailing spaces, at most two blank
 * lines in a row). Failures are values ({@code ParseResult.Failed}), never exceptions; no text
 * at all is Carbon's "No text was retrieved from file". Not for fetching files or chunking them:
 * see {@code io.catchment.ingest.fetch} and {@code io.catchment.ingest.chunk}.
 */
package io.catchment.ingest.parse;
