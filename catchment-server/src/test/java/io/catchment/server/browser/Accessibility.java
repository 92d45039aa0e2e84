package io.catchment.server.browser;

import java.util.List;

/**
 * Accessibility checks of the page a {@link BrowserSession} shows: axe-core's WCAG 2.0 and 2.1
 * level A and AA rules (labels, colour contrast, names of buttons and links, document title and
 * language, image alternatives, ...) and a keyboard walk ({@link FocusWalk}).
 *
 * <pre>{@code
 * browser.open(base + "/console");
 * Accessibility.assertAccessible(browser, "operator console");
 * }</pre>
 */
public final class Accessibility {
    /** The axe-core tags that select the rules: WCAG 2.0 and 2.1, levels A and AA. */
    public static final List<String> WCAG_TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    private Accessibility() {}

    /**
     * Checks the open page and fails, listing every axe violation (rule, impact, help, elements,
     * markup) and keyboard problem, unless there are none. Prints the summary and returns the report.
     */
    public static AccessibilityReport assertAccessible(BrowserSession session, String pageName) {
        AccessibilityReport report = check(session, pageName);
        System.out.println(report.summary());
        if (!report.passed()) throw new AssertionError(report.failureMessage());
        return report;
    }

    /** Checks the open page and returns what was found, without failing (to assert on the findings). */
    public static AccessibilityReport check(BrowserSession session, String pageName) {
        AxeScan.Result axe = AxeScan.run(session, WCAG_TAGS);
        FocusWalk.Result keyboard = FocusWalk.run(session);
        return new AccessibilityReport(pageName, session.currentUrl(), axe.version(), axe.passed(), axe.incomplete(),
                axe.violations(), keyboard.order(), keyboard.problems());
    }
}
