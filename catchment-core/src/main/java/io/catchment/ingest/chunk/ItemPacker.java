package io.catchment.ingest.chunk;

import java.util.ArrayList;
import java.util.List;

/**
 * Packs items (table rows, flattened JSON elements) into chunks.
 * <ul>
 *   <li>Items are taken in order and joined with {@code "\n"}; an item is never split unless it
 *       alone exceeds the body budget.</li>
 *   <li>A chunk takes the next item while the joined text stays within the budget (estimated as
 *       the items' token counts plus one token per {@code "\n"}, then checked by counting the final
 *       text, dropping trailing items if the count is over) and while it holds fewer than
 *       {@code maxItems} items ({@code max_items_per_chunk}; 1 with {@code split_rows}).</li>
 *   <li>An item that alone exceeds the budget closes the current chunk and is split on its own by
 *       the plain-text rule ({@link TextSplitter}, with the chunk overlap applying inside that item).</li>
 *   <li>No overlap between item chunks. Blank items are skipped (they produce no chunk and do
 *       not count toward {@code maxItems}) but keep their index.</li>
 * </ul>
 * {@code first}/{@code last} are 0-based, inclusive indexes into the original item list.
 */
final class ItemPacker {
    record ItemChunk(int first, int last, String text, int tokens) {}

    private ItemPacker() {}

    static List<ItemChunk> pack(List<String> items, ChunkFrame frame, int maxItems, int chunkOverlap,
                                Cl100kTokenizer tokenizer) {
        List<ItemChunk> out = new ArrayList<>();
        int budget = frame.bodyBudget();
        List<Integer> group = new ArrayList<>();
        List<String> texts = new ArrayList<>(items.size());
        for (String item : items) {
            texts.add(Cl100kTokenizer.wellFormed(item));
        }
        long groupTokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            String item = texts.get(i);
            if (item.isBlank()) {
                continue;
            }
            int tokens = tokenizer.count(item);
            if (tokens > budget) {
                emit(group, texts, frame, chunkOverlap, tokenizer, out);
                group.clear();
                groupTokens = 0;
                splitItem(i, item, frame, chunkOverlap, tokenizer, out);
                continue;
            }
            long estimate = group.isEmpty() ? tokens : groupTokens + 1 + tokens;
            if (!group.isEmpty() && (group.size() >= maxItems || estimate > budget)) {
                emit(group, texts, frame, chunkOverlap, tokenizer, out);
                group.clear();
                estimate = tokens;
            }
            group.add(i);
            groupTokens = estimate;
        }
        emit(group, texts, frame, chunkOverlap, tokenizer, out);
        return out;
    }

    /** Emits the group as one chunk, or as several if the counted text turns out over the size. */
    private static void emit(List<Integer> group, List<String> texts, ChunkFrame frame, int chunkOverlap,
                             Cl100kTokenizer tokenizer, List<ItemChunk> out) {
        int from = 0;
        while (from < group.size()) {
            int to = group.size();
            while (true) {
                String text = frame.render(join(group, from, to, texts));
                int tokens = frame.count(text);
                if (tokens <= frame.chunkSize()) {
                    out.add(new ItemChunk(group.get(from), group.get(to - 1), text, tokens));
                    break;
                }
                if (to - from == 1) {
                    int index = group.get(from);
                    splitItem(index, texts.get(index), frame, chunkOverlap, tokenizer, out);
                    break;
                }
                to--;
            }
            from = to;
        }
    }

    private static String join(List<Integer> group, int from, int to, List<String> texts) {
        StringBuilder joined = new StringBuilder();
        for (int k = from; k < to; k++) {
            if (k > from) {
                joined.append('\n');
            }
            joined.append(texts.get(group.get(k)));
        }
        return joined.toString();
    }

    private static void splitItem(int index, String item, ChunkFrame frame, int chunkOverlap,
                                  Cl100kTokenizer tokenizer, List<ItemChunk> out) {
        TokenizedText encoded = TokenizedText.encode(item, tokenizer);
        for (TextSplitter.Piece piece : TextSplitter.split(encoded, frame, chunkOverlap)) {
            out.add(new ItemChunk(index, index, piece.text(), piece.tokens()));
        }
    }
}
