/**
 * Browser tests of the hosted pages, in a real browser: Debian's {@code chromium}, headless,
 * driven by Selenium through Debian's {@code chromedriver}.
 *
 * <ul>
 *   <li>{@link io.catchment.server.browser.BrowserSession}: one browser (start it once per test
 *       class), with waits that fail saying what the page showed, numbered screenshots under
 *       {@code target/browser-artifacts/<TestClass>/}, a phone-sized viewport, and the console's
 *       errors.
 *   <li>{@link io.catchment.server.browser.Accessibility}: axe-core's WCAG 2.1 A/AA rules plus a
 *       keyboard walk (Tab through the page: every control reached, in page order, with a visible
 *       focus indicator, no positive tabindex, no keyboard trap).
 * </ul>
 *
 * Nothing here is skipped: when chromium, chromedriver or axe-core ({@code compat/node_modules})
 * is missing, the test fails and says to run {@code .ci/install-deps}. Selenium Manager never
 * runs (both binaries are given explicitly). Not for HTTP-level checks of the pages (status,
 * headers, redirects): plain HTTP tests are faster and say more.
 */
package io.catchment.server.browser;
