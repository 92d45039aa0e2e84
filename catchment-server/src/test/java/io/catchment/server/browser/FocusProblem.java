package io.catchment.server.browser;

/** Something a keyboard user cannot do or see on the page. */
public record FocusProblem(Kind kind, String element, String detail) {
    /** The kinds of keyboard problems the walk finds. */
    public enum Kind {
        /** A visible, enabled control that Tab never reaches. */
        NOT_REACHABLE,
        /** A positive {@code tabindex}: it reorders the page for keyboard users only, always a defect. */
        POSITIVE_TABINDEX,
        /** Tab goes back to an element earlier in the page than the one before. */
        OUT_OF_ORDER,
        /** Nothing shows where the focus is: no outline, and no style changes on focus. */
        NO_FOCUS_INDICATOR,
        /** Tab does not move the focus on. */
        KEYBOARD_TRAP,
        /** Tab kept finding new elements: the walk stopped without completing a round. */
        WALK_INCOMPLETE
    }

    @Override
    public String toString() {
        return kind + " " + element + ": " + detail;
    }
}
