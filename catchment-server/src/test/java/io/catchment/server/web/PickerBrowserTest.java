package io.catchment.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.server.browser.Accessibility;
import io.catchment.server.browser.BrowserSession;
import io.catchment.server.browser.Viewport;
import io.catchment.server.support.Client;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testsupport.DatabaseKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The end user's side in a real browser: oauth_url → the provider's consent page → callback →
 * the picker (browse, find, pick a folder and two files) → live progress to READY → the content
 * found in the console's search; then a sync URL for the connected account (no OAuth), at phone
 * size with the organization's branding, and the error pages for reused, expired and denied links.
 * Every page passes the accessibility check; screenshots land in target/browser-artifacts.
 */
class PickerBrowserTest {
    static final String ALPHA = "The aurora borealis paints the polar night sky green when solar wind meets the atmosphere.";
    static final String GAMMA = "Honeybees dance in the hive to tell their sisters where the flowers with nectar are.";
    static final Duration WAIT = Duration.ofSeconds(60);

    static BrowserSession browser;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBrowser() {
        browser = BrowserSession.start(PickerBrowserTest.class);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) browser.close();
    }

    static DriveAccount account() {
        DriveAccount account = new DriveAccount().folder("Reports").folder("Reports/Archive").folder("Elsewhere")
                .file("Reports/alpha.txt", ALPHA)
                .file("Reports/beta.txt", "Sourdough bread needs a lively starter, a long cold proof and a very hot oven.")
                .file("Reports/Archive/old.txt", "Chess openings such as the Sicilian defence shape the middle game.")
                .file("gamma.txt", GAMMA)
                .file("delta.txt", "Volcanic eruptions send ash clouds high into the stratosphere and ground airplanes.")
                .file("notes.md", "# Notes\n\nTide tables predict the height of the sea along the coast.")
                .file("Elsewhere/unpicked.txt", "Nobody picked this file, so it is never synced.")
                .file("broken.pdf", "This is not a PDF at all, whatever its name says.");
        account.oauth.showConsentPage(true);
        return account;
    }

    @Test
    void connectPickFollowToReadyThenFindItInTheConsole() {
        try (DriveAccount drive = account();
             TestServer server = TestServer.start(DatabaseKind.H2, dir, drive::configure)) {
            TestServer.OrgHandle acme = server.newOrganization("Acme");
            Client alice = acme.asCustomer("alice");
            String url = oauthUrl(alice, Map.of("automatically_open_file_picker", true));

            browser.open(url);
            browser.waitFor(By.id("allow"), WAIT);
            browser.screenshot("provider consent");
            browser.driver().findElement(By.id("allow")).click();

            browser.waitFor(By.id("picker-title"), WAIT);
            assertThat(browser.driver().findElement(By.id("outcome-title")).getText()).isEqualTo("Connected to Google Drive");
            assertThat(browser.visibleText()).contains("ada@example.com");
            WebElement reports = waitForItem("Reports");
            browser.screenshot("picker");
            Accessibility.assertAccessible(browser, "picker");

            // Lazy folders: children load when the folder opens.
            assertThat(browser.driver().findElements(By.xpath("//label[text()='alpha.txt']"))).isEmpty();
            toggleOf(reports).click();
            waitForItem("alpha.txt");
            assertThat(toggleOf(reports).getAttribute("aria-expanded")).isEqualTo("true");
            browser.screenshot("folder open");

            // Find by name and by format across the tree, then back to the tree.
            search("gam", "");
            browser.waitUntil("only gamma.txt listed", () -> itemNames().equals(List.of("gamma.txt")), WAIT);
            search("", "MD");
            browser.waitUntil("only notes.md listed", () -> itemNames().equals(List.of("notes.md")), WAIT);
            browser.driver().findElement(By.xpath("//button[text()='Show all']")).click();
            reports = waitForItem("Reports");

            // Pick a folder and two files, with the keyboard for one of them.
            checkboxOf("Reports").click();
            checkboxOf("gamma.txt").sendKeys(Keys.SPACE);
            checkboxOf("delta.txt").click();
            assertThat(browser.driver().findElement(By.id("selection-count")).getText()).isEqualTo("3 selected.");
            browser.driver().findElement(By.id("sync-selected")).click();

            browser.waitFor(By.id("progress-title"), WAIT);
            browser.waitUntil("every picked file READY", () -> {
                Map<String, String> statuses = progress();
                return statuses.keySet().equals(Set.of("alpha.txt", "beta.txt", "old.txt", "gamma.txt", "delta.txt"))
                        && statuses.values().stream().allMatch("READY"::equals)
                        && browser.driver().findElement(By.id("progress-summary")).getText().startsWith("Done");
            }, Duration.ofSeconds(120));
            assertThat(browser.driver().findElement(By.id("progress-summary")).getText()).isEqualTo("Done: 5 of 5 ready.");
            browser.screenshot("progress ready");
            Accessibility.assertAccessible(browser, "progress");
            assertThat(browser.consoleErrors()).isEmpty();

            List<String> stored = names(alice.post("/user_files_v2", Map.of("pagination", Map.of("limit", 100))));
            assertThat(stored).contains("alpha.txt", "gamma.txt", "delta.txt").doesNotContain("unpicked.txt", "notes.md");

            // Reloading keeps the picker working (its token is in the tab's session storage).
            browser.driver().navigate().refresh();
            browser.waitFor(By.id("picker-title"), WAIT);
            waitForItem("Reports");

            ConsoleSteps.signIn(browser, server.baseUrl(), acme.apiKey());
            ConsoleSteps.search(browser, "alice", "aurora borealis polar night");
            browser.waitUntil("alpha.txt found", () -> browser.visibleText().contains("alpha.txt")
                    && browser.visibleText().contains("aurora borealis"), WAIT);
            browser.screenshot("console search");
        }
    }

    @Test
    void aSyncUrlPicksMoreWithoutOAuthAndBadLinksShowTheErrorPage() {
        try (DriveAccount drive = account();
             TestServer server = TestServer.start(DatabaseKind.POSTGRESQL, dir, drive::configure)) {
            TestServer.OrgHandle acme = server.newOrganization("Acme");
            Reply branded = acme.client().post("/organization/update", Map.of("remove_branding", true,
                    "custom_branding", Map.of("name", "Acme Files", "primary_color", "#ffcc00",
                            "logo", HostedPagesApiTest.PIXEL)));
            assertThat(branded.status()).as(branded.toString()).isEqualTo(200);
            Client alice = acme.asCustomer("alice");

            // Connected without opening the picker: it waits behind a button.
            browser.viewport(Viewport.DESKTOP);
            browser.open(oauthUrl(alice, Map.of()));
            browser.waitFor(By.id("allow"), WAIT).click();
            browser.waitFor(By.id("open-picker"), WAIT);
            assertThat(browser.driver().findElements(By.id("picker-title"))).isEmpty();
            assertThat(browser.driver().findElement(By.cssSelector("header img.logo")).getAttribute("alt")).isEqualTo("Acme Files");
            assertThat(browser.visibleText()).doesNotContain("Powered by Catchment");
            browser.screenshot("connected branded");
            Accessibility.assertAccessible(browser, "connected, branded");

            // The sync URL: no provider round trip, the picker opens at once, at phone size.
            int tokenRequests = drive.oauth.tokenRequests();
            String sync = oauthUrl(alice, Map.of());
            assertThat(sync).contains("/integrations/sync/");
            browser.viewport(Viewport.PHONE);
            browser.open(sync);
            browser.waitFor(By.id("picker-title"), WAIT);
            waitForItem("gamma.txt");
            browser.screenshot("sync url picker phone");
            Accessibility.assertAccessible(browser, "picker at phone size");
            checkboxOf("gamma.txt").click();
            checkboxOf("broken.pdf").click();
            browser.driver().findElement(By.id("sync-selected")).click();
            browser.waitUntil("gamma.txt READY, broken.pdf failed", () -> "READY".equals(progress().get("gamma.txt"))
                    && "SYNC_ERROR".equals(progress().get("broken.pdf")), Duration.ofSeconds(120));
            WebElement failed = browser.driver().findElement(By.cssSelector("#progress-list > li[data-status=SYNC_ERROR]"));
            String error = failed.findElement(By.cssSelector(".error-text")).getText();
            assertThat(error).as("the file's error, shown with it").isNotBlank();
            browser.waitUntil("the summary counts the failure", () -> browser.driver().findElement(By.id("progress-summary"))
                    .getText().equals("Done: 1 of 2 ready, 1 failed."), WAIT);
            browser.screenshot("sync url progress phone");
            assertThat(drive.oauth.tokenRequests()).as("no OAuth").isEqualTo(tokenRequests);
            JsonNode stored = alice.post("/user_files_v2", Map.of()).json().get("results");
            assertThat(names(alice.post("/user_files_v2", Map.of()))).containsExactlyInAnyOrder("gamma.txt", "broken.pdf");
            assertThat(java.util.stream.StreamSupport.stream(stored.spliterator(), false)
                    .filter(f -> f.get("name").asText().equals("broken.pdf")).findFirst().orElseThrow()
                    .get("sync_error_message").asText()).isEqualTo(error);
            assertThat(browser.consoleErrors()).isEmpty();
            browser.viewport(Viewport.DESKTOP);

            // The same sync URL again: used.
            browser.open(sync);
            errorPage("Link no longer valid", "already used", "Ask the application for a new one.");
            browser.screenshot("sync url reused");
            Accessibility.assertAccessible(browser, "error page");

            // Consent refused at the provider.
            browser.open(oauthUrl(alice, Map.of("connecting_new_account", true)));
            browser.waitFor(By.id("deny"), WAIT).click();
            errorPage("Not connected", "Access was not granted", "start again and allow access");
            browser.screenshot("consent denied");

            // A sync URL opened too late.
            String late = oauthUrl(alice, Map.of());
            server.clock().advance(Duration.ofMinutes(31));
            browser.open(late);
            errorPage("Link no longer valid", "expired", "Ask the application for a new one.");
            browser.screenshot("sync url expired");
        }
    }

    // ------------------------------------------------------------------------------------------------

    private static String oauthUrl(Client alice, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(extra);
        body.put("service", "GOOGLE_DRIVE");
        Reply r = alice.post("/integrations/oauth_url", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("oauth_url").asText();
    }

    /** An error page: its title, what went wrong (announced as an alert) and what to do next. */
    private static void errorPage(String title, String what, String whatToDo) {
        WebElement heading = browser.waitFor(By.id("outcome-title"), WAIT);
        assertThat(heading.getText()).isEqualTo(title);
        assertThat(browser.driver().findElement(By.cssSelector("[role=alert]")).getText()).contains(what);
        assertThat(browser.visibleText()).contains(whatToDo);
    }

    private static WebElement waitForItem(String name) {
        return browser.waitFor(By.xpath("//ul[@id='picker-tree']//label[text()='" + name + "']"), WAIT);
    }

    private static WebElement checkboxOf(String name) {
        WebElement label = waitForItem(name);
        return browser.driver().findElement(By.id(label.getAttribute("for")));
    }

    private static WebElement toggleOf(WebElement label) {
        return label.findElement(By.xpath("./preceding-sibling::button[contains(@class,'toggle')]"));
    }

    private static List<String> itemNames() {
        return browser.driver().findElements(By.cssSelector("#picker-tree > li label.name")).stream()
                .map(WebElement::getText).toList();
    }

    private static void search(String name, String format) {
        WebElement field = browser.driver().findElement(By.id("picker-search"));
        field.clear();
        field.sendKeys(name);
        new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("picker-format")))
                .selectByValue(format);
        field.sendKeys(Keys.ENTER);
    }

    private static Map<String, String> progress() {
        return browser.driver().findElements(By.cssSelector("#progress-list > li")).stream().collect(Collectors.toMap(
                li -> li.findElement(By.cssSelector(".name")).getText(), li -> li.getAttribute("data-status"), (a, b) -> a));
    }

    private static List<String> names(Reply files) {
        assertThat(files.status()).as(files.toString()).isEqualTo(200);
        return java.util.stream.StreamSupport.stream(files.json().get("results").spliterator(), false)
                .filter(f -> !f.path("file_statistics").path("file_format").isNull()
                        && !f.path("file_statistics").path("file_format").isMissingNode())
                .map(f -> f.get("name").asText()).toList();
    }
}
