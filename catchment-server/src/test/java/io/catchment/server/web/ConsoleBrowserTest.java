package io.catchment.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.server.OAuthSettings;
import io.catchment.server.browser.Accessibility;
import io.catchment.server.browser.BrowserSession;
import io.catchment.server.browser.Viewport;
import io.catchment.server.support.Client;
import io.catchment.server.support.Files;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testing.sources.FakeS3;
import io.catchment.testing.webhooks.FakeWebhookReceiver;
import io.catchment.tenancy.NewApiKey;
import io.catchment.testsupport.DatabaseKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The operator console in a real browser, against a whole server seeded through the public API:
 * signing in (a refused key first), customers with paging, a customer's data source with its sync
 * counts, files (filter, the failing file's error, resync, delete with the inline confirmation),
 * webhooks and their delivery log, and the search playground. Every view is screenshotted and
 * checked for accessibility; the key is kept in session storage only and the console logs nothing
 * but the refusals the test provokes on purpose.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String S3_KEY = "AKIAIOSFODNN7EXAMPLE";
    static final String S3_SECRET = "console-secret-0123456789abcdefgh";
    static final String STORED_KEY = "catchment.console.api-key";
    static final String FERRIES = "The harbour ferry to Lindholm leaves every twenty minutes from pier four, "
            + "and the last crossing of the evening is at eleven.";
    static final String TIDES = "Spring tides in the estuary rise almost seven metres, so the mudflats flood quickly.";
    static final String SCRATCH = "A scratch note about repainting the old boathouse door in a dark green.";
    static final String LIGHTHOUSE = "The lighthouse keeper's log records storms, passing ships and the oil delivered each month.";

    FakeS3 s3;
    FakeWebhookReceiver receiver;
    TestServer server;
    TestServer.OrgHandle acme;
    Client alice;
    BrowserSession browser;
    String base;
    long webhookId;
    String signingKey;
    final Map<String, Long> files = new HashMap<>();
    /** A request the test has the API refuse on purpose: the browser logs it as a console error. */
    record Refusal(String path, int status) {}

    final List<Refusal> provoked = new ArrayList<>();

    @BeforeAll
    void seed(@TempDir Path dir) {
        s3 = new FakeS3(S3_KEY, S3_SECRET, "us-east-1", Clock.systemUTC()).withBuckets("harbour-docs");
        s3.putObject("harbour-docs", "handbook/lighthouse.txt", LIGHTHOUSE);
        receiver = new FakeWebhookReceiver();
        server = TestServer.start(DatabaseKind.H2, dir, c -> c.withUrlAllowlist(Set.of("127.0.0.1"))
                .withOAuth(new OAuthSettings(Map.of(), Map.of(), Map.of("s3", s3.baseUrl().toString()))));
        base = server.baseUrl();
        acme = server.newOrganization("Acme Harbour");
        alice = acme.asCustomer("alice");

        Reply hook = acme.client().post("/add_webhook", Map.of("url", receiver.url("console")));
        assertThat(hook.status()).as(hook.toString()).isEqualTo(200);
        webhookId = hook.json().get("id").asLong();
        signingKey = hook.json().get("signing_key").asText();

        files.put("ferries.txt", upload(alice, "ferries.txt", FERRIES));
        files.put("tides.txt", upload(alice, "tides.txt", TIDES));
        files.put("scratch.txt", upload(alice, "scratch.txt", SCRATCH));
        files.put("scan.png", upload(alice, "scan.png", "not really a png"));
        upload(acme.asCustomer("bob"), "bob.txt", "Bob keeps his own notes about the regatta.");
        for (String name : List.of("ferries.txt", "tides.txt", "scratch.txt")) Files.awaitReady(alice, files.get(name));
        JsonNode failed = Files.awaitFinal(alice, files.get("scan.png"), Duration.ofSeconds(90));
        assertThat(failed.get("sync_status").asText()).isEqualTo("SYNC_ERROR");
        Reply tagged = alice.post("/create_user_file_tags", Map.of("organization_user_file_id", files.get("ferries.txt"),
                "tags", Map.of("team", "harbour")));
        assertThat(tagged.status()).as(tagged.toString()).isEqualTo(200);

        // A connected S3 bucket with one synced file, so the data source has counts to show.
        Reply s3Connect = alice.post("/integrations/s3", Map.of("access_key", S3_KEY, "access_key_secret", S3_SECRET));
        assertThat(s3Connect.status()).as(s3Connect.toString()).isEqualTo(200);
        long dataSource = s3Connect.json().get("id").asLong();
        awaitDataSource(dataSource, d -> "READY".equals(d.get("sync_status").asText()) && !d.get("source_items_synced_at").isNull());
        Reply sync = alice.post("/integrations/s3/files", Map.of("data_source_id", dataSource,
                "ids", List.of(Map.of("bucket", "harbour-docs", "prefix", "handbook/"))));
        assertThat(sync.status()).as(sync.toString()).isEqualTo(200);
        awaitDataSource(dataSource, d -> d.get("sync_progress").get("files_ready").asLong() >= 1
                && d.get("sync_progress").get("files_queued").asLong() == 0
                && d.get("sync_progress").get("files_syncing").asLong() == 0);

        // More customers than one page holds, created after alice and bob (the newest come first).
        for (int i = 1; i <= 10; i++) {
            Reply r = acme.asCustomer("guest-%02d".formatted(i)).get("/whoami");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        awaitDelivered(2);
        browser = BrowserSession.start(ConsoleBrowserTest.class);
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
        if (receiver != null) receiver.close();
        if (s3 != null) s3.close();
    }

    // ---- the steps ------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aRefusedKeyIsShownThenTheRightOneSignsIn() {
        browser.open(base + "/console");
        WebElement key = browser.waitFor(By.id("api-key"), WAIT);
        assertThat(key.getAttribute("type")).isEqualTo("password");
        assertThat(key.getAttribute("autocomplete")).isEqualTo("off");
        assertThat(browser.driver().findElement(By.cssSelector("label[for=api-key]")).getText()).isEqualTo("API key");
        browser.screenshot("sign-in");
        Accessibility.assertAccessible(browser, "console: sign in");

        key.sendKeys("not-a-real-key");
        click(By.id("sign-in-button"));
        provoked.add(new Refusal("/organization", 401));
        WebElement alert = browser.waitFor(By.cssSelector("#sign-in-notice [role=alert]"), WAIT);
        assertThat(alert.getText()).contains("Invalid API key (unknown or revoked)");
        assertThat(alert.getAttribute("class")).contains("notice").contains("error");
        assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
        browser.screenshot("sign-in-refused");

        WebElement field = browser.driver().findElement(By.id("api-key"));
        field.clear();
        field.sendKeys(acme.apiKey());
        click(By.id("sign-in-button"));
        assertThat(browser.waitFor(By.id("org-name"), WAIT).getText()).isEqualTo("Acme Harbour");
        assertThat(browser.script("return sessionStorage.getItem(arguments[0])", STORED_KEY)).isEqualTo(acme.apiKey());
        assertKeyOnlyInSessionStorage();
        assertThat(browser.driver().findElements(By.id("api-key"))).as("the form is gone").isEmpty();

        // A reload keeps the session (this tab's storage), and the section in the address.
        click(By.id("tab-webhooks"));
        browser.driver().navigate().refresh();
        browser.waitUntil("the webhooks view again", () -> "Webhooks".equals(text("view-title")), WAIT);
        assertThat(text("org-name")).isEqualTo("Acme Harbour");
        assertOnlyProvokedConsoleErrors();
    }

    @Test
    @Order(2)
    void customersArePagedAndOneIsChosen() {
        show("customers", "Customers");
        browser.waitUntil("a full first page of customers", () -> rows("#customers-table tbody tr").size() == 10, WAIT);
        assertThat(text("customers-status")).isEqualTo("Showing 1–10 of 12 customers.");
        assertThat(rows("#customers-table tbody tr").getFirst().getAttribute("data-customer")).isEqualTo("guest-10");
        assertThat(button("#customers-pager", "Previous").isEnabled()).isFalse();
        browser.screenshot("customers");
        Accessibility.assertAccessible(browser, "console: customers");

        button("#customers-pager", "Next").click();
        browser.waitUntil("the second page", () -> text("customers-status").equals("Showing 11–12 of 12 customers."), WAIT);
        assertThat(rows("#customers-table tbody tr")).extracting(r -> r.getAttribute("data-customer"))
                .containsExactly("bob", "alice");
        assertThat(button("#customers-pager", "Next").isEnabled()).isFalse();

        click(By.cssSelector("tr[data-customer=alice] button"));
        browser.waitUntil("alice to be the current customer", () -> text("current-customer").equals("Current customer: alice"), WAIT);
        assertThat(browser.driver().findElement(By.cssSelector("tr[data-customer=alice] button")).getAttribute("aria-pressed"))
                .isEqualTo("true");
        browser.waitFor(By.id("customer-facts"), WAIT);
        JsonNode user = acme.client().post("/user", Map.of("customer_id", "alice")).json();
        assertThat(fact("Data sources")).isEqualTo("1");
        assertThat(fact("Ready files")).isEqualTo(user.get("num_files_synced").asText());
        assertThat(fact("Tokens")).isEqualTo(user.get("num_tokens_synced").asText());
        browser.screenshot("customer-chosen");

        // Finding one customer by id.
        WebElement filter = browser.driver().findElement(By.id("customer-filter"));
        filter.sendKeys("bob", Keys.ENTER);
        browser.waitUntil("only bob", () -> rows("#customers-table tbody tr").size() == 1
                && "bob".equals(rows("#customers-table tbody tr").getFirst().getAttribute("data-customer")), WAIT);
        click(By.id("customers-all"));
        browser.waitUntil("every customer again", () -> rows("#customers-table tbody tr").size() == 10, WAIT);
        assertOnlyProvokedConsoleErrors();
    }

    @Test
    @Order(3)
    void theCustomersDataSourceShowsItsSyncCounts() {
        chooseAlice();
        show("sources", "Data sources");
        WebElement row = browser.waitFor(By.cssSelector("#sources-table tbody tr"), WAIT);
        assertThat(rows("#sources-table tbody tr")).hasSize(1);
        String text = row.getText();
        JsonNode progress = alice.post("/user_data_sources", Map.of()).json().get("results").get(0).get("sync_progress");
        assertThat(progress.get("files_ready").asLong()).isPositive();
        assertThat(text).contains("S3").contains("alice").contains(S3_KEY).contains("region: us-east-1")
                .contains("%d ready, 0 failed, 0 queued, 0 syncing (%d in all)".formatted(
                        progress.get("files_ready").asLong(), progress.get("files_total").asLong()));
        assertThat(row.findElement(By.cssSelector(".badge")).getText()).isEqualTo("ready");
        assertThat(row.getText()).contains("Connected");
        browser.screenshot("data-sources");
        Accessibility.assertAccessible(browser, "console: data sources");

        // Every customer's: still the one, since only alice connected anything.
        new Select(browser.driver().findElement(By.id("sources-scope"))).selectByValue("all");
        click(By.cssSelector("#view form button[type=submit]"));
        browser.waitUntil("the organization's data sources", () -> text("sources-status").equals("Showing 1–1 of 1 data source."), WAIT);
        assertOnlyProvokedConsoleErrors();
    }

    @Test
    @Order(4)
    void filesAreFilteredResyncedAndDeleted() {
        chooseAlice();
        show("files", "Files of alice");
        browser.waitUntil("alice's files", () -> rows("#files-table tbody tr").size() >= 5, WAIT);

        // The failing file, by status, with its error in red.
        new Select(browser.driver().findElement(By.id("files-status"))).selectByValue("SYNC_ERROR");
        click(By.id("files-apply"));
        browser.waitUntil("only the failing file", () -> fileRowNames().equals(List.of("scan.png")), WAIT);
        WebElement error = browser.driver().findElement(By.cssSelector("#files-table tbody tr .error-text"));
        String expected = Files.awaitFinal(alice, files.get("scan.png"), WAIT).get("sync_error_message").asText();
        assertThat(error.getText()).isNotBlank().isEqualTo(expected);
        assertThat(error.getCssValue("color")).isEqualTo("rgba(164, 14, 38, 1)");
        assertThat(rows("#files-table tbody tr").getFirst().findElement(By.cssSelector(".badge")).getText()).isEqualTo("sync error");
        browser.screenshot("files-sync-error");

        // By name.
        click(By.id("files-reset"));
        browser.driver().findElement(By.id("files-name")).sendKeys("ferr", Keys.ENTER);
        browser.waitUntil("only ferries.txt", () -> fileRowNames().equals(List.of("ferries.txt")), WAIT);
        click(By.id("files-reset"));
        browser.waitUntil("every file again", () -> fileRowNames().size() >= 5, WAIT);
        browser.screenshot("files");
        Accessibility.assertAccessible(browser, "console: files");

        // Resync: the file is processed again and the console follows it back to READY.
        long tides = files.get("tides.txt");
        String lastSync = Files.awaitReady(alice, tides).get("updated_at").asText();
        server.clock().advance(Duration.ofMinutes(1)); // the test clock stands still otherwise
        click(By.cssSelector("[data-focus-key=resync-" + tides + "]"));
        browser.waitUntil("the resync to be announced and tides.txt ready again", () -> liveRegion().equals("tides.txt is ready.")
                && "READY".equals(fileRow(tides).getAttribute("data-status")), WAIT);
        assertThat(Files.awaitReady(alice, tides).get("updated_at").asText()).as("processed again").isNotEqualTo(lastSync);

        // Delete, with the inline confirmation: Escape backs out, then the keyboard confirms.
        long scratch = files.get("scratch.txt");
        click(By.cssSelector("[data-focus-key=delete-" + scratch + "]"));
        browser.waitFor(By.id("confirm-" + scratch), WAIT);
        assertThat(focusKey()).as("focus moves into the confirmation").isEqualTo("cancel-" + scratch);
        assertThat(text("confirm-text-" + scratch)).startsWith("Delete “scratch.txt”?");
        browser.screenshot("files-confirm-delete");
        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.waitUntil("the confirmation to close", () -> browser.driver().findElements(By.id("confirm-" + scratch)).isEmpty(), WAIT);
        assertThat(focusKey()).as("focus returns to the Delete button").isEqualTo("delete-" + scratch);
        assertThat(fileRowNames()).contains("scratch.txt");

        browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.waitFor(By.id("confirm-" + scratch), WAIT);
        browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
        assertThat(focusKey()).isEqualTo("confirm-" + scratch);
        browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.waitUntil("scratch.txt to leave the table", () -> !fileRowNames().contains("scratch.txt"), WAIT);
        assertThat(liveRegion()).isEqualTo("Deleted scratch.txt.");
        Reply gone = alice.post("/user_files_v2", Map.of("filters", Map.of("ids", List.of(scratch))));
        assertThat(gone.json().get("count").asLong()).as("deleted through the API").isZero();
        assertThat(Files.awaitReady(alice, files.get("ferries.txt")).get("id").asLong()).as("nothing else").isPositive();
        browser.screenshot("files-after-delete");
        assertOnlyProvokedConsoleErrors();
    }

    @Test
    @Order(5)
    void webhooksShowTheirDeliveryLog() {
        show("webhooks", "Webhooks");
        WebElement row = browser.waitFor(By.cssSelector("tr[data-webhook-id='" + webhookId + "']"), WAIT);
        assertThat(row.getText()).contains(receiver.url("console")).contains("active").contains("All events");
        row.findElement(By.tagName("button")).click();
        browser.waitUntil("delivered rows", () -> !rows("#deliveries-table tbody tr[data-status=DELIVERED]").isEmpty(), WAIT);
        assertThat(browser.script("return document.activeElement.id")).isEqualTo("deliveries-title");
        WebElement delivered = rows("#deliveries-table tbody tr[data-status=DELIVERED]").getFirst();
        assertThat(delivered.getText()).contains("delivered").contains("200");
        assertThat(delivered.findElements(By.tagName("td")).get(1).getText()).matches("[A-Z_]+");
        assertThat(browser.visibleText()).doesNotContain(signingKey);
        assertThat((String) browser.script("return document.documentElement.outerHTML")).doesNotContain(signingKey);
        screenshotFrom("deliveries-title", "webhooks-deliveries");
        Accessibility.assertAccessible(browser, "console: webhooks");

        new Select(browser.driver().findElement(By.id("deliveries-status"))).selectByValue("FAILED");
        click(By.id("deliveries-refresh"));
        browser.waitUntil("no failed deliveries", () -> text("deliveries-status-line").equals("No failed deliveries."), WAIT);
        assertOnlyProvokedConsoleErrors();
    }

    @Test
    @Order(6)
    void theSearchPlaygroundFindsScoresAndFilters() {
        chooseAlice();
        show("search", "Search alice’s files");
        WebElement query = browser.waitFor(By.id("search-query"), WAIT);
        query.sendKeys("When does the ferry to Lindholm leave?");
        WebElement k = browser.driver().findElement(By.id("search-k"));
        k.clear();
        k.sendKeys("3");
        search();
        assertThat(text("search-status")).matches("[123] results? for “When does the ferry to Lindholm leave\\?”\\.");
        WebElement first = rows("#search-results li").getFirst();
        assertThat(first.getText()).contains("ferries.txt").contains("#1").contains(FERRIES)
                .contains("File " + files.get("ferries.txt"));
        assertThat(first.findElement(By.cssSelector(".score")).getText()).matches("score -?\\d+\\.\\d{4}");
        assertThat(rows("#search-results li").size()).isBetween(1, 3);
        screenshotFrom("search-submit", "search");
        Accessibility.assertAccessible(browser, "console: search");

        // Hybrid, with weights that keep adding up to one.
        click(By.id("search-hybrid"));
        WebElement weightA = browser.driver().findElement(By.id("search-weight-a"));
        weightA.clear();
        weightA.sendKeys("0.7");
        assertThat(browser.driver().findElement(By.id("search-weight-b")).getAttribute("value")).isEqualTo("0.3");
        search();
        assertThat(rows("#search-results li")).isNotEmpty();
        assertThat(rows("#search-results li").getFirst().getText()).contains("ferries.txt");

        // tags_v2: the tag finds the file; a filter no file matches finds nothing.
        tags("{\"AND\": [{\"key\": \"team\", \"value\": \"harbour\"}]}");
        search();
        assertThat(rows("#search-results li")).hasSize(1);
        assertThat(rows("#search-results li").getFirst().getText()).contains("ferries.txt").contains("team=harbour");
        tags("{\"AND\": [{\"key\": \"team\", \"value\": \"lighthouse\"}]}");
        search();
        assertThat(text("search-empty")).isEqualTo("No results.");
        assertThat(text("search-status")).startsWith("No results for");
        screenshotFrom("search-tags", "search-no-results");

        // Bad JSON never reaches the API; a filter the API refuses comes back readable.
        tags("{\"AND\": [");
        click(By.id("search-submit"));
        WebElement parse = browser.waitFor(By.id("search-tags-error"), WAIT);
        assertThat(parse.getText()).startsWith("tags_v2 is not valid JSON: ").hasSizeGreaterThan(30);
        assertThat(browser.script("return document.activeElement.id")).isEqualTo("search-tags");
        assertThat(browser.driver().findElement(By.id("search-tags")).getAttribute("aria-invalid")).isEqualTo("true");
        browser.screenshot("search-bad-json");

        tags("{\"NOT\": [{\"key\": \"team\", \"value\": \"harbour\"}]}");
        click(By.id("search-submit"));
        provoked.add(new Refusal("/embeddings", 422));
        WebElement refused = browser.waitFor(By.cssSelector("#search-error [role=alert]"), WAIT);
        assertThat(refused.getText()).startsWith("The search was refused: tags_v2: ")
                .contains("a single key, AND or OR");
        assertThat(browser.driver().findElement(By.id("search-tags-error")).isDisplayed()).isFalse();
        browser.screenshot("search-refused");
        assertOnlyProvokedConsoleErrors();
    }

    @Test
    @Order(7)
    void theConsoleWorksAtPhoneSize() {
        chooseAlice();
        browser.viewport(Viewport.PHONE);
        try {
            show("files", "Files of alice");
            browser.waitUntil("alice's files", () -> fileRowNames().size() >= 4, WAIT);
            assertThat((Boolean) browser.script("return document.documentElement.scrollWidth <= window.innerWidth"))
                    .as("the page itself does not scroll sideways").isTrue();
            WebElement wrap = browser.driver().findElement(By.cssSelector("#files-list .table-wrap"));
            assertThat((Boolean) browser.script("return arguments[0].scrollWidth > arguments[0].clientWidth", wrap))
                    .as("the table scrolls inside its wrapper").isTrue();
            browser.waitUntil("the scrolling table to be a focusable region",
                    () -> "0".equals(wrap.getAttribute("tabindex")), WAIT);
            browser.screenshot("files-phone");
            Accessibility.assertAccessible(browser, "console: files at phone size");
        } finally {
            browser.viewport(Viewport.DESKTOP);
        }
    }

    @Test
    @Order(8)
    void signingOutForgetsTheKey() {
        signedIn();
        click(By.id("sign-out"));
        browser.waitFor(By.id("api-key"), WAIT);
        assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
        assertThat(browser.script("return localStorage.length")).isEqualTo(0L);
        assertThat(browser.script("return document.cookie")).isEqualTo("");
        assertThat(text("sign-in-notice")).isEqualTo("You are signed out.");
        browser.screenshot("signed-out");

        // A key revoked while in use ends the session at the next request, saying why.
        NewApiKey second = server.catchment().apiKeys().create(acme.id(), "console");
        browser.driver().findElement(By.id("api-key")).sendKeys(second.secret());
        click(By.id("sign-in-button"));
        browser.waitFor(By.id("org-name"), WAIT);
        browser.waitUntil("the customers view's requests to finish",
                () -> text("customers-status").startsWith("Showing"), WAIT);
        assertThat(server.catchment().apiKeys().revoke(acme.id(), second.key().id())).isTrue();
        click(By.id("tab-webhooks"));
        provoked.add(new Refusal("/webhooks", 401));
        WebElement refused = browser.waitFor(By.cssSelector("#sign-in-notice [role=alert]"), WAIT);
        assertThat(refused.getText()).isEqualTo("Your API key was refused: Invalid API key (unknown or revoked). Sign in again.");
        assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
        assertThat(browser.script("return document.activeElement.id")).isEqualTo("api-key");
        browser.screenshot("key-revoked");
        assertOnlyProvokedConsoleErrors();
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** Signed in, on the console (signs in when a step runs on its own). */
    void signedIn() {
        if (!browser.currentUrl().startsWith(base + "/console")) browser.open(base + "/console");
        browser.waitUntil("the console", () -> !browser.driver().findElements(By.id("org-name")).isEmpty()
                || !browser.driver().findElements(By.id("api-key")).isEmpty(), WAIT);
        if (browser.driver().findElements(By.id("org-name")).isEmpty()) {
            browser.driver().findElement(By.id("api-key")).sendKeys(acme.apiKey());
            click(By.id("sign-in-button"));
            browser.waitFor(By.id("org-name"), WAIT);
        }
    }

    void chooseAlice() {
        signedIn();
        if (text("current-customer").equals("Current customer: alice")) return;
        show("customers", "Customers");
        WebElement filter = browser.waitFor(By.id("customer-filter"), WAIT);
        filter.clear();
        filter.sendKeys("alice", Keys.ENTER);
        browser.waitFor(By.cssSelector("tr[data-customer=alice] button"), WAIT).click();
        browser.waitUntil("alice to be current", () -> text("current-customer").equals("Current customer: alice"), WAIT);
    }

    /** Opens a view from the tabs: it is marked current and its heading takes the focus. */
    void show(String view, String heading) {
        signedIn();
        click(By.id("tab-" + view));
        browser.waitUntil("the " + view + " view", () -> heading.equals(text("view-title")), WAIT);
        assertThat(browser.driver().findElement(By.id("tab-" + view)).getAttribute("aria-current")).isEqualTo("page");
        assertThat(browser.driver().findElements(By.cssSelector("nav.tabs [aria-current=page]"))).hasSize(1);
        assertThat(browser.script("return document.activeElement.id")).isEqualTo("view-title");
    }

    String fact(String name) {
        return browser.driver().findElement(By.xpath("//dl[@id='customer-facts']/dt[.='" + name + "']/following-sibling::dd[1]"))
                .getText();
    }

    /** A screenshot with the element {@code id} at the top of the viewport. */
    void screenshotFrom(String id, String name) {
        browser.script("document.getElementById(arguments[0]).scrollIntoView({block: 'start'})", id);
        browser.screenshot(name);
    }

    void click(By by) {
        browser.waitFor(by, WAIT).click();
    }

    String text(String id) {
        List<WebElement> found = browser.driver().findElements(By.id(id));
        return found.isEmpty() ? "" : found.getFirst().getText();
    }

    List<WebElement> rows(String css) {
        return browser.driver().findElements(By.cssSelector(css));
    }

    WebElement button(String container, String text) {
        return browser.driver().findElements(By.cssSelector(container + " button")).stream()
                .filter(b -> b.getText().startsWith(text)).findFirst().orElseThrow();
    }

    WebElement fileRow(long id) {
        return browser.driver().findElement(By.cssSelector("#files-table tr[data-file-id='" + id + "']"));
    }

    List<String> fileRowNames() {
        return rows("#files-table tbody tr[data-file-id]").stream()
                .map(r -> r.findElement(By.tagName("td")).getText().lines().findFirst().orElse("")).toList();
    }

    String focusKey() {
        return String.valueOf(browser.script("return document.activeElement.dataset.focusKey"));
    }

    String liveRegion() {
        Object text = browser.script("const r = document.querySelector('body > [role=status][aria-live=polite]');"
                + " return r ? r.textContent : '';");
        return String.valueOf(text);
    }

    /** Submits the search form and waits for its answer (the status line is blanked first). */
    void search() {
        browser.script("document.getElementById('search-status').textContent = ''");
        click(By.id("search-submit"));
        browser.waitUntil("the search's answer", () -> {
            String status = text("search-status");
            return !status.isEmpty() && !status.equals("Searching…");
        }, WAIT);
    }

    void tags(String json) {
        WebElement tags = browser.driver().findElement(By.id("search-tags"));
        tags.clear();
        tags.sendKeys(json);
    }

    void assertKeyOnlyInSessionStorage() {
        assertThat(browser.script("return localStorage.length")).isEqualTo(0L);
        assertThat(browser.script("return document.cookie")).isEqualTo("");
    }

    /** The browser logs refused requests as errors; only the ones the test provoked may be there. */
    void assertOnlyProvokedConsoleErrors() {
        List<BrowserSession.ConsoleEntry> unexpected = browser.consoleErrors().stream()
                .filter(e -> provoked.stream().noneMatch(p -> e.message().contains(base + p.path() + " ")
                        && e.message().contains("status of " + p.status())))
                .toList();
        assertThat(unexpected).as("console errors").isEmpty();
    }

    static long upload(Client client, String name, String text) {
        Reply r = client.upload("/uploadfile", "file", name, text.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("id").asLong();
    }

    void awaitDataSource(long id, Predicate<JsonNode> done) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            Reply r = alice.post("/user_data_sources", Map.of("filters", Map.of("ids", List.of(id))));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            last = r.json().get("results").get(0);
            if (done.test(last)) return;
            pause();
        }
        throw new AssertionError("data source " + id + " did not get there; last: " + last);
    }

    void awaitDelivered(int atLeast) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        Reply r = null;
        while (Instant.now().isBefore(deadline)) {
            r = acme.client().post("/webhooks/deliveries", Map.of("webhook_id", webhookId, "status", "DELIVERED"));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            if (r.json().get("count").asLong() >= atLeast) return;
            pause();
        }
        throw new AssertionError("fewer than " + atLeast + " deliveries logged: " + r);
    }

    static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
