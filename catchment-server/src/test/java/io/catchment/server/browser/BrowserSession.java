package io.catchment.server.browser;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumDriverLogLevel;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium, driven through chromedriver. Start one per test class (starting takes
 * about a second), open pages, wait for what the test needs, take screenshots, check the console.
 *
 * <pre>{@code
 * static BrowserSession browser = BrowserSession.start(MyPageTest.class);
 * browser.open(base + "/console");
 * browser.waitFor(By.id("save"), Duration.ofSeconds(5)).click();
 * browser.screenshot("saved");
 * assertThat(browser.consoleErrors()).isEmpty();
 * }</pre>
 *
 * <p>The binaries are {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (Debian's
 * {@code chromium} and {@code chromium-driver}), or the files named by {@code CATCHMENT_CHROMIUM}
 * and {@code CATCHMENT_CHROMEDRIVER}; when one is missing the test fails saying to run
 * {@code .ci/install-deps}. Every session gets a fresh profile directory, deleted on
 * {@link #close()}. Implicit waits are off: wait explicitly with {@link #waitFor} or
 * {@link #waitUntil}, whose failures show the page's URL, title, visible text and console errors.
 * Not thread-safe: one test thread drives it.
 */
public final class BrowserSession implements AutoCloseable {
    /** A message of the browser's console (including uncaught exceptions and failed page loads). */
    public record ConsoleEntry(Instant time, Level level, String message) {
        @Override
        public String toString() {
            return level + " " + message;
        }
    }

    private static final List<String> FLAGS = List.of("--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-dev-shm-usage", "--disable-extensions", "--disable-default-apps",
            "--no-default-browser-check", "--password-store=basic", "--lang=en-US", "--force-device-scale-factor=1",
            "--hide-scrollbars");
    private static final Duration PAGE_LOAD_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);
    private static final int TEXT_EXCERPT = 800;

    private final ChromeDriver driver;
    private final Path profile;
    private final Path artifacts;
    private final OutputStream driverLog;
    private final AtomicInteger screenshots = new AtomicInteger();
    private final List<ConsoleEntry> console = new ArrayList<>();
    private Viewport viewport = Viewport.DESKTOP;

    private BrowserSession(ChromeDriver driver, Path profile, Path artifacts, OutputStream driverLog) {
        this.driver = driver;
        this.profile = profile;
        this.artifacts = artifacts;
        this.driverLog = driverLog;
    }

    /**
     * Starts a browser with a desktop viewport ({@link Viewport#DESKTOP}). Its screenshots go to
     * {@code target/browser-artifacts/<testClass's simple name>/} under the working directory (the
     * module, under Maven), or under the directory the {@code catchment.browser.artifacts} system
     * property names; what earlier runs left there is deleted first.
     */
    public static BrowserSession start(Class<?> testClass) {
        Path chromium = binary(System.getenv(), "CATCHMENT_CHROMIUM", "/usr/bin/chromium", "chromium");
        Path chromedriver = binary(System.getenv(), "CATCHMENT_CHROMEDRIVER", "/usr/bin/chromedriver", "chromium-driver");
        Path artifacts = artifactsDir(testClass);
        Path profile;
        OutputStream driverLog;
        try {
            profile = Files.createTempDirectory("catchment-chromium-");
            driverLog = Files.newOutputStream(artifacts.resolve("chromedriver.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // An explicit driver executable and browser binary: Selenium Manager has nothing to find or download.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withLogLevel(ChromiumDriverLogLevel.WARNING)
                .withLogOutput(driverLog)
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + profile,
                "--window-size=" + Viewport.DESKTOP.width() + "," + Viewport.DESKTOP.height());
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (WebDriverException e) {
            deleteTree(profile);
            close(driverLog);
            throw new AssertionError("chromium (" + chromium + ") did not start through chromedriver (" + chromedriver
                    + "); run .ci/install-deps, and see " + artifacts.resolve("chromedriver.log") + ": " + e.getMessage(), e);
        }
        BrowserSession session = new BrowserSession(driver, profile, artifacts, driverLog);
        try {
            driver.manage().timeouts().implicitlyWait(Duration.ZERO);
            driver.manage().timeouts().pageLoadTimeout(PAGE_LOAD_TIMEOUT);
            driver.manage().timeouts().scriptTimeout(SCRIPT_TIMEOUT);
            session.viewport(Viewport.DESKTOP);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return session;
    }

    /** The executable {@code variable} names in {@code env}, else {@code fallback}; a failure when it is not there. */
    static Path binary(Map<String, String> env, String variable, String fallback, String debianPackage) {
        Path path = Path.of(Optional.ofNullable(env.get(variable)).filter(v -> !v.isBlank()).orElse(fallback));
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new AssertionError(path + " is missing (Debian package " + debianPackage + "; or set " + variable
                    + "): run .ci/install-deps");
        }
        return path;
    }

    private static Path artifactsDir(Class<?> testClass) {
        Path base = Path.of(Optional.ofNullable(System.getProperty("catchment.browser.artifacts"))
                .filter(v -> !v.isBlank()).orElse("target/browser-artifacts"));
        Path dir = base.resolve(testClass.getSimpleName()).toAbsolutePath();
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "*.{png,log}")) {
                for (Path file : old) Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** The WebDriver, for what the helpers here do not cover (clicks, typing, finding elements). */
    public WebDriver driver() {
        return driver;
    }

    /** Where this session's screenshots and chromedriver's log go. */
    public Path artifactsDir() {
        return artifacts;
    }

    /**
     * Loads {@code url} and waits for its {@code load} event. Console messages from earlier pages are
     * dropped: {@link #consoleErrors()} is about this page and whatever it navigates to.
     */
    public BrowserSession open(String url) {
        drainConsole();
        console.clear();
        driver.get(url);
        return this;
    }

    public BrowserSession open(URI url) {
        return open(url.toString());
    }

    /**
     * The page area's size from now on, for this and later pages (the browser emulates the
     * device's metrics; {@link Viewport#PHONE} also turns on touch input).
     */
    public BrowserSession viewport(Viewport size) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", size.width(), "height",
                size.height(), "deviceScaleFactor", 1, "mobile", size.mobile()));
        driver.executeCdpCommand("Emulation.setTouchEmulationEnabled", size.mobile()
                ? Map.of("enabled", true, "maxTouchPoints", 5) : Map.of("enabled", false));
        this.viewport = size;
        return this;
    }

    public Viewport viewport() {
        return viewport;
    }

    /** Waits until an element {@code by} finds is displayed and returns it; fails with what the page showed. */
    public WebElement waitFor(By by, Duration timeout) {
        try {
            return new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class).until(d -> {
                for (WebElement element : d.findElements(by)) if (element.isDisplayed()) return element;
                return null;
            });
        } catch (TimeoutException e) {
            throw failure("no visible element " + by + " after " + timeout, e);
        }
    }

    /**
     * Waits until {@code condition} holds (checked every half second); fails naming
     * {@code description} ("the callback page", "three rows") and what the page showed.
     */
    public void waitUntil(String description, BooleanSupplier condition, Duration timeout) {
        try {
            new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class)
                    .until(d -> condition.getAsBoolean() ? Boolean.TRUE : null);
        } catch (TimeoutException e) {
            throw failure("waited " + timeout + " for " + description, e);
        }
    }

    /** Runs JavaScript in the page (as {@code executeScript}: {@code arguments[i]}, {@code return ...}). */
    public Object script(String javascript, Object... args) {
        return driver.executeScript(javascript, args);
    }

    /** Runs asynchronous JavaScript: it calls {@code arguments[arguments.length - 1]} with its result. */
    Object asyncScript(String javascript, Object... args) {
        return driver.executeAsyncScript(javascript, args);
    }

    public String currentUrl() {
        return driver.getCurrentUrl();
    }

    public String title() {
        return driver.getTitle();
    }

    /** The page's text as the user sees it ({@code innerText} of the body), whitespace runs collapsed. */
    public String visibleText() {
        Object text = script("return document.body ? document.body.innerText : '';");
        return text == null ? "" : text.toString().replaceAll("\\s+", " ").strip();
    }

    /**
     * A PNG of the viewport, written to {@code <artifacts>/<NN>-<name>.png} with {@code NN} counting
     * this session's screenshots from 01; returns the file.
     */
    public Path screenshot(String name) {
        String safe = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        Path file = artifacts.resolve("%02d-%s.png".formatted(screenshots.incrementAndGet(), safe.isEmpty() ? "page" : safe));
        try {
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * The console's errors (level SEVERE: {@code console.error}, uncaught exceptions, resources that
     * failed to load) since the last {@link #open}. Pages must log none.
     */
    public List<ConsoleEntry> consoleErrors() {
        drainConsole();
        return console.stream().filter(e -> e.level().intValue() >= Level.SEVERE.intValue()).toList();
    }

    /** Every console message since the last {@link #open}, oldest first. */
    public List<ConsoleEntry> consoleMessages() {
        drainConsole();
        return List.copyOf(console);
    }

    /** The page's URL, title, a visible-text excerpt and the console errors, for failure messages. */
    public String diagnostics() {
        StringBuilder out = new StringBuilder();
        out.append("  url:    ").append(attempt(this::currentUrl)).append('\n');
        out.append("  title:  ").append(attempt(this::title)).append('\n');
        String text = attempt(this::visibleText);
        out.append("  text:   ").append(text.length() > TEXT_EXCERPT ? text.substring(0, TEXT_EXCERPT) + " ..." : text)
                .append('\n');
        List<ConsoleEntry> errors = attempt(this::consoleErrors, List.of());
        out.append("  console errors: ").append(errors.isEmpty() ? "none" : errors.stream().map(ConsoleEntry::toString)
                .collect(Collectors.joining("\n    ", "\n    ", "")));
        return out.toString();
    }

    /** A failure describing the page; also saves a screenshot of it. */
    AssertionError failure(String what, Throwable cause) {
        String shot = attempt(() -> screenshot("failure").toString());
        return new AssertionError(what + "\n" + diagnostics() + "\n  screenshot: " + shot, cause);
    }

    private void drainConsole() {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            console.add(new ConsoleEntry(Instant.ofEpochMilli(entry.getTimestamp()), entry.getLevel(), entry.getMessage()));
        }
    }

    private static String attempt(Supplier<String> read) {
        return attempt(read, "(unavailable)");
    }

    private static <T> T attempt(Supplier<T> read, T fallback) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } catch (RuntimeException e) {
            // The browser is gone already; the profile still has to go.
        } finally {
            close(driverLog);
            deleteTree(profile);
        }
    }

    private static void close(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // only a log
        }
    }

    /** Deletes the profile; Chromium's last writes can race the first attempt, so it tries a few times. */
    private static void deleteTree(Path dir) {
        for (int attempt = 0; attempt < 5 && Files.exists(dir); attempt++) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            } catch (IOException | UncheckedIOException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
