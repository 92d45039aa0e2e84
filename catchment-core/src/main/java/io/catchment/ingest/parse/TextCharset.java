package io.catchment.ingest.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Decides the character set of a text file before Tika guesses: a byte-order mark wins, then
 * UTF-8 if the whole file is valid UTF-8. Tika's statistical detection only looks at the start of
 * a file, so a UTF-8 file whose first kilobytes are plain ASCII would otherwise be read as
 * ISO-8859-1 and its later accents garbled. Empty means "not UTF-8: let Tika detect it".
 */
final class TextCharset {
    private TextCharset() {}

    static Optional<Charset> sniff(Path file) throws IOException {
        byte[] head = new byte[3];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 3);
        }
        if (n == 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
            return Optional.of(StandardCharsets.UTF_8);
        }
        if (n >= 2 && (head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF) return Optional.of(StandardCharsets.UTF_16);
        if (n >= 2 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE) return Optional.of(StandardCharsets.UTF_16);
        return isValidUtf8(file) ? Optional.of(StandardCharsets.UTF_8) : Optional.empty();
    }

    private static boolean isValidUtf8(Path file) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
        CharBuffer chars = CharBuffer.allocate(1 << 16);
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            while (true) {
                boolean end = channel.read(bytes) < 0;
                bytes.flip();
                if (decoder.decode(bytes, chars, end).isError()) return false;
                chars.clear();
                if (end) return !decoder.flush(chars).isError();
                bytes.compact();
            }
        }
    }
}
