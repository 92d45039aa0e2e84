package io.catchment.ingest.chunk;

import io.catchment.ingest.parse.DocumentBody;
import io.catchment.ingest.parse.ParsedDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Token-based chunker with Carbon's options; sizes are cl100k_base tokens (jtokkit), and every
 * chunk's {@code tokens} is the token count of its final text. Deterministic and thread-safe.
 *
 * <h2>Plain text</h2>
 * The text is encoded once and cut into windows of at most {@code chunkSize} tokens (see
 * {@link TextSplitter} for the exact rule): a window that does not reach the end of the text
 * ends at the best natural break in its last ~20% (a blank line, else a sentence end, else
 * whitespace; the latest of the best kind), or at the hard limit when there is none; the next
 * window starts exactly {@code chunkOverlap} tokens before that end. Cuts never split a
 * multi-byte character. Blank windows are dropped.
 *
 * <h2>Pages</h2>
 * Blank pages are ignored. Without {@code setPageAsBoundary} the pages are joined with a blank
 * line ({@code "\n\n"}) and chunked as one plain text; each chunk's metadata {@code page_numbers}
 * is the sorted list of the page numbers whose text the chunk contains (at least one byte of it).
 * With {@code setPageAsBoundary} each page is chunked on its own (overlap only within a page)
 * and {@code page_numbers} is {@code [that page]}.
 *
 * <h2>Items (table rows, JSON elements)</h2>
 * Whole items joined with {@code "\n"} are packed greedily (see {@link ItemPacker}): at most
 * {@code chunkSize} tokens and at most {@code maxItemsPerChunk} items per chunk; exactly one
 * item per chunk with {@code splitRows}. An item alone over the size is split by the plain-text
 * rule. No overlap between item chunks. Metadata {@code item_start}/{@code item_end}: 0-based,
 * inclusive item indexes.
 *
 * <h2>File name</h2>
 * With {@code fileNameToPrepend}, every chunk's text is {@code name + "\n" + body}; the prefix's
 * tokens count toward {@code chunkSize} (the body gets {@code chunkSize - tokens(name + "\n")}
 * tokens, and the overlap is capped at that budget minus one). If the prefix alone would take the
 * whole chunk size, it is left out.
 *
 * <p>Empty or whitespace-only documents give no chunks. Chunk indexes run 0..n-1 in document order.
 * Unpaired UTF-16 surrogates in the input are replaced by U+FFFD before tokenizing.
 */
public final class TokenChunker implements Chunker {
    private final Cl100kTokenizer tokenizer;

    public TokenChunker() {
        this.tokenizer = Cl100kTokenizer.get();
    }

    @Override
    public int countTokens(String text) {
        return tokenizer.count(text);
    }

    @Override
    public List<Chunk> chunk(ParsedDocument document, ChunkingOptions options) {
        ChunkFrame frame = ChunkFrame.of(options, tokenizer);
        List<Chunk> chunks = new ArrayList<>();
        switch (document.body()) {
            case DocumentBody.Plain plain -> {
                TokenizedText text = TokenizedText.encode(Cl100kTokenizer.wellFormed(plain.text()), tokenizer);
                for (TextSplitter.Piece piece : TextSplitter.split(text, frame, options.chunkOverlap())) {
                    add(chunks, piece.text(), piece.tokens(), Map.of());
                }
            }
            case DocumentBody.Pages pages -> {
                if (options.setPageAsBoundary()) {
                    chunkPagesSeparately(pages.pages(), frame, options.chunkOverlap(), chunks);
                } else {
                    chunkPagesJoined(pages.pages(), frame, options.chunkOverlap(), chunks);
                }
            }
            case DocumentBody.Items items -> {
                int maxItems = options.splitRows() ? 1 : options.maxItemsPerChunk().orElse(Integer.MAX_VALUE);
                for (ItemPacker.ItemChunk item :
                        ItemPacker.pack(items.items(), frame, maxItems, options.chunkOverlap(), tokenizer)) {
                    add(chunks, item.text(), item.tokens(), Map.of("item_start", item.first(), "item_end", item.last()));
                }
            }
        }
        return List.copyOf(chunks);
    }

    private void chunkPagesSeparately(List<DocumentBody.Page> pages, ChunkFrame frame, int overlap,
                                      List<Chunk> chunks) {
        for (DocumentBody.Page page : pages) {
            if (page.text().isBlank()) {
                continue;
            }
            TokenizedText text = TokenizedText.encode(Cl100kTokenizer.wellFormed(page.text()), tokenizer);
            Map<String, Object> metadata = Map.of("page_numbers", List.of(page.number()));
            for (TextSplitter.Piece piece : TextSplitter.split(text, frame, overlap)) {
                add(chunks, piece.text(), piece.tokens(), metadata);
            }
        }
    }

    private void chunkPagesJoined(List<DocumentBody.Page> pages, ChunkFrame frame, int overlap,
                                  List<Chunk> chunks) {
        StringBuilder joined = new StringBuilder();
        List<int[]> ranges = new ArrayList<>(); // {startByte, endByte, pageNumber}
        int bytes = 0;
        for (DocumentBody.Page page : pages) {
            if (page.text().isBlank()) {
                continue;
            }
            String pageText = Cl100kTokenizer.wellFormed(page.text());
            if (!ranges.isEmpty()) {
                joined.append("\n\n");
                bytes += 2;
            }
            int length = utf8Length(pageText);
            ranges.add(new int[] {bytes, bytes + length, page.number()});
            joined.append(pageText);
            bytes += length;
        }
        TokenizedText text = TokenizedText.encode(joined.toString(), tokenizer);
        int first = 0; // ranges before this one end before every remaining chunk
        for (TextSplitter.Piece piece : TextSplitter.split(text, frame, overlap)) {
            int from = text.byteOffset(piece.from());
            int to = text.byteOffset(piece.to());
            while (first < ranges.size() && ranges.get(first)[1] <= from) {
                first++;
            }
            TreeSet<Integer> numbers = new TreeSet<>();
            for (int r = first; r < ranges.size() && ranges.get(r)[0] < to; r++) {
                if (ranges.get(r)[1] > from) {
                    numbers.add(ranges.get(r)[2]);
                }
            }
            add(chunks, piece.text(), piece.tokens(), Map.of("page_numbers", List.copyOf(numbers)));
        }
    }

    private static void add(List<Chunk> chunks, String text, int tokens, Map<String, Object> metadata) {
        chunks.add(new Chunk(chunks.size(), text, tokens, metadata));
    }

    /** UTF-8 length of a well-formed string, without allocating its bytes. */
    static int utf8Length(String s) {
        int length = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
