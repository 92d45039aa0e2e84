package io.catchment.ingest.parse;

import java.util.List;

/**
 * The text of a parsed document, in the shape chunking needs: pages (PDF, so chunks can keep
 * to page boundaries), items (rows of a table or elements of a JSON array, so chunks can count
 * items), or plain text.
 */
public sealed interface DocumentBody {
    /** One page of a paged document; numbers start at 1. */
    record Page(int number, String text) {}

    record Pages(List<Page> pages) implements DocumentBody {
        public Pages {
            pages = List.copyOf(pages);
        }
    }

    /** Each item is one row ("header: value, …") or one flattened JSON element ("a.b: v" lines). */
    record Items(List<String> items) implements DocumentBody {
        public Items {
            items = List.copyOf(items);
        }
    }

    record Plain(String text) implements DocumentBody {}

    /** The whole text as one string: pages and items separated by blank lines or newlines. */
    default String text() {
        return switch (this) {
            case Pages p -> String.join("\n\n", p.pages().stream().map(Page::text).toList());
            case Items i -> String.join("\n", i.items());
            case Plain t -> t.text();
        };
    }
}
