package io.catchment.ingest.parse;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tesseract executable OCR runs with, probed once: it must exist, run {@code --version}, and
 * have the English language data Tika asks for by default. Tika calls the program by the name
 * {@code tesseract} inside a directory, so the executable must be named {@code tesseract}; and
 * Tika points {@code TESSDATA_PREFIX} next to the executable unless told otherwise, so the
 * language-data directory tesseract itself reports ({@code --list-langs}) is kept too.
 */
record Tesseract(Optional<Install> install, DocumentParser.OcrStatus status) {
    /** A usable tesseract: the executable and its language-data ("tessdata") directory. */
    record Install(Path executable, Path tessdata) {}

    private static final Pattern TESSDATA = Pattern.compile("languages in \"(.+?)\"");
    private static final String NAME = "tesseract";
    private static final long TIMEOUT_SECONDS = 10;

    static Tesseract onPath() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) continue;
            Path candidate = Path.of(dir, NAME);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return at(candidate);
        }
        return missing("tesseract not found on PATH: install tesseract-ocr");
    }

    static Tesseract at(Path executable) {
        if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
            return missing("tesseract not found at " + executable + ": install tesseract-ocr");
        }
        if (!executable.getFileName().toString().equals(NAME)) {
            return missing("the OCR executable must be named tesseract, not " + executable.getFileName());
        }
        try {
            String version = run(executable, "--version").lines().findFirst().orElse("").strip();
            if (!version.startsWith(NAME)) return missing(executable + " --version printed no tesseract version");
            String listing = run(executable, "--list-langs");
            List<String> langs = listing.lines().map(String::strip).toList();
            Matcher tessdata = TESSDATA.matcher(listing);
            if (!langs.contains("eng") || !tessdata.find()) {
                return missing(version + " has no English language data: install tesseract-ocr-eng");
            }
            Install install = new Install(executable.toAbsolutePath(), Path.of(tessdata.group(1)));
            return new Tesseract(Optional.of(install), new DocumentParser.OcrStatus(true, version));
        } catch (IOException e) {
            return missing("tesseract at " + executable + " could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return missing("interrupted while checking tesseract at " + executable);
        }
    }

    private static Tesseract missing(String detail) {
        return new Tesseract(Optional.empty(), new DocumentParser.OcrStatus(false, detail));
    }

    private static String run(Path executable, String arg) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(executable.toString(), arg).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("no answer within " + TIMEOUT_SECONDS + " s");
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
