package io.catchment.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A deployment's master keys: {@code id:base64(32 bytes)} entries, separated by commas or new
 * lines, the first being current. Read from {@code CATCHMENT_MASTER_KEY} or a key file; an
 * embedded server without either makes its own file, owner-only, on first start (several
 * processes sharing a database must share the keys, so they set one of the two).
 */
public final class MasterKeys {
    private static final int KEY_BYTES = 32;
    private static final java.util.regex.Pattern KEY_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final String currentId;
    private final Map<String, SecretKey> byId;

    private MasterKeys(String currentId, Map<String, SecretKey> byId) {
        this.currentId = currentId;
        this.byId = Map.copyOf(byId);
    }

    /**
     * Parses the text form; entries without an id get {@code k1}, {@code k2}, ... by position.
     *
     * @throws IllegalArgumentException naming the entry (never the key material) when malformed
     */
    public static MasterKeys parse(String text) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String current = null;
        int position = 0;
        for (String raw : text.split("[,\\n]")) {
            String entry = raw.strip();
            if (entry.isEmpty() || entry.startsWith("#")) continue;
            position++;
            int colon = entry.indexOf(':');
            String id = colon < 0 ? "k" + position : entry.substring(0, colon).strip();
            String material = colon < 0 ? entry : entry.substring(colon + 1).strip();
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("Master key entry " + position + ": the key id must be 1-32 letters, "
                        + "digits, '_' or '-'");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(material);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Master key '" + id + "' is not valid base64");
            }
            if (bytes.length != KEY_BYTES) {
                throw new IllegalArgumentException("Master key '" + id + "' must be 32 bytes (base64 of 32 random "
                        + "bytes, e.g. `openssl rand -base64 32`), was " + bytes.length);
            }
            if (keys.putIfAbsent(id, new SecretKeySpec(bytes, "AES")) != null) {
                throw new IllegalArgumentException("Master key id '" + id + "' appears twice");
            }
            if (current == null) current = id;
        }
        if (current == null) throw new IllegalArgumentException("No master key given");
        return new MasterKeys(current, keys);
    }

    /** A fresh single key (for tests and first starts). */
    public static MasterKeys generate(String id) {
        return parse(id + ":" + randomKey());
    }

    /**
     * The keys in {@code file}; when it does not exist, a new key is written there first
     * (owner read/write only where the file system supports it).
     */
    public static MasterKeys fromFileCreatingIfAbsent(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            String content = "# Catchment master key: encrypts provider credentials and tokens at rest.\n"
                    + "# Back it up with the database; without it those secrets cannot be read.\n"
                    + "k1:" + randomKey() + "\n";
            try {
                Path created = Files.createFile(file);
                restrictToOwner(created);
                Files.writeString(created, content, StandardCharsets.UTF_8);
            } catch (FileAlreadyExistsException raced) {
                // Another process made it first: read theirs.
            }
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows and the like: the directory's permissions apply.
        }
    }

    private static String randomKey() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public String currentId() {
        return currentId;
    }

    SecretKey current() {
        return byId.get(currentId);
    }

    Optional<SecretKey> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Ids of every key held, current first. */
    public List<String> ids() {
        List<String> ids = new java.util.ArrayList<>(List.of(currentId));
        byId.keySet().stream().filter(id -> !id.equals(currentId)).sorted().forEach(ids::add);
        return ids;
    }

    @Override
    public String toString() {
        return "MasterKeys" + ids();
    }
}
