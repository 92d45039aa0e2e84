package io.catchment.embed;

import java.util.Objects;

/** An image to embed: its bytes and MIME type ({@code image/png}, {@code image/jpeg}). */
public record ImageInput(byte[] bytes, String mimeType) {
    public ImageInput {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(mimeType, "mimeType");
    }
}
