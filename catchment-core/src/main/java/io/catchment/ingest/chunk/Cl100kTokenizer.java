package io.catchment.ingest.chunk;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

/**
 * The cl100k_base tokenizer (jtokkit), shared process-wide, plus a table of each token's bytes
 * so that a token sequence can be mapped to UTF-8 byte offsets without decoding it again.
 * Special tokens such as {@code <|endoftext|>} in the input are encoded as ordinary text, so no
 * input is rejected. Thread-safe.
 */
final class Cl100kTokenizer {
    private static final class Holder {
        static final Cl100kTokenizer INSTANCE = new Cl100kTokenizer();
    }

    /** Ordinary (non-special) cl100k token ids are 0..100255. */
    private static final int ORDINARY_TOKENS = 100_256;

    private final Encoding encoding;
    private final byte[][] tokenBytes;

    private Cl100kTokenizer() {
        encoding = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        tokenBytes = new byte[ORDINARY_TOKENS][];
        IntArrayList one = new IntArrayList(1);
        one.add(0);
        for (int id = 0; id < ORDINARY_TOKENS; id++) {
            one.set(0, id);
            tokenBytes[id] = encoding.decodeBytes(one);
        }
    }

    static Cl100kTokenizer get() {
        return Holder.INSTANCE;
    }

    int[] encode(String text) {
        return encoding.encodeOrdinary(text).toArray();
    }

    int count(String text) {
        return encoding.countTokensOrdinary(text);
    }

    /** The UTF-8 bytes of one token (shared: do not modify). */
    byte[] bytes(int token) {
        if (token >= 0 && token < tokenBytes.length) {
            return tokenBytes[token];
        }
        IntArrayList one = new IntArrayList(1);
        one.add(token);
        return encoding.decodeBytes(one);
    }

    /**
     * The text with every unpaired surrogate replaced by U+FFFD, so that its tokens' bytes are
     * exactly its standard UTF-8 encoding (jtokkit would otherwise encode a lone surrogate as
     * three bytes that no UTF-8 decoder accepts). Returns the same instance when already well formed.
     */
    static String wellFormed(String text) {
        int length = text.length();
        StringBuilder fixed = null;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            boolean broken;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    if (fixed != null) {
                        fixed.append(c).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
                broken = true;
            } else {
                broken = Character.isLowSurrogate(c);
            }
            if (broken && fixed == null) {
                fixed = new StringBuilder(length).append(text, 0, i);
            }
            if (fixed != null) {
                fixed.append(broken ? '\uFFFD' : c);
            }
        }
        return fixed == null ? text : fixed.toString();
    }
}
