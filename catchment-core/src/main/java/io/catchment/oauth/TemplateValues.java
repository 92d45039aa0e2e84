package io.catchment.oauth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values for a provider URL's templates ({@code {subdomain}}, {@code {tenant}}, {@code {instance}},
 * {@code {domain}}), taken from the connect request. Values are checked to be host-name safe when
 * set, so a template can never be steered to another host.
 */
public record TemplateValues(Map<String, String> values) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");

    public TemplateValues {
        values = Map.copyOf(values);
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!SAFE.matcher(e.getValue()).matches() || e.getValue().contains("..")) {
                throw new IllegalArgumentException(e.getKey() + " must be letters, digits, dots and hyphens");
            }
        }
    }

    public static final TemplateValues NONE = new TemplateValues(Map.of());

    public TemplateValues with(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(name, value);
        return new TemplateValues(copy);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /**
     * The template with every placeholder replaced; {@code {tenant}} defaults to {@code common} and
     * {@code {domain}} to {@code login}.
     *
     * @throws IllegalArgumentException naming a placeholder that has no value
     */
    public String fill(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = values.containsKey(name) ? values.get(name) : switch (name) {
                case "tenant" -> "common";
                case "domain" -> "login";
                default -> throw new IllegalArgumentException("No value for {" + name + "} in " + template);
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
