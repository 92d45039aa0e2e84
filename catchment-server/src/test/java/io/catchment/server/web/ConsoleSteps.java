package io.catchment.server.web;

import io.catchment.server.browser.BrowserSession;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** What an admin does in the console, as steps other page tests reuse. */
final class ConsoleSteps {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private ConsoleSteps() {}

    static void signIn(BrowserSession browser, String baseUrl, String apiKey) {
        browser.open(baseUrl + "/console");
        WebElement key = browser.waitFor(By.id("api-key"), WAIT);
        key.sendKeys(apiKey);
        browser.driver().findElement(By.id("sign-in-button")).click();
        browser.waitFor(By.id("org-name"), WAIT);
    }

    static void chooseCustomer(BrowserSession browser, String customer) {
        browser.waitFor(By.id("tab-customers"), WAIT).click();
        WebElement filter = browser.waitFor(By.id("customer-filter"), WAIT);
        filter.clear();
        filter.sendKeys(customer + "\n");
        // The table re-renders as it loads: find the row's button afresh until the choice shows.
        browser.waitUntil("customer " + customer + " chosen", () -> {
            var choose = browser.driver().findElements(By.cssSelector("tr[data-customer='" + customer + "'] button"));
            if (choose.isEmpty()) return false;
            if (!"true".equals(choose.getFirst().getAttribute("aria-pressed"))) choose.getFirst().click();
            return browser.driver().findElement(By.id("current-customer")).getText().contains(customer);
        }, WAIT);
    }

    static void search(BrowserSession browser, String customer, String query) {
        chooseCustomer(browser, customer);
        browser.waitFor(By.id("tab-search"), WAIT).click();
        WebElement field = browser.waitFor(By.id("search-query"), WAIT);
        field.clear();
        field.sendKeys(query);
        browser.driver().findElement(By.id("search-submit")).click();
    }
}
