package io.catchment.server.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * Runs axe-core ({@code compat/node_modules/axe-core/axe.min.js}, installed by {@code .ci/install-deps})
 * in the open page and reads its results.
 */
final class AxeScan {
    /** What axe found, by rule id. */
    record Result(String version, List<String> passed, List<String> incomplete, List<String> inapplicable,
                  List<AxeViolation> violations) {}

    private static final String AXE = "compat/node_modules/axe-core/axe.min.js";

    private static final String RUN = """
            const tags = arguments[0], done = arguments[arguments.length - 1];
            const text = (s) => s === undefined || s === null ? '' : String(s);
            axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
              .then(r => done({
                version: text(r.testEngine && r.testEngine.version),
                passes: r.passes.map(x => x.id),
                incomplete: r.incomplete.map(x => x.id),
                inapplicable: r.inapplicable.map(x => x.id),
                violations: r.violations.map(v => ({
                  id: v.id, impact: text(v.impact), help: text(v.help), helpUrl: text(v.helpUrl),
                  nodes: v.nodes.map(n => ({
                    target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : String(t)),
                    html: text(n.html), failure: text(n.failureSummary)}))}))}))
              .catch(e => done({error: text(e && (e.stack || e.message) || e)}));
            """;

    private static volatile String source;

    private AxeScan() {}

    static Result run(BrowserSession session, List<String> tags) {
        if (!Boolean.TRUE.equals(session.script("return typeof window.axe === 'object';"))) {
            session.script(axeSource());
            if (!Boolean.TRUE.equals(session.script("return typeof window.axe === 'object';"))) {
                throw session.failure("axe-core did not load into the page", null);
            }
        }
        Object answer = session.asyncScript(RUN, tags);
        if (!(answer instanceof Map<?, ?> r)) throw new AssertionError("axe-core answered " + answer);
        if (r.get("error") != null) throw session.failure("axe-core failed: " + r.get("error"), null);
        List<AxeViolation> violations = list(r.get("violations")).stream().map(AxeScan::violation).toList();
        return new Result(String.valueOf(r.get("version")), strings(r.get("passes")), strings(r.get("incomplete")),
                strings(r.get("inapplicable")), violations);
    }

    private static AxeViolation violation(Object raw) {
        Map<?, ?> v = (Map<?, ?>) raw;
        List<AxeViolation.Node> nodes = list(v.get("nodes")).stream().map(n -> (Map<?, ?>) n)
                .map(n -> new AxeViolation.Node(strings(n.get("target")), String.valueOf(n.get("html")),
                        String.valueOf(n.get("failure"))))
                .toList();
        return new AxeViolation(String.valueOf(v.get("id")), String.valueOf(v.get("impact")), String.valueOf(v.get("help")),
                String.valueOf(v.get("helpUrl")), nodes);
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    private static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }

    private static String axeSource() {
        String s = source;
        if (s == null) {
            try {
                s = Files.readString(RepoFiles.require(AXE, "axe-core is installed in compat/ by .ci/install-deps "
                        + "(npm ci): run .ci/install-deps"), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            source = s;
        }
        return s;
    }
}
