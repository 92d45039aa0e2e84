package io.catchment.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {
    @Test
    void normalises() {
        assertThat(TextNormalizer.normalize("\n\n  indented\u00a0 \r\nnext\t\r\rafter one blank\n\n\n\n\n\nafter many\n \n"))
                .isEqualTo("  indented\nnext\n\nafter one blank\n\n\nafter many");
    }

    @Test
    void nfcAndNul() {
        assertThat(TextNormalizer.normalize("e\u0301t\u00e9\0!")).isEqualTo("\u00e9t\u00e9!");
    }

    @Test
    void keepsTwoBlankLinesAndInnerSpaces() {
        assertThat(TextNormalizer.normalize("a  b\n\n\nc")).isEqualTo("a  b\n\n\nc");
        assertThat(TextNormalizer.normalize(" \t\n")).isEmpty();
    }
}
