package io.catchment.embed.remote;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.util.ArrayList;
import java.util.List;

/** Counts cl100k tokens and cuts long texts into windows of at most N tokens. Thread-safe. */
final class TokenWindows {
    private static final class Holder {
        static final Encoding CL100K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    }

    private TokenWindows() {}

    static int count(String text) {
        return Holder.CL100K.countTokensOrdinary(text);
    }

    /**
     * The text itself when it has at most {@code maxTokens} tokens, else consecutive windows of
     * {@code maxTokens} tokens each (a character cut at a window edge may become U+FFFD).
     */
    static List<String> split(String text, int maxTokens) {
        IntArrayList tokens = Holder.CL100K.encodeOrdinary(text);
        if (tokens.size() <= maxTokens) return List.of(text);
        List<String> windows = new ArrayList<>();
        for (int from = 0; from < tokens.size(); from += maxTokens) {
            int to = Math.min(tokens.size(), from + maxTokens);
            IntArrayList slice = new IntArrayList(to - from);
            for (int i = from; i < to; i++) slice.add(tokens.get(i));
            String window = Holder.CL100K.decode(slice);
            if (!window.isBlank()) windows.add(window);
        }
        return windows.isEmpty() ? List.of(text) : windows;
    }
}
