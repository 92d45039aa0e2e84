package io.catchment.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.ingest.parse.DocumentBody;
import io.catchment.ingest.parse.DocumentBody.Page;
import io.catchment.ingest.parse.ParsedDocument;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TokenChunkerTest {
    /** Each of these is one cl100k token both alone and with a leading space. */
    private static final String[] WORDS = {
        "the", "cat", "sat", "on", "mat", "and", "dog", "ran", "far", "away",
        "big", "red", "sun", "sky", "blue", "green", "tree", "house", "river", "stone"
    };

    private final TokenChunker chunker = new TokenChunker();
    private final Cl100kTokenizer tokenizer = Cl100kTokenizer.get();

    // ---------------------------------------------------------------- helpers

    private static ChunkingOptions options(int size, int overlap) {
        return new ChunkingOptions(size, overlap, false, Optional.empty(), OptionalInt.empty(), false);
    }

    private static ChunkingOptions pageOptions(int size, int overlap) {
        return new ChunkingOptions(size, overlap, true, Optional.empty(), OptionalInt.empty(), false);
    }

    private static ParsedDocument plain(String text) {
        return new ParsedDocument(new DocumentBody.Plain(text), "text/plain", Map.of());
    }

    private static ParsedDocument pages(Page... pages) {
        return new ParsedDocument(new DocumentBody.Pages(List.of(pages)), "application/pdf", Map.of());
    }

    private static ParsedDocument items(List<String> items) {
        return new ParsedDocument(new DocumentBody.Items(items), "text/csv", Map.of());
    }

    /** {@code count} single-token words separated by single spaces: exactly {@code count} tokens. */
    private static String words(int count, long seed, String... vocabulary) {
        String[] vocab = vocabulary.length == 0 ? WORDS : vocabulary;
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(vocab[random.nextInt(vocab.length)]);
        }
        return text.toString();
    }

    /** Chunk count of the plain-text rule when no natural-break adjustment applies. */
    private static int expectedCount(int tokens, int size, int overlap) {
        if (tokens <= size) {
            return 1;
        }
        return 1 + Math.ceilDiv(tokens - size, size - overlap);
    }

    private int[] encode(String text) {
        return tokenizer.encode(text);
    }

    private static void assertWellFormedSequence(List<Chunk> chunks, int size) {
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            assertThat(chunk.index()).isEqualTo(i);
            assertThat(chunk.tokens()).isLessThanOrEqualTo(size).isPositive();
            assertThat(chunk.text()).isNotBlank().doesNotContain("\uFFFD");
        }
    }

    // ---------------------------------------------------------------- plain text

    @Test
    void wordsGenerateExactTokenCounts() {
        assertThat(chunker.countTokens(words(10_000, 1))).isEqualTo(10_000);
        for (String word : WORDS) {
            assertThat(chunker.countTokens(word)).as(word).isEqualTo(1);
            assertThat(chunker.countTokens(" " + word)).as(word).isEqualTo(1);
        }
    }

    @Test
    void tenThousandTokensWithSize1000Overlap100GiveElevenFullChunks() {
        String text = words(10_000, 2);
        List<Chunk> chunks = chunker.chunk(plain(text), options(1000, 100));

        // Windows start at 0, 900, ..., 9000; [9000, 10000) reaches the end.
        assertThat(chunks).hasSize(11).hasSize(expectedCount(10_000, 1000, 100));
        assertWellFormedSequence(chunks, 1000);
        assertThat(chunks).allSatisfy(c -> assertThat(c.tokens()).isEqualTo(1000));
        assertThat(chunks).allSatisfy(c -> assertThat(c.tokens()).isEqualTo(chunker.countTokens(c.text())));
        assertThat(chunks).allSatisfy(c -> assertThat(c.metadata()).isEmpty());
    }

    @Test
    void consecutiveChunksShareExactlyTheOverlapAndReconstructTheTokens() {
        String text = words(7_777, 3);
        int size = 500;
        int overlap = 37;
        List<Chunk> chunks = chunker.chunk(plain(text), options(size, overlap));
        assertThat(chunks).hasSize(expectedCount(7_777, size, overlap)).hasSize(17);

        List<int[]> tokens = chunks.stream().map(c -> encode(c.text())).toList();
        for (int i = 1; i < tokens.size(); i++) {
            int[] previous = tokens.get(i - 1);
            int[] current = tokens.get(i);
            assertThat(Arrays.copyOfRange(current, 0, overlap))
                    .isEqualTo(Arrays.copyOfRange(previous, previous.length - overlap, previous.length));
        }

        IntStream.Builder rebuilt = IntStream.builder();
        for (int i = 0; i < tokens.size(); i++) {
            int[] current = tokens.get(i);
            for (int t = i == 0 ? 0 : overlap; t < current.length; t++) {
                rebuilt.add(current[t]);
            }
        }
        assertThat(rebuilt.build().toArray()).isEqualTo(encode(text));
    }

    @Test
    void zeroOverlapChunksConcatenateToTheOriginalText() {
        String text = words(10_000, 4);
        List<Chunk> chunks = chunker.chunk(plain(text), options(1000, 0));
        assertThat(chunks).hasSize(10);
        assertThat(String.join("", chunks.stream().map(Chunk::text).toList())).isEqualTo(text);
    }

    @Test
    void defaultsAre1500And20() {
        ChunkingOptions defaults = ChunkingOptions.defaults();
        assertThat(defaults.chunkSize()).isEqualTo(1500);
        assertThat(defaults.chunkOverlap()).isEqualTo(20);

        List<Chunk> chunks = chunker.chunk(plain(words(4_000, 5)), defaults);
        // Windows [0,1500), [1480,2980), [2960,4000).
        assertThat(chunks).hasSize(3);
        assertThat(chunks).extracting(Chunk::tokens).containsExactly(1500, 1500, 1040);
    }

    @Test
    void shortTextIsOneChunk() {
        List<Chunk> chunks = chunker.chunk(plain("Hello, world."), ChunkingOptions.defaults());
        assertThat(chunks).singleElement().satisfies(c -> {
            assertThat(c.index()).isZero();
            assertThat(c.text()).isEqualTo("Hello, world.");
            assertThat(c.tokens()).isEqualTo(chunker.countTokens("Hello, world."));
        });
    }

    @Test
    void emptyAndBlankDocumentsGiveNoChunks() {
        ChunkingOptions defaults = ChunkingOptions.defaults();
        assertThat(chunker.chunk(plain(""), defaults)).isEmpty();
        assertThat(chunker.chunk(plain(" \n\t \n\n  "), defaults)).isEmpty();
        assertThat(chunker.chunk(pages(), defaults)).isEmpty();
        assertThat(chunker.chunk(pages(new Page(1, ""), new Page(2, "  \n")), defaults)).isEmpty();
        assertThat(chunker.chunk(pages(new Page(1, " ")), pageOptions(100, 10))).isEmpty();
        assertThat(chunker.chunk(items(List.of()), defaults)).isEmpty();
        assertThat(chunker.chunk(items(List.of("", "  ")), defaults)).isEmpty();
        assertThat(chunker.chunk(plain(" ".repeat(5_000)), options(10, 2))).isEmpty();
    }

    @Test
    void prefersParagraphBreakOverLaterSentenceEnds() {
        // 41 words + ".\n\n" = 42 tokens; then sentences ending around tokens 46 and 51.
        String paragraph = words(41, 6) + ".\n\n";
        String rest = "Then " + words(3, 7) + ". Next " + words(3, 8) + ". " + words(200, 9);
        String text = paragraph + rest;
        assertThat(chunker.countTokens(paragraph)).isEqualTo(42);

        List<Chunk> chunks = chunker.chunk(plain(text), options(50, 5));
        assertThat(chunks.getFirst().text()).isEqualTo(paragraph);
        assertWellFormedSequence(chunks, 50);
    }

    @Test
    void prefersTheLatestSentenceEndInTheLastFifth() {
        // Sentences of 10 tokens: 9 words + "." -> every window of 100 tokens has sentence ends in its last 20.
        StringBuilder text = new StringBuilder();
        for (int s = 0; s < 300; s++) {
            if (s > 0) {
                text.append(' ');
            }
            String sentence = words(9, 100 + s);
            text.append(Character.toUpperCase(sentence.charAt(0))).append(sentence.substring(1)).append('.');
        }
        List<Chunk> chunks = chunker.chunk(plain(text.toString()), options(100, 10));
        assertWellFormedSequence(chunks, 100);
        for (Chunk chunk : chunks.subList(0, chunks.size() - 1)) {
            assertThat(chunk.text()).endsWith(".");
        }
        // The overlap is counted back from the chosen end: still exactly 10 shared tokens.
        for (int i = 1; i < chunks.size(); i++) {
            int[] previous = encode(chunks.get(i - 1).text());
            int[] current = encode(chunks.get(i).text());
            assertThat(Arrays.copyOfRange(current, 0, 10))
                    .isEqualTo(Arrays.copyOfRange(previous, previous.length - 10, previous.length));
        }
    }

    @Test
    void doesNotCutWordsWhenWhitespaceIsNearTheEnd() {
        // Multi-token words: a hard cut at the size would split a word.
        String text = words(2_000, 10, "antidisestablishmentarianism", "floccinaucinihilipilification",
                "pneumonoultramicroscopic", "supercalifragilistic");
        List<Chunk> chunks = chunker.chunk(plain(text), options(64, 0));
        assertWellFormedSequence(chunks, 64);
        assertThat(String.join("", chunks.stream().map(Chunk::text).toList())).isEqualTo(text);
        int position = 0;
        for (Chunk chunk : chunks.subList(0, chunks.size() - 1)) {
            position += chunk.text().length();
            assertThat(text.charAt(position) == ' ' || text.charAt(position - 1) == ' ')
                    .as("cut at %d", position).isTrue();
        }
    }

    @Test
    void hardCutsWhenThereIsNoNaturalBreak() {
        // One long "word": no whitespace at all, so every window is cut at exactly the size.
        String text = "x".repeat(8_000);
        int total = chunker.countTokens(text);
        List<Chunk> chunks = chunker.chunk(plain(text), options(100, 0));
        assertWellFormedSequence(chunks, 100);
        assertThat(String.join("", chunks.stream().map(Chunk::text).toList())).isEqualTo(text);
        assertThat(chunks).hasSize(Math.ceilDiv(total, 100));
    }

    @Test
    void multiByteTextIsNeverCutInsideACharacter() {
        String sample = "😀🎉👩‍👩‍👧 日本語のテキストです 中文文本 한국어 café naïve façade Ωμέγα "
                + "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🇫🇷🇯🇵 ĳsselmeer Ñandú ";
        String text = sample.repeat(60) + "end";
        for (int size : new int[] {4, 5, 7, 13, 50, 333}) {
            for (int overlap : new int[] {0, 1, 3}) {
                List<Chunk> chunks = chunker.chunk(plain(text), options(size, overlap));
                assertWellFormedSequence(chunks, size);
                assertThat(chunks).allSatisfy(c -> assertThat(text).contains(c.text()));
                if (overlap == 0) {
                    assertThat(String.join("", chunks.stream().map(Chunk::text).toList())).isEqualTo(text);
                }
            }
        }
    }

    @Test
    void cjkAndEmojiWithoutSpacesAreCoveredWithoutBrokenCharacters() {
        Random random = new Random(11);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            int pick = random.nextInt(10);
            if (pick < 6) {
                text.append((char) (0x4E00 + random.nextInt(0x5000))); // CJK ideographs
            } else if (pick < 9) {
                text.appendCodePoint(0x1F300 + random.nextInt(0x2FF)); // emoji and pictographs
            } else {
                text.append("éüøß".charAt(random.nextInt(4)));
            }
        }
        String original = text.toString();
        List<Chunk> chunks = chunker.chunk(plain(original), options(97, 0));
        assertWellFormedSequence(chunks, 97);
        assertThat(String.join("", chunks.stream().map(Chunk::text).toList())).isEqualTo(original);

        List<Chunk> overlapping = chunker.chunk(plain(original), options(97, 17));
        assertWellFormedSequence(overlapping, 97);
        assertCoversInOrder(original, overlapping);
    }

    @Test
    void aCharacterLargerThanTheWholeChunkSizeIsKeptWhole() {
        // "😀" is two cl100k tokens: with chunk_size 1 it cannot be cut cleanly, so it stays whole.
        assertThat(chunker.countTokens("😀")).isEqualTo(2);
        List<Chunk> chunks = chunker.chunk(plain("😀a😀"), options(1, 0));
        assertThat(chunks).extracting(Chunk::text).containsExactly("😀", "a", "😀");
        assertThat(chunks).extracting(Chunk::tokens).containsExactly(2, 1, 2);
    }

    @Test
    void mixedTextChunksCoverTheWholeTextInOrder() {
        Random random = new Random(12);
        StringBuilder text = new StringBuilder();
        String[] pieces = {"The quick brown fox", "jumps over", "the lazy dog.", "Is it?", "Yes!", "\n\n",
            "\n", "  ", "(see \"note\").", "naïve café", "日本語。", "🎉", "3.14", "e.g.", "x_y-z/42", "\t"};
        for (int i = 0; i < 6_000; i++) {
            text.append(pieces[random.nextInt(pieces.length)]).append(random.nextInt(4) == 0 ? "" : " ");
        }
        String original = text.toString();
        for (int[] so : new int[][] {{1500, 20}, {200, 50}, {37, 36}, {16, 0}}) {
            List<Chunk> chunks = chunker.chunk(plain(original), options(so[0], so[1]));
            assertWellFormedSequence(chunks, so[0]);
            assertCoversInOrder(original, chunks);
        }
    }

    /** Each chunk is a slice of the text, starting after the previous one and no later than its end. */
    private static void assertCoversInOrder(String original, List<Chunk> chunks) {
        assertThat(original).startsWith(chunks.getFirst().text());
        int start = 0;
        int end = chunks.getFirst().text().length();
        for (Chunk chunk : chunks.subList(1, chunks.size())) {
            int next = original.indexOf(chunk.text(), start + 1);
            assertThat(next).as("chunk %d", chunk.index()).isGreaterThan(start).isLessThanOrEqualTo(end);
            start = next;
            end = next + chunk.text().length();
        }
        assertThat(end).isEqualTo(original.length());
    }

    @Test
    void largeOverlapStillMakesProgress() {
        String text = words(300, 13);
        List<Chunk> chunks = chunker.chunk(plain(text), options(20, 19));
        // Each window moves forward by one token.
        assertThat(chunks).hasSize(expectedCount(300, 20, 19)).hasSize(281);
        assertWellFormedSequence(chunks, 20);
    }

    @Test
    void specialTokenTextIsOrdinaryText() {
        String text = "before <|endoftext|> after <|fim_prefix|>";
        List<Chunk> chunks = chunker.chunk(plain(text), ChunkingOptions.defaults());
        assertThat(chunks).singleElement().extracting(Chunk::text).isEqualTo(text);
        assertThat(chunker.countTokens("<|endoftext|>")).isGreaterThan(1);
    }

    @Test
    void unpairedSurrogatesDoNotBreakChunking() {
        String text = "ab\uD83Dcd \uDE00x " + words(100, 14);
        List<Chunk> chunks = chunker.chunk(plain(text), options(10, 2));
        assertThat(chunks).allSatisfy(c -> assertThat(c.tokens()).isLessThanOrEqualTo(10));
        assertThat(chunks.getFirst().text()).startsWith("ab\uFFFDcd \uFFFDx");
    }

    @Test
    void isDeterministic() {
        String text = words(5_000, 15) + "\n\nEnd. 日本語 😀";
        assertThat(chunker.chunk(plain(text), options(300, 30)))
                .isEqualTo(new TokenChunker().chunk(plain(text), options(300, 30)));
    }

    @Test
    void chunksFiveMegabytesQuickly() {
        Random random = new Random(16);
        StringBuilder text = new StringBuilder(5_100_000);
        while (text.length() < 5_000_000) {
            text.append(WORDS[random.nextInt(WORDS.length)]);
            int end = random.nextInt(40);
            text.append(end == 0 ? ".\n\n" : end < 4 ? ". " : end == 4 ? ", " : " ");
        }
        String original = text.toString();
        List<Chunk> chunks = chunker.chunk(plain(original), ChunkingOptions.defaults());
        int total = chunker.countTokens(original);
        assertThat(chunks.size()).isBetween(total / 1480, total / (1200 - 20) + 1);
        assertWellFormedSequence(chunks, 1500);
        assertThat(chunks.getFirst().text()).isEqualTo(original.substring(0, chunks.getFirst().text().length()));
        assertThat(original).endsWith(chunks.getLast().text());
    }

    // ---------------------------------------------------------------- pages

    /** Page texts built from words only that page uses, so a chunk's pages can be read off its text. */
    private static final String[][] PAGE_WORDS = {
        {"apple", "banana", "pear"}, {"red", "green", "blue"}, {"cat", "dog", "horse"}, {"one", "two", "three"}
    };

    private static Page page(int number, int vocabulary, int tokens) {
        return new Page(number, words(tokens, 20 + number, PAGE_WORDS[vocabulary]));
    }

    private static Set<Integer> pagesMentioned(String text, int[] numbers) {
        Set<Integer> found = new TreeSet<>();
        for (int v = 0; v < PAGE_WORDS.length; v++) {
            for (String word : PAGE_WORDS[v]) {
                if (text.matches("(?s).*\\b" + word + "\\b.*")) {
                    found.add(numbers[v]);
                }
            }
        }
        return found;
    }

    @Test
    void joinedPagesRecordThePagesEachChunkComesFrom() {
        int[] numbers = {1, 2, 3, 4};
        ParsedDocument document = pages(page(1, 0, 250), page(2, 1, 40), page(3, 2, 300), page(4, 3, 120));
        List<Chunk> chunks = chunker.chunk(document, options(100, 10));
        assertWellFormedSequence(chunks, 100);
        for (Chunk chunk : chunks) {
            @SuppressWarnings("unchecked")
            List<Integer> pageNumbers = (List<Integer>) chunk.metadata().get("page_numbers");
            assertThat(pageNumbers).as("chunk %d", chunk.index()).isSorted()
                    .containsExactlyElementsOf(pagesMentioned(chunk.text(), numbers));
        }
        assertThat(chunks).extracting(c -> c.metadata().get("page_numbers"))
                .contains(List.of(1, 2), List.of(2, 3), List.of(3, 4));
        assertThat(chunks.getFirst().metadata().get("page_numbers")).isEqualTo(List.of(1));
        assertThat(chunks.getLast().metadata().get("page_numbers")).isEqualTo(List.of(4));
        // The joined text is the pages separated by blank lines.
        assertCoversInOrder(document.text(), chunks);
    }

    @Test
    void pageAsBoundaryChunksEachPageOnItsOwn() {
        int[] numbers = {3, 4, 7, 9};
        ParsedDocument document = pages(page(3, 0, 250), page(4, 1, 40), new Page(5, "   "), page(7, 2, 300),
                page(9, 3, 100));
        List<Chunk> chunks = chunker.chunk(document, pageOptions(100, 10));
        assertWellFormedSequence(chunks, 100);
        for (Chunk chunk : chunks) {
            assertThat(pagesMentioned(chunk.text(), numbers)).hasSize(1)
                    .containsExactlyElementsOf(castList(chunk.metadata().get("page_numbers")));
        }
        // Per page: 250 -> 3 chunks, 40 -> 1, 300 -> 4, 100 -> 1 (overlap only within a page).
        assertThat(chunks).extracting(c -> c.metadata().get("page_numbers")).containsExactly(
                List.of(3), List.of(3), List.of(3), List.of(4), List.of(7), List.of(7), List.of(7), List.of(7),
                List.of(9));
        assertThat(chunks.get(3).text()).isEqualTo(document.body() instanceof DocumentBody.Pages p
                ? p.pages().get(1).text() : null);
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> castList(Object value) {
        return (List<Integer>) value;
    }

    // ---------------------------------------------------------------- items

    private static List<String> rows(int count) {
        String[] names = {"Ada", "Grace", "Alan", "Barbara", "Donald", "Ken", "Dennis"};
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add("name: " + names[i % names.length] + ", age: " + (20 + i % 50) + ", city: Paris");
        }
        return rows;
    }

    @Test
    void itemsArePackedWholeAndGreedily() {
        List<String> rows = rows(100);
        int size = 60;
        List<Chunk> chunks = chunker.chunk(items(rows), options(size, 10));
        assertWellFormedSequence(chunks, size);
        int next = 0;
        for (Chunk chunk : chunks) {
            int start = (int) chunk.metadata().get("item_start");
            int end = (int) chunk.metadata().get("item_end");
            assertThat(start).isEqualTo(next);
            assertThat(chunk.text()).isEqualTo(String.join("\n", rows.subList(start, end + 1)));
            if (end + 1 < rows.size()) {
                assertThat(chunker.countTokens(chunk.text() + "\n" + rows.get(end + 1))).isGreaterThan(size);
            }
            next = end + 1;
        }
        assertThat(next).isEqualTo(rows.size());
        // Each row is 12 tokens; 4 rows + 3 newlines = 51, 5 rows + 4 newlines = 64 > 60.
        assertThat(rows).allSatisfy(row -> assertThat(chunker.countTokens(row)).isEqualTo(12));
        assertThat(chunks).hasSize(25);
        assertThat(chunks).allSatisfy(c -> assertThat(c.tokens()).isEqualTo(51));
    }

    @Test
    void maxItemsPerChunkCapsTheItems() {
        List<String> rows = rows(10);
        ChunkingOptions options = new ChunkingOptions(1500, 20, false, Optional.empty(), OptionalInt.of(3), false);
        List<Chunk> chunks = chunker.chunk(items(rows), options);
        assertThat(chunks).extracting(c -> c.metadata().get("item_start")).containsExactly(0, 3, 6, 9);
        assertThat(chunks).extracting(c -> c.metadata().get("item_end")).containsExactly(2, 5, 8, 9);
        assertThat(chunks.get(1).text()).isEqualTo(rows.get(3) + "\n" + rows.get(4) + "\n" + rows.get(5));
        assertThat(chunks).allSatisfy(c -> assertThat(c.tokens()).isEqualTo(chunker.countTokens(c.text())));
    }

    @Test
    void splitRowsGivesOneItemPerChunk() {
        List<String> rows = new ArrayList<>(rows(5));
        rows.add(2, "");
        ChunkingOptions options = new ChunkingOptions(1500, 20, false, Optional.empty(), OptionalInt.of(3), true);
        List<Chunk> chunks = chunker.chunk(items(rows), options);
        assertThat(chunks).extracting(Chunk::text)
                .containsExactly(rows.get(0), rows.get(1), rows.get(3), rows.get(4), rows.get(5));
        assertThat(chunks).extracting(c -> c.metadata().get("item_start")).containsExactly(0, 1, 3, 4, 5);
        assertThat(chunks).extracting(c -> c.metadata().get("item_end")).containsExactly(0, 1, 3, 4, 5);
        assertThat(chunks).extracting(Chunk::index).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void anItemLargerThanTheChunkIsSplitOnItsOwn() {
        String big = words(250, 30);
        List<String> list = List.of("a: 1", "b: 2", big, "c: 3");
        List<Chunk> chunks = chunker.chunk(items(list), options(100, 10));
        assertWellFormedSequence(chunks, 100);
        // "a: 1\nb: 2" | big split as plain text (250 tokens, 100/10 -> 3 chunks) | "c: 3"
        assertThat(chunks).hasSize(5);
        assertThat(chunks.getFirst().text()).isEqualTo("a: 1\nb: 2");
        assertThat(chunks.getFirst().metadata()).isEqualTo(Map.of("item_start", 0, "item_end", 1));
        for (Chunk chunk : chunks.subList(1, 4)) {
            assertThat(chunk.metadata()).isEqualTo(Map.of("item_start", 2, "item_end", 2));
            assertThat(big).contains(chunk.text());
        }
        assertThat(chunks.getLast().text()).isEqualTo("c: 3");
        assertThat(chunks.getLast().metadata()).isEqualTo(Map.of("item_start", 3, "item_end", 3));
    }

    // ---------------------------------------------------------------- file name prefix

    @Test
    void fileNamePrefixStartsEveryChunkAndCountsTowardTheSize() {
        String text = words(10_000, 40);
        ChunkingOptions options = new ChunkingOptions(1000, 100, false, Optional.of("report.pdf"),
                OptionalInt.empty(), false);
        List<Chunk> chunks = chunker.chunk(plain(text), options);
        int prefixTokens = chunker.countTokens("report.pdf\n");
        assertThat(prefixTokens).isEqualTo(3);
        // Body budget 997, overlap 100: 1 + ceil((10000 - 997) / 897) = 12.
        assertThat(chunks).hasSize(expectedCount(10_000, 1000 - prefixTokens, 100)).hasSize(12);
        assertWellFormedSequence(chunks, 1000);
        assertThat(chunks).allSatisfy(c -> assertThat(c.text()).startsWith("report.pdf\n"));
        assertThat(chunks.subList(0, 11)).allSatisfy(c -> assertThat(c.tokens()).isEqualTo(1000));
        String bodies = String.join(" ", chunks.stream().map(c -> c.text().substring("report.pdf\n".length())).toList());
        assertThat(bodies).startsWith(text.substring(0, 100));
    }

    @Test
    void fileNamePrefixAppliesToPagesAndItems() {
        ChunkingOptions options = new ChunkingOptions(40, 5, true, Optional.of("table.csv"), OptionalInt.empty(), false);
        List<Chunk> itemChunks = chunker.chunk(items(rows(10)), options);
        assertWellFormedSequence(itemChunks, 40);
        assertThat(itemChunks).allSatisfy(c -> assertThat(c.text()).startsWith("table.csv\n"));
        // 12-token rows, 37 body tokens: two rows (25) per chunk, three would be 38.
        assertThat(itemChunks).hasSize(5);

        List<Chunk> pageChunks = chunker.chunk(pages(page(1, 0, 100), page(2, 1, 30)), options);
        assertWellFormedSequence(pageChunks, 40);
        assertThat(pageChunks).allSatisfy(c -> assertThat(c.text()).startsWith("table.csv\n"));
    }

    @Test
    void aFileNameThatFillsTheChunkIsLeftOut() {
        ChunkingOptions options = new ChunkingOptions(5, 1, false, Optional.of("a very long file name.pdf"),
                OptionalInt.empty(), false);
        List<Chunk> chunks = chunker.chunk(plain(words(12, 41)), options);
        assertWellFormedSequence(chunks, 5);
        assertThat(chunks).noneSatisfy(c -> assertThat(c.text()).contains("file name"));
        assertThat(chunks).hasSize(expectedCount(12, 5, 1));
    }
}
