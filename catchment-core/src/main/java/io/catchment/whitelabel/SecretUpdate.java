package io.catchment.whitelabel;

import java.util.Objects;

/**
 * What a create or update does to a stored secret. Secrets are write-only (callers only ever see
 * a mask), so an update that leaves one out must keep it rather than erase it.
 */
public sealed interface SecretUpdate {
    SecretUpdate KEEP = new Keep();
    SecretUpdate CLEAR = new Clear();

    /** Leave the stored value as it is (on create: none). */
    record Keep() implements SecretUpdate {}

    /** Remove the stored value. */
    record Clear() implements SecretUpdate {}

    /** Store this value. */
    record Replace(String value) implements SecretUpdate {
        public Replace {
            Objects.requireNonNull(value, "value");
            if (value.isEmpty()) throw new IllegalArgumentException("an empty secret is CLEAR, not a replacement");
        }

        @Override
        public String toString() {
            return "Replace[" + WhiteLabel.mask(value) + "]";
        }
    }
}
