package io.catchment.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CsvReaderTest {
    @Test
    void rfc4180Records() throws Exception {
        assertThat(read("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",,last", ','))
                .containsExactly(List.of("a", "b", "c"), List.of("1", "x, y", "say \"hi\""), List.of("multi\nline", "", "last"));
    }

    @Test
    void lineEndingsAndEmptyLines() throws Exception {
        assertThat(read("a\rb\n\nc\r\n", ',')).containsExactly(List.of("a"), List.of("b"), List.of(""), List.of("c"));
        assertThat(read("", ',')).isEmpty();
        assertThat(read("a,", ',')).containsExactly(List.of("a", ""));
    }

    @Test
    void lenientQuotes() throws Exception {
        assertThat(read("\"ab\"cd,e\n\"open", ',')).containsExactly(List.of("abcd", "e"), List.of("open"));
        assertThat(read("x\"y,z", ',')).containsExactly(List.of("x\"y", "z"));
    }

    @Test
    void tabs() throws Exception {
        assertThat(read("a\tb,c\n\"t\tq\"\t2", '\t')).containsExactly(List.of("a", "b,c"), List.of("t\tq", "2"));
    }

    @Test
    void overlongRecordFails() {
        CsvReader reader = new CsvReader(new StringReader("\"" + "x".repeat(50)), ',', 20);
        assertThatThrownBy(reader::next).isInstanceOf(ParseFailure.class).hasMessageContaining("limit of 20 characters");
    }

    private static List<List<String>> read(String csv, char delimiter) throws Exception {
        CsvReader reader = new CsvReader(new StringReader(csv), delimiter, 1_000);
        List<List<String>> records = new ArrayList<>();
        for (Optional<List<String>> r = reader.next(); r.isPresent(); r = reader.next()) records.add(r.get());
        return records;
    }
}
