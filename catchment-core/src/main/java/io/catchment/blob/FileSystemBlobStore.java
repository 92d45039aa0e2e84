package io.catchment.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Blobs as files: {@code <root>/ab/cd/abcd…} by SHA-256. A write goes to a temporary file in
 * the same folder tree and is moved into place, so a crash never leaves a partial blob.
 */
public final class FileSystemBlobStore implements BlobStore {
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    public FileSystemBlobStore(Path root) throws IOException {
        this.root = Files.createDirectories(root);
        Files.createDirectories(root.resolve("tmp"));
    }

    @Override
    public StoredBlob put(InputStream content) throws IOException {
        Path tmp = Files.createTempFile(root.resolve("tmp"), "upload-", ".part");
        try {
            MessageDigest sha = sha256();
            long size;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
                size = content.transferTo(out);
            }
            String key = HexFormat.of().formatHex(sha.digest());
            Path target = location(key);
            Files.createDirectories(target.getParent());
            if (Files.exists(target)) {
                Files.delete(tmp); // same content already stored
            } else {
                move(tmp, target);
            }
            return new StoredBlob(key, size);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    @Override
    public Optional<Path> path(String key) {
        Path p = location(key);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return Files.newInputStream(location(key));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException("blob " + key + " is missing");
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(location(key));
    }

    private Path location(String key) {
        if (!KEY.matcher(key).matches()) throw new IllegalArgumentException("Not a blob key: " + key);
        return root.resolve(key.substring(0, 2)).resolve(key.substring(2, 4)).resolve(key);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
