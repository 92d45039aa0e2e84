package io.catchment.server.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.tenancy.Organization;
import java.util.Optional;

/**
 * How an organization's hosted pages look, from its settings ({@code custom_branding}:
 * {@code name}, {@code logo} as a data URL, {@code primary_color}; and {@code remove_branding}).
 * Colours derived for text are adjusted until they meet WCAG AA contrast, whatever was chosen.
 *
 * @param brandText the brand colour as used for links and focus rings on white (≥ 4.5:1)
 * @param onBrand the text colour on brand-coloured buttons
 */
public record Branding(String name, Optional<String> logo, String brand, String brandText, String onBrand,
                       boolean showPoweredBy) {
    static final String DEFAULT_NAME = "Catchment";
    static final String DEFAULT_COLOR = "#1f5fbf";

    public static final Branding DEFAULT = of(DEFAULT_NAME, Optional.empty(), DEFAULT_COLOR, true);

    static Branding of(String name, Optional<String> logo, String color, boolean poweredBy) {
        String brandText = Colors.readableOnWhite(color, 4.5);
        // A button's label must read on the brand colour too; darken until one text colour does.
        String button = Colors.contrast(color, Colors.textOn(color)) >= 4.5 ? color : brandText;
        return new Branding(name, logo, button, brandText, Colors.textOn(button), poweredBy);
    }

    public static Branding of(Organization org) {
        Optional<ObjectNode> custom = org.customBranding();
        String name = custom.map(c -> c.path("name").asText("")).filter(s -> !s.isBlank()).orElse(org.name());
        Optional<String> logo = custom.map(c -> c.path("logo").asText("")).filter(s -> !s.isBlank());
        String color = custom.flatMap(c -> Colors.parse(c.path("primary_color").asText(""))).orElse(DEFAULT_COLOR);
        return of(name, logo, color, !org.removeBranding());
    }
}
