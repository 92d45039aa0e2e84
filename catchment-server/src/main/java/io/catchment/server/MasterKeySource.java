package io.catchment.server;

import io.catchment.crypto.MasterKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Where the master keys that seal secrets at rest come from: given in the environment
 * ({@code CATCHMENT_MASTER_KEY}), a key file ({@code --master-key-file}), or, by default, the
 * file {@code master.key} in the data directory, made on first start.
 */
public sealed interface MasterKeySource {
    MasterKeys load(Path dataDir);

    record Given(String keys) implements MasterKeySource {
        public MasterKeys load(Path dataDir) {
            return MasterKeys.parse(keys);
        }

        @Override
        public String toString() { return "Given[…]"; }
    }

    record KeyFile(Path file) implements MasterKeySource {
        public MasterKeys load(Path dataDir) {
            return read(file);
        }
    }

    record InDataDir() implements MasterKeySource {
        public MasterKeys load(Path dataDir) {
            return read(dataDir.resolve("master.key"));
        }
    }

    private static MasterKeys read(Path file) {
        try {
            return MasterKeys.fromFileCreatingIfAbsent(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the master key file " + file, e);
        }
    }
}
