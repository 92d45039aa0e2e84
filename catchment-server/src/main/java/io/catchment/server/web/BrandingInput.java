package io.catchment.server.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import io.catchment.server.http.BodyReader;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the branding fields of {@code /organization/update} (beyond Carbon, which had no way to
 * set them): {@code remove_branding} and {@code custom_branding {name, logo, primary_color}}. The
 * logo is a base64 data URL, stored with the organization, so pages never load it from elsewhere.
 */
public record BrandingInput(Optional<Boolean> removeBranding, Optional<ObjectNode> customBranding) {
    static final int MAX_NAME = 80;
    static final int MAX_LOGO_BYTES = 256 * 1024;
    private static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml");

    public static BrandingInput read(BodyReader b) {
        Optional<Boolean> remove = b.raw("remove_branding").map(v -> b.bool("remove_branding", false));
        Optional<ObjectNode> custom = Optional.ofNullable(b.nullableObject("custom_branding", BrandingInput::custom, null));
        return new BrandingInput(remove, custom);
    }

    private static ObjectNode custom(BodyReader b) {
        ObjectNode out = Json.object();
        b.optionalString("name").ifPresent(name -> {
            if (name.isBlank() || name.length() > MAX_NAME) {
                b.problem("name", "String should have 1 to " + MAX_NAME + " characters", "string_too_long", Json.tree(name), null);
            } else {
                out.put("name", name.strip());
            }
        });
        b.optionalString("primary_color").ifPresent(color -> Colors.parse(color).ifPresentOrElse(
                c -> out.put("primary_color", c),
                () -> b.problem("primary_color", "Value error, a colour is written #rrggbb", "value_error", Json.tree(color), null)));
        b.optionalString("logo").ifPresent(logo -> {
            Optional<String> problem = logoProblem(logo);
            if (problem.isPresent()) b.problem("logo", problem.get(), "value_error", Json.tree(logo.length() > 60 ? logo.substring(0, 60) + "…" : logo), null);
            else out.put("logo", logo);
        });
        return out;
    }

    private static Optional<String> logoProblem(String logo) {
        int comma = logo.indexOf(',');
        String header = comma < 0 ? "" : logo.substring(0, comma);
        if (!header.startsWith("data:") || !header.endsWith(";base64")) {
            return Optional.of("Value error, the logo is a base64 data URL (data:image/png;base64,...)");
        }
        String type = header.substring(5, header.length() - ";base64".length());
        if (!IMAGE_TYPES.contains(type)) return Optional.of("Value error, the logo must be one of " + IMAGE_TYPES.stream().sorted().toList());
        try {
            if (Base64.getDecoder().decode(logo.substring(comma + 1)).length > MAX_LOGO_BYTES) {
                return Optional.of("Value error, the logo must be at most " + MAX_LOGO_BYTES / 1024 + " KiB");
            }
        } catch (IllegalArgumentException e) {
            return Optional.of("Value error, the logo's base64 is not valid");
        }
        return Optional.empty();
    }
}
