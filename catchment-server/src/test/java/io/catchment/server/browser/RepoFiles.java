package io.catchment.server.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Files of the repository the tests run in: its root, found from the working directory. */
final class RepoFiles {
    private RepoFiles() {}

    /**
     * The repository root: the {@code catchment.repo} system property Maven sets for tests, else
     * the nearest directory up from the working directory that holds {@code pom.xml} and {@code compat/}.
     */
    static Path root() {
        Optional<Path> configured = Optional.ofNullable(System.getProperty("catchment.repo"))
                .filter(p -> !p.isBlank()).map(Path::of).filter(RepoFiles::isRoot);
        if (configured.isPresent()) return configured.get().toAbsolutePath();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) return dir;
        }
        throw new AssertionError("cannot find the repository root (a directory with pom.xml and compat/) above "
                + Path.of("").toAbsolutePath());
    }

    /** A file under the root that must exist, else a failure saying how to get it. */
    static Path require(String relative, String whatAndHow) {
        Path file = root().resolve(relative);
        if (!Files.isRegularFile(file)) throw new AssertionError(file + " is missing: " + whatAndHow);
        return file;
    }

    private static boolean isRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("compat"));
    }
}
