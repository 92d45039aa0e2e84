package io.catchment.server.browser;

/**
 * An element the keyboard focus reached, pressing Tab from the top of the page.
 *
 * @param position     1 for the first element Tab reaches, 2 for the next, ...
 * @param element      the element, described ({@code button#allow "Allow"})
 * @param tabIndex     its tab index (above 0 only when the page sets a positive {@code tabindex})
 * @param focusVisible whether anything shows the focus (an outline, or a style that changed on focus)
 */
public record FocusStop(int position, String element, int tabIndex, boolean focusVisible) {
    @Override
    public String toString() {
        return element;
    }
}
