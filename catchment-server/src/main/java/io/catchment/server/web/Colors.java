package io.catchment.server.web;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** sRGB colours as {@code #rrggbb}, with WCAG 2 relative luminance and contrast ratios. */
public final class Colors {
    private static final Pattern HEX = Pattern.compile("#[0-9a-fA-F]{6}");
    public static final String WHITE = "#ffffff";
    public static final String INK = "#1b1f24";

    private Colors() {}

    /** The colour in canonical lower-case form, if {@code text} is {@code #rrggbb}. */
    public static Optional<String> parse(String text) {
        return HEX.matcher(text).matches() ? Optional.of(text.toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    public static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    /** White or near-black, whichever reads better on {@code background}. */
    public static String textOn(String background) {
        return contrast(background, WHITE) >= contrast(background, INK) ? WHITE : INK;
    }

    /**
     * {@code colour} darkened just enough to reach {@code ratio} against white, so a brand colour
     * can colour links and focus rings without failing contrast (WCAG AA: 4.5 for text).
     */
    public static String readableOnWhite(String colour, double ratio) {
        int[] rgb = rgb(colour);
        for (int step = 0; step <= 20 && contrast(hex(rgb), WHITE) < ratio; step++) {
            for (int i = 0; i < 3; i++) rgb[i] = (int) Math.floor(rgb[i] * 0.9);
        }
        return hex(rgb);
    }

    static double luminance(String colour) {
        int[] rgb = rgb(colour);
        double[] linear = new double[3];
        for (int i = 0; i < 3; i++) {
            double c = rgb[i] / 255.0;
            linear[i] = c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
    }

    private static int[] rgb(String colour) {
        int v = Integer.parseInt(colour.substring(1), 16);
        return new int[] {(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff};
    }

    private static String hex(int[] rgb) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    }
}
