package io.catchment.server.browser;

import java.util.List;

/**
 * One axe-core rule the page breaks, and where.
 *
 * @param rule   axe's rule id ({@code label}, {@code color-contrast}, {@code button-name}, ...)
 * @param impact {@code minor}, {@code moderate}, {@code serious} or {@code critical}
 * @param help   what the rule asks for, in a sentence
 */
public record AxeViolation(String rule, String impact, String help, String helpUrl, List<Node> nodes) {
    /**
     * An element that breaks the rule.
     *
     * @param target  CSS selectors that find it (one per frame or shadow root on the way)
     * @param html    the start of its markup
     * @param failure axe's explanation of what to fix
     */
    public record Node(List<String> target, String html, String failure) {}

    public AxeViolation {
        nodes = List.copyOf(nodes);
    }
}
