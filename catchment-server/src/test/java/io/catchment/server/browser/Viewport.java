package io.catchment.server.browser;

/**
 * The size of the page area the browser lays pages out in, in CSS pixels; {@code mobile} also
 * makes the browser honour {@code <meta name="viewport">} and report touch input, as a phone does.
 */
public record Viewport(int width, int height, boolean mobile) {
    /** A desktop browser window's page area. */
    public static final Viewport DESKTOP = new Viewport(1280, 800, false);

    /** A phone held upright (390×844, the size of a current mid-range phone). */
    public static final Viewport PHONE = new Viewport(390, 844, true);

    public Viewport {
        if (width < 100 || height < 100) throw new IllegalArgumentException("viewport too small: " + width + "x" + height);
    }
}
