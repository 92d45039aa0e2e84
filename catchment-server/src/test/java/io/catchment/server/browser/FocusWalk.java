package io.catchment.server.browser;

import io.catchment.server.browser.FocusProblem.Kind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/**
 * A keyboard user's walk through the open page: Tab from the top until the focus leaves the page
 * or comes round again. Every visible, enabled {@code a[href]}, {@code button}, {@code input},
 * {@code select}, {@code textarea} and {@code [tabindex]} (not negative) must be reached (one
 * radio button per group), in page order, showing where the focus is; a positive
 * {@code tabindex} is a defect wherever it is. When a modal {@code <dialog>} is open, only its
 * controls count. Inside an iframe the walk sees only the frame (one stop); inside shadow roots
 * it sees the focused element.
 */
final class FocusWalk {
    /** The stops in the order Tab reached them, and what is wrong. */
    record Result(List<FocusStop> order, List<FocusProblem> problems) {}

    private static final String SETUP = """
            const SEL = 'a[href], button, input, select, textarea, [tabindex]';
            const W = window.__catchmentFocusWalk = {ids: new Map(), scroll: [window.scrollX, window.scrollY]};
            W.idOf = (el) => { if (!W.ids.has(el)) W.ids.set(el, W.ids.size); return W.ids.get(el); };
            W.all = Array.from(document.querySelectorAll('*'));
            const field = (el) => ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName);
            W.describe = (el) => {
              let d = el.tagName.toLowerCase();
              if (el.id) d += '#' + el.id;
              else if (el.getAttribute('name')) d += '[name="' + el.getAttribute('name') + '"]';
              if (el.tagName === 'INPUT') d += '[type=' + el.type + ']';
              const label = el.getAttribute('aria-label') || (el.labels && el.labels.length ? el.labels[0].innerText : '')
                  || (field(el) ? '' : el.innerText) || el.getAttribute('title') || el.getAttribute('placeholder') || '';
              const t = label.replace(/\\s+/g, ' ').trim();
              return t ? d + ' "' + (t.length > 40 ? t.slice(0, 40) + '...' : t) + '"' : d;
            };
            W.style = (el) => {
              for (const a of el.getAnimations()) if (a instanceof CSSTransition) a.finish();
              const s = getComputedStyle(el);
              const sides = ['Top', 'Right', 'Bottom', 'Left'];
              return {outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0, outlineColor: s.outlineColor,
                outline: [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset].join(' '),
                boxShadow: s.boxShadow,
                border: sides.map(k => [s['border' + k + 'Style'], s['border' + k + 'Width'], s['border' + k + 'Color']].join(' ')).join(','),
                background: s.backgroundColor + ' ' + s.backgroundImage,
                color: s.color, decoration: s.textDecorationLine + ' ' + s.textDecorationColor};
            };
            const transparent = (c) => c === 'transparent' || /rgba\\(.*,\\s*0\\)$/.test(c);
            W.missingIndicator = (before, now) => {
              if (now.outlineStyle !== 'none' && now.outlineWidth > 0 && !transparent(now.outlineColor)) return '';
              if (before) for (const k of ['outline', 'boxShadow', 'border', 'background', 'color', 'decoration']) {
                if (before[k] !== now[k]) return '';
              }
              return 'outline ' + now.outline + ', box-shadow ' + now.boxShadow
                  + (before ? '; no style changes on focus' : '');
            };
            const tabindex = (el) => {
              const t = el.getAttribute('tabindex');
              const n = t === null ? NaN : parseInt(t, 10);
              return Number.isNaN(n) ? null : n;
            };
            const modal = document.querySelector('dialog:modal');
            const usable = (el) => !el.matches(':disabled') && !el.closest('[inert]') && !(modal && !modal.contains(el))
                && !(el.tagName === 'INPUT' && el.type === 'hidden') && !((tabindex(el) ?? 0) < 0)
                && el.getClientRects().length > 0 && el.checkVisibility({visibilityProperty: true});

            // The top of the page: focus a temporary element before everything (removed at the first Tab).
            if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
            const start = document.createElement('span');
            start.tabIndex = -1;
            start.setAttribute('aria-hidden', 'true');
            start.style.cssText = 'position:fixed;top:0;left:0;width:1px;height:1px;overflow:hidden;outline:none';
            document.body.prepend(start);
            start.focus({preventScroll: true});
            W.start = start;

            W.unfocused = new Map();
            for (const el of W.all) if (el.tabIndex >= 0 || el.matches(SEL)) W.unfocused.set(el, W.style(el));
            const groups = new Map();
            for (const el of W.all) {
              if (!el.matches(SEL) || !usable(el)) continue;
              const radio = el.tagName === 'INPUT' && el.type === 'radio' && el.name;
              const key = radio ? 'radio:' + (el.form ? W.idOf(el.form) : '-') + ':' + el.name : 'el:' + W.idOf(el);
              if (!groups.has(key)) groups.set(key, {name: radio ? 'radio group "' + el.name + '"' : W.describe(el), ids: []});
              groups.get(key).ids.push(W.idOf(el));
            }
            const positive = Array.from(document.querySelectorAll('[tabindex]')).filter(el => (tabindex(el) ?? 0) > 0)
                .map(el => ({name: W.describe(el), tabindex: tabindex(el)}));
            return {expected: Array.from(groups.values()), positive: positive};
            """;

    private static final String STEP = """
            const W = window.__catchmentFocusWalk;
            if (!W) return {gone: true};
            if (W.start) { W.start.remove(); W.start = null; }
            let el = document.activeElement;
            if (!el || el === document.body || el === document.documentElement || !document.hasFocus()) return {none: true};
            while (el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
            return {id: W.idOf(el), dom: W.all.indexOf(el), name: W.describe(el), tabIndex: el.tabIndex,
              frame: el.tagName === 'IFRAME' || el.tagName === 'FRAME',
              missingIndicator: W.missingIndicator(W.unfocused.get(el), W.style(el))};
            """;

    private static final String FINISH = """
            const W = window.__catchmentFocusWalk;
            if (!W) return;
            if (W.start) W.start.remove();
            if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
            window.scrollTo(W.scroll[0], W.scroll[1]);
            delete window.__catchmentFocusWalk;
            """;

    private FocusWalk() {}

    static Result run(BrowserSession session) {
        Map<?, ?> setup = (Map<?, ?>) session.script(SETUP);
        List<?> expected = (List<?>) setup.get("expected");
        List<FocusProblem> problems = new ArrayList<>();
        for (Object raw : (List<?>) setup.get("positive")) {
            Map<?, ?> p = (Map<?, ?>) raw;
            problems.add(new FocusProblem(Kind.POSITIVE_TABINDEX, String.valueOf(p.get("name")),
                    "tabindex=" + p.get("tabindex") + " takes it out of page order; use 0 (or move it in the page)"));
        }
        List<FocusStop> order = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        List<Long> domIndexes = new ArrayList<>();
        int limit = Math.min(500, 2 * expected.size() + 20);
        boolean complete = false;
        long lastId = -1;
        boolean outside = false;
        try {
            // From the element at the top, Shift+Tab leaves the page; the first Tab then enters it as a user
            // arriving from the address bar does: positive tabindex elements first, then page order.
            new Actions(session.driver()).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
            for (int press = 1; press <= limit; press++) {
                new Actions(session.driver()).sendKeys(Keys.TAB).perform();
                Map<?, ?> at = (Map<?, ?>) session.script(STEP);
                if (at.containsKey("gone")) throw session.failure("Tab navigated away from the page during the focus walk", null);
                if (at.containsKey("none")) {
                    // The focus left the page (to the browser); the next Tab comes back in at the top, where
                    // positive tabindex elements come first. Nothing there either: the round is complete.
                    if (outside) {
                        complete = true;
                        break;
                    }
                    outside = true;
                    lastId = -1;
                    continue;
                }
                outside = false;
                long id = ((Number) at.get("id")).longValue();
                String name = String.valueOf(at.get("name"));
                if (id == lastId && Boolean.TRUE.equals(at.get("frame"))) continue; // moving on inside the frame
                if (id == lastId && expected.size() == 1) {
                    complete = true; // the page's one stop: Tab wraps round to it, as headless Chromium has no browser UI
                    break;
                }
                if (id == lastId) {
                    problems.add(new FocusProblem(Kind.KEYBOARD_TRAP, name, "Tab does not move the focus on"));
                    complete = true;
                    break;
                }
                if (!seen.add(id)) {
                    complete = true; // round again
                    break;
                }
                int tabIndex = ((Number) at.get("tabIndex")).intValue();
                String missing = String.valueOf(at.get("missingIndicator"));
                order.add(new FocusStop(order.size() + 1, name, tabIndex, missing.isEmpty()));
                domIndexes.add(((Number) at.get("dom")).longValue());
                lastId = id;
                if (!missing.isEmpty()) problems.add(new FocusProblem(Kind.NO_FOCUS_INDICATOR, name, missing));
            }
        } finally {
            session.script(FINISH);
        }
        if (!complete) {
            problems.add(new FocusProblem(Kind.WALK_INCOMPLETE, "page", limit + " presses of Tab neither left the page "
                    + "nor came round to an element again"));
        }
        for (int i = 1; i < order.size(); i++) {
            FocusStop previous = order.get(i - 1);
            FocusStop stop = order.get(i);
            boolean positive = previous.tabIndex() > 0 || stop.tabIndex() > 0;
            if (!positive && domIndexes.get(i) >= 0 && domIndexes.get(i - 1) >= 0 && domIndexes.get(i) < domIndexes.get(i - 1)) {
                problems.add(new FocusProblem(Kind.OUT_OF_ORDER, stop.element(), "comes after " + previous.element()
                        + " in the Tab order but before it in the page"));
            }
        }
        for (Object raw : expected) {
            Map<?, ?> group = (Map<?, ?>) raw;
            boolean reached = ((List<?>) group.get("ids")).stream().anyMatch(id -> seen.contains(((Number) id).longValue()));
            if (!reached) {
                problems.add(new FocusProblem(Kind.NOT_REACHABLE, String.valueOf(group.get("name")),
                        "visible and enabled, but Tab never reaches it"));
            }
        }
        return new Result(List.copyOf(order), List.copyOf(problems));
    }
}
