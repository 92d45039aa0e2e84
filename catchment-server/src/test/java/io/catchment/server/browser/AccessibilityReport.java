package io.catchment.server.browser;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@link Accessibility} found on one page: axe-core's rules (passed, needing a human's review,
 * broken) and the keyboard walk (the focus order and its problems).
 *
 * @param rulesIncomplete rules axe could not decide (for example contrast over an image): look at the screenshot
 */
public record AccessibilityReport(String page, String url, String axeVersion, List<String> rulesPassed,
                                  List<String> rulesIncomplete, List<AxeViolation> violations,
                                  List<FocusStop> focusOrder, List<FocusProblem> focusProblems) {
    private static final int HTML_EXCERPT = 160;

    public AccessibilityReport {
        rulesPassed = List.copyOf(rulesPassed);
        rulesIncomplete = List.copyOf(rulesIncomplete);
        violations = List.copyOf(violations);
        focusOrder = List.copyOf(focusOrder);
        focusProblems = List.copyOf(focusProblems);
    }

    /** No axe violation and no keyboard problem. */
    public boolean passed() {
        return violations.isEmpty() && focusProblems.isEmpty();
    }

    /** The ids of the axe rules the page breaks. */
    public List<String> violatedRules() {
        return violations.stream().map(AxeViolation::rule).toList();
    }

    /** The keyboard problems of one kind. */
    public List<FocusProblem> focusProblems(FocusProblem.Kind kind) {
        return focusProblems.stream().filter(p -> p.kind() == kind).toList();
    }

    /** A few lines for the test log: rules passed, what to review, the focus order. */
    public String summary() {
        return "Accessibility of " + page + " (" + url + "): " + (passed() ? "OK" : "FAILED") + "\n"
                + "  axe-core " + axeVersion + " (" + String.join(", ", Accessibility.WCAG_TAGS) + "): "
                + rulesPassed.size() + " rules passed, " + violations.size() + " violated"
                + (rulesIncomplete.isEmpty() ? "" : ", to review by eye: " + String.join(", ", rulesIncomplete)) + "\n"
                + "    passed: " + String.join(", ", rulesPassed) + "\n"
                + "  focus order (" + focusOrder.size() + "): "
                + focusOrder.stream().map(FocusStop::element).collect(Collectors.joining(" -> "))
                + (focusProblems.isEmpty() ? "" : "\n  keyboard problems: " + focusProblems.size());
    }

    /** Every violation and keyboard problem, with the elements and how to fix them. */
    public String failureMessage() {
        StringBuilder out = new StringBuilder(page + " is not accessible (" + url + ")\n");
        if (!violations.isEmpty()) {
            out.append("axe-core ").append(axeVersion).append(" found ").append(violations.size())
                    .append(" violated rule(s):\n");
            for (AxeViolation v : violations) {
                out.append("  - ").append(v.rule()).append(" [").append(v.impact()).append("] ").append(v.help())
                        .append(" (").append(v.helpUrl()).append(")\n");
                for (AxeViolation.Node node : v.nodes()) {
                    String html = node.html().replaceAll("\\s+", " ");
                    out.append("      at ").append(String.join(" ", node.target())).append("  ")
                            .append(html.length() > HTML_EXCERPT ? html.substring(0, HTML_EXCERPT) + "..." : html).append('\n');
                    out.append("         ").append(node.failure().replaceAll("\\s*\\n\\s*", "; ")).append('\n');
                }
            }
        }
        if (!focusProblems.isEmpty()) {
            out.append("keyboard: ").append(focusProblems.size()).append(" problem(s):\n");
            for (FocusProblem p : focusProblems) out.append("  - ").append(p).append('\n');
        }
        out.append("focus order: ").append(focusOrder.stream().map(FocusStop::element).collect(Collectors.joining(" -> ")));
        return out.toString();
    }
}
