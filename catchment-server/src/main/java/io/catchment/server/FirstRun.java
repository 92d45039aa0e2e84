package io.catchment.server;

import io.catchment.tenancy.NewApiKey;
import io.catchment.tenancy.Organization;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On an empty store, creates an organization and shows its API key once: on standard output
 * and in an owner-only file in the data directory (for servers started in the background).
 */
public final class FirstRun {
    private static final Logger log = LoggerFactory.getLogger(FirstRun.class);
    public static final String KEY_FILE = "initial-api-key.txt";

    private FirstRun() {}

    public static void ensureOrganization(Catchment catchment, Path dataDir, PrintStream out) throws IOException {
        if (!catchment.organizations().isEmpty()) return;
        Organization org = catchment.organizations().create("Default organization");
        NewApiKey key = catchment.apiKeys().create(org.id(), "initial");
        Path file = dataDir.resolve(KEY_FILE);
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system
        }
        Files.writeString(file, key.secret() + "\n");
        out.println();
        out.println("  First start: created organization " + org.id() + " (\"" + org.name() + "\").");
        out.println("  Its API key, shown only now:  " + key.secret());
        out.println("  Also written to " + file.toAbsolutePath() + " (readable by you only).");
        out.println();
        log.atInfo().addKeyValue("organization_id", org.id()).addKeyValue("api_key_id", key.key().id())
                .addKeyValue("key_file", file.toAbsolutePath()).log("first run: organization and API key created");
    }
}
