package io.catchment.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.catchment.server.browser.FocusProblem.Kind;
import io.catchment.testing.oauth.FakeOAuthProvider;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The browser harness itself: it passes a good page, finds each defect of a bad one, writes
 * screenshots, sizes the viewport, reports console errors and readable wait failures; and the
 * OAuth fake's consent page works in a real browser (Allow brings a code that exchanges, Deny
 * brings {@code access_denied}). One browser for the whole class.
 */
class BrowserHarnessTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CLIENT_ID = "client-google-drive";
    private static final String CLIENT_SECRET = "secret-google-drive";
    private static final String SCOPE = "https://www.googleapis.com/auth/drive.readonly openid email";

    private static HarnessPages pages;
    private static BrowserSession browser;

    @BeforeAll
    static void start() throws IOException {
        pages = new HarnessPages();
        long t0 = System.nanoTime();
        browser = BrowserSession.start(BrowserHarnessTest.class);
        System.out.printf("browser started in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (pages != null) pages.close();
    }

    @Test
    void aGoodPagePassesWithEveryControlInTheFocusOrder() {
        browser.open(pages.url("/good")).waitFor(By.id("email"), WAIT);
        long t0 = System.nanoTime();
        AccessibilityReport report = Accessibility.assertAccessible(browser, "the good page");
        System.out.printf("axe + focus walk took %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        assertThat(report.rulesPassed()).contains("label", "color-contrast", "button-name", "link-name",
                "document-title", "html-has-lang");
        assertThat(report.focusOrder()).extracting(FocusStop::element).containsExactly(
                "input#email[type=email] \"Email\"", "select#plan \"Plan\"", "input#daily[type=radio] \"Daily\"",
                "button#create \"Create account\"", "a#help \"Help with accounts\"");
        assertThat(report.focusOrder()).allMatch(FocusStop::focusVisible);
        assertThat(report.summary()).contains("OK", "rules passed", "input#email");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void aBadPageFailsNamingEachDefect() {
        browser.open(pages.url("/bad")).waitFor(By.id("nameless"), WAIT);
        AccessibilityReport report = Accessibility.check(browser, "the bad page");

        assertThat(report.passed()).isFalse();
        assertThat(report.violatedRules()).contains("label", "color-contrast", "button-name", "html-has-lang");
        assertThat(targets(report, "label")).containsExactly("#nameless");
        assertThat(targets(report, "color-contrast")).containsExactly("#faint");
        assertThat(targets(report, "button-name")).containsExactly("#go");
        assertThat(report.focusProblems(Kind.NO_FOCUS_INDICATOR)).extracting(FocusProblem::element)
                .containsExactly("button#go");
        assertThat(report.focusProblems(Kind.POSITIVE_TABINDEX)).extracting(FocusProblem::element)
                .containsExactly("a#jump \"Jump ahead\"");
        assertThat(report.focusProblems(Kind.NOT_REACHABLE)).isEmpty();
        assertThat(report.focusOrder()).extracting(FocusStop::element)
                .containsExactly("a#jump \"Jump ahead\"", "input#nameless[type=text]", "button#go");

        assertThatThrownBy(() -> Accessibility.assertAccessible(browser, "the bad page"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the bad page is not accessible")
                .hasMessageContaining("label [critical]")
                .hasMessageContaining("color-contrast [serious]")
                .hasMessageContaining("button-name [critical]")
                .hasMessageContaining("<input id=\"nameless\" type=\"text\">")
                .hasMessageContaining("NO_FOCUS_INDICATOR button#go")
                .hasMessageContaining("POSITIVE_TABINDEX a#jump");
    }

    @Test
    void theKeyboardWalkFindsOutOfOrderFocusTrapsAndUnreachableControls() {
        browser.open(pages.url("/keyboard")).waitFor(By.id("one"), WAIT);
        AccessibilityReport report = Accessibility.check(browser, "the keyboard page");

        assertThat(report.violations()).isEmpty();
        assertThat(report.focusOrder()).extracting(FocusStop::element).containsExactly(
                "button#one \"One\"", "button#three \"Three\"", "button#two \"Two\"", "textarea#notes \"Notes\"");
        assertThat(report.focusProblems()).extracting(FocusProblem::kind, FocusProblem::element).containsExactlyInAnyOrder(
                tuple(Kind.OUT_OF_ORDER, "button#two \"Two\""),
                tuple(Kind.KEYBOARD_TRAP, "textarea#notes \"Notes\""),
                tuple(Kind.NOT_REACHABLE, "button#after \"After the notes\""));
    }

    @Test
    void screenshotsAreNumberedPngsAndThePhoneViewportIsPhoneSized() throws IOException {
        browser.open(pages.url("/good")).waitFor(By.id("email"), WAIT);
        Path desktop = browser.screenshot("good page, desktop");
        try {
            browser.viewport(Viewport.PHONE);
            browser.open(pages.url("/good")).waitFor(By.id("email"), WAIT);
            assertThat(browser.script("return [window.innerWidth, window.innerHeight, navigator.maxTouchPoints];"))
                    .isEqualTo(List.of(390L, 844L, 5L));
            Path phone = browser.screenshot("good page, phone");

            assertThat(desktop.getParent()).isEqualTo(browser.artifactsDir());
            assertThat(browser.artifactsDir()).endsWith(Path.of("target", "browser-artifacts", "BrowserHarnessTest"));
            assertThat(desktop.getFileName().toString()).matches("\\d\\d-good-page-desktop\\.png");
            int n = Integer.parseInt(desktop.getFileName().toString().substring(0, 2));
            assertThat(phone.getFileName().toString()).isEqualTo("%02d-good-page-phone.png".formatted(n + 1));
            assertThat(size(desktop)).containsExactly(1280, 800);
            assertThat(size(phone)).containsExactly(390, 844);
        } finally {
            browser.viewport(Viewport.DESKTOP);
        }
        assertThat(browser.script("return window.innerWidth;")).isEqualTo(1280L);
    }

    @Test
    void consoleErrorsAreReportedAndWaitFailuresShowThePage() {
        browser.open(pages.url("/noisy")).waitFor(By.tagName("h1"), WAIT);
        assertThat(browser.consoleErrors()).extracting(BrowserSession.ConsoleEntry::message)
                .anyMatch(m -> m.contains("boom from the page"))
                .anyMatch(m -> m.contains("uncaught kaboom"));

        assertThatThrownBy(() -> browser.waitFor(By.id("never-there"), Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no visible element By.id: never-there")
                .hasMessageContaining(pages.url("/noisy"))
                .hasMessageContaining("Noisy page")
                .hasMessageContaining("This page logs an error and throws one.")
                .hasMessageContaining("boom from the page")
                .hasMessageContaining("failure.png");

        browser.open(pages.url("/good"));
        assertThat(browser.consoleErrors()).as("open() starts a new page's console").isEmpty();
    }

    @Test
    void theFakeConsentPageAllowsWithACodeThatExchanges() throws Exception {
        try (FakeOAuthProvider fake = new FakeOAuthProvider("GOOGLE_DRIVE", CLIENT_ID, CLIENT_SECRET).showConsentPage(true)) {
            String verifier = "verifier-" + "x".repeat(40);
            browser.open(authorizeUrl(fake, "state-allow", verifier));
            browser.waitFor(By.id("allow"), WAIT);
            assertThat(browser.title()).isEqualTo("Sign in to Google Drive — Allow access?");
            assertThat(browser.visibleText()).contains(CLIENT_ID, "https://www.googleapis.com/auth/drive.readonly",
                    "openid", "email", "Ada Lovelace", pages.url(""));
            Accessibility.assertAccessible(browser, "the fake's consent page");
            browser.screenshot("fake consent page");

            browser.driver().findElement(By.id("allow")).click();
            Map<String, String> back = callback();
            assertThat(back).containsOnlyKeys("code", "state").containsEntry("state", "state-allow");
            assertThat(back.get("code")).startsWith("code-");
            assertThat(browser.consoleErrors()).isEmpty();

            HttpResponse<String> token = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(fake.urls().get("token_url")))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code",
                            "code", back.get("code"), "redirect_uri", pages.url("/callback"), "client_id", CLIENT_ID,
                            "client_secret", CLIENT_SECRET, "code_verifier", verifier)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            assertThat(token.body()).contains("\"access_token\":\"ya29.", "\"refresh_token\"");
        }
    }

    @Test
    void theFakeConsentPageDenies() throws Exception {
        try (FakeOAuthProvider fake = new FakeOAuthProvider("GOOGLE_DRIVE", CLIENT_ID, CLIENT_SECRET).showConsentPage(true)) {
            browser.open(authorizeUrl(fake, "state-deny", "verifier-" + "y".repeat(40)));
            WebElement deny = browser.waitFor(By.id("deny"), WAIT);
            String consentId = browser.driver().findElement(By.name("consent_id")).getDomProperty("value");
            deny.click();
            Map<String, String> back = callback();
            assertThat(back).containsEntry("error", "access_denied").containsEntry("state", "state-deny")
                    .containsEntry("error_description", "The user denied access to GOOGLE_DRIVE").doesNotContainKey("code");

            // Each page answers once: allowing the same request afterwards is refused.
            HttpResponse<String> again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(fake.baseUrl() + "/consent"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("consent_id", consentId, "decision", "allow"))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).isEqualTo(400);
            assertThat(again.body()).contains("unknown or was already answered");
        }
    }

    @Test
    void withoutTheOptionTheFakeStillApprovesAtOnce() {
        try (FakeOAuthProvider fake = new FakeOAuthProvider("GOOGLE_DRIVE", CLIENT_ID, CLIENT_SECRET)) {
            String location = fake.authorize(authorizeUrl(fake, "state-now", "verifier-" + "z".repeat(40)));
            assertThat(location).startsWith(pages.url("/callback?code=code-")).endsWith("&state=state-now");
        }
    }

    @Test
    void missingToolsFailSayingToRunInstallDeps(@TempDir Path dir) {
        String absent = dir.resolve("chromium").toString();
        assertThatThrownBy(() -> BrowserSession.binary(Map.of("CATCHMENT_CHROMIUM", absent), "CATCHMENT_CHROMIUM",
                "/usr/bin/chromium", "chromium"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(absent + " is missing")
                .hasMessageContaining("run .ci/install-deps");
        assertThatThrownBy(() -> RepoFiles.require("compat/node_modules/no-such-module/index.js", "run .ci/install-deps"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no-such-module/index.js is missing: run .ci/install-deps");
        assertThat(RepoFiles.root().resolve("compat/node_modules/axe-core/axe.min.js")).isRegularFile();
    }

    private static String authorizeUrl(FakeOAuthProvider fake, String state, String verifier) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", CLIENT_ID);
        q.put("redirect_uri", pages.url("/callback"));
        q.put("scope", SCOPE);
        q.put("access_type", "offline");
        q.put("state", state);
        q.put("code_challenge", s256(verifier));
        q.put("code_challenge_method", "S256");
        return fake.urls().get("authorize_url") + "?" + form(q);
    }

    /** Waits for the browser to land on the callback page and returns its query parameters. */
    private static Map<String, String> callback() {
        browser.waitUntil("the redirect to " + pages.url("/callback"),
                () -> browser.currentUrl().startsWith(pages.url("/callback?")), WAIT);
        browser.waitFor(By.id("query"), WAIT);
        String query = URI.create(browser.currentUrl()).getRawQuery();
        return Arrays.stream(query.split("&")).map(p -> p.split("=", 2)).collect(Collectors.toMap(
                kv -> URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                kv -> kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "", (a, b) -> a, LinkedHashMap::new));
    }

    private static List<String> targets(AccessibilityReport report, String rule) {
        return report.violations().stream().filter(v -> v.rule().equals(rule)).flatMap(v -> v.nodes().stream())
                .map(n -> String.join(" ", n.target())).toList();
    }

    private static int[] size(Path png) throws IOException {
        byte[] bytes = Files.readAllBytes(png);
        assertThat(Arrays.copyOf(bytes, 8)).as("PNG signature of " + png)
                .containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        BufferedImage image = ImageIO.read(png.toFile());
        return new int[] {image.getWidth(), image.getHeight()};
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
