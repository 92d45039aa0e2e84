package io.catchment.ingest.parse;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.tika.detect.AutoDetectReader;
import org.apache.tika.exception.TikaException;

/**
 * CSV and TSV files as items (see {@link TableItems}). The character set is the one
 * {@link TextCharset} finds (byte-order mark, else UTF-8 when the whole file is valid UTF-8), else
 * Tika's statistical guess, so UTF-8 and legacy encodings both read correctly.
 */
final class DelimitedText {
    private DelimitedText() {}

    static List<String> items(Path file, char delimiter, CharBudget budget) throws IOException, ParseFailure {
        Optional<Charset> charset = TextCharset.sniff(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
                Reader reader = charset.isPresent()
                        ? new BufferedReader(new InputStreamReader(in, charset.get())) : new AutoDetectReader(in)) {
            CsvReader csv = new CsvReader(reader, delimiter, budget.max());
            TableItems table = new TableItems(budget);
            for (Optional<List<String>> row = csv.next(); row.isPresent(); row = csv.next()) {
                table.row(row.get());
            }
            return table.items();
        } catch (TikaException e) {
            throw new ParseFailure("Could not detect the character set of this file: " + e.getMessage(), false);
        }
    }
}
