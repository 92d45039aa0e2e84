package io.catchment.oauth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.catchment.oauth.ProviderSpec.IdentitySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The provider catalogue: every {@link OAuthService}'s {@link ProviderSpec}, read from the bundled
 * {@code providers.yaml}, with URL overrides from configuration laid over it.
 *
 * <p>The YAML is checked here as strictly as its JSON Schema ({@code providers.schema.json}, enforced
 * by a test) so that a broken catalogue fails at startup, not at a user's first connect: unknown keys,
 * missing or duplicate services, duplicate callback slugs, unknown templates and authorize parameters
 * that would shadow the ones {@link AuthorizeUrls} sets are all errors.
 *
 * <p>Immutable and thread-safe.
 */
public final class ProviderCatalog {
    static final String RESOURCE = "/io/catchment/oauth/providers.yaml";

    /** Parameters {@link AuthorizeUrls} sets itself; a catalogue entry may not set them again. */
    static final Set<String> RESERVED_PARAMETERS = Set.of("response_type", "client_id", "redirect_uri", "state",
            "scope", "user_scope", "code_challenge", "code_challenge_method", "oauth_token");

    private static final Set<String> PROVIDER_KEYS = Set.of("service", "auth_mode", "authorize_url", "token_url",
            "request_token_url", "default_scopes", "scope_separator", "scope_parameter", "authorize_parameters",
            "client_auth", "token_body_format", "pkce", "refresh", "identity", "revoke_url", "revoke_style", "callback_slug",
            "required_fields", "api_base_url");
    private static final Set<String> IDENTITY_KEYS = Set.of("source", "method", "url", "id_pointer",
            "email_pointer", "name_pointer", "bare_token_path", "bare_token_id_pointer");

    private final Map<OAuthService, ProviderSpec> specs;
    private final Map<String, ProviderSpec> bySlug;

    private ProviderCatalog(Map<OAuthService, ProviderSpec> specs) {
        EnumMap<OAuthService, ProviderSpec> copy = new EnumMap<>(OAuthService.class);
        copy.putAll(specs);
        this.specs = Collections.unmodifiableMap(copy);
        Map<String, ProviderSpec> slugs = new HashMap<>();
        for (ProviderSpec spec : copy.values()) {
            ProviderSpec clash = slugs.putIfAbsent(spec.callbackSlug(), spec);
            if (clash != null) {
                throw new IllegalStateException("Callback slug '" + spec.callbackSlug() + "' is used by both "
                        + clash.service() + " and " + spec.service());
            }
        }
        this.bySlug = Map.copyOf(slugs);
    }

    /** Loaded once: the bundled catalogue never changes while the process runs. */
    private static final class Bundled {
        static final ProviderCatalog CATALOG = readBundled();
    }

    /** The catalogue shipped in the jar, without overrides. */
    public static ProviderCatalog bundled() {
        return Bundled.CATALOG;
    }

    /** Every service's spec. */
    public Map<OAuthService, ProviderSpec> specs() {
        return specs;
    }

    public ProviderSpec spec(OAuthService service) {
        return specs.get(Objects.requireNonNull(service, "service"));
    }

    /** The service whose callback is {@code /integrations/{slug}}. */
    public Optional<ProviderSpec> bySlug(String slug) {
        return Optional.ofNullable(bySlug.get(slug));
    }

    /** A catalogue with the given URLs replaced; services without overrides keep their entries. */
    public ProviderCatalog withOverrides(Map<OAuthService, UrlOverrides> overrides) {
        EnumMap<OAuthService, ProviderSpec> replaced = new EnumMap<>(specs);
        overrides.forEach((service, urls) -> replaced.put(service, urls.applyTo(replaced.get(service))));
        return new ProviderCatalog(replaced);
    }

    /**
     * URL overrides from environment variables {@code CATCHMENT_<SERVICE>_AUTHORIZE_URL},
     * {@code _TOKEN_URL}, {@code _REQUEST_TOKEN_URL}, {@code _IDENTITY_URL}, {@code _REVOKE_URL} and
     * {@code _API_BASE_URL}, where {@code <SERVICE>} is the {@link OAuthService} name (for example
     * {@code CATCHMENT_GOOGLE_DRIVE_TOKEN_URL}). Blank values are ignored; only services with at least
     * one override appear in the result.
     *
     * @throws IllegalArgumentException naming the variable whose value is not an http(s) URL
     */
    public static Map<OAuthService, UrlOverrides> overridesFromEnvironment(Map<String, String> env) {
        Map<OAuthService, UrlOverrides> result = new EnumMap<>(OAuthService.class);
        for (OAuthService service : OAuthService.values()) {
            Map<String, String> urls = new LinkedHashMap<>();
            for (String key : UrlOverrides.KEYS) {
                String variable = "CATCHMENT_" + service.name() + "_" + key.toUpperCase(Locale.ROOT);
                String value = env.get(variable);
                if (value == null || value.isBlank()) continue;
                UrlOverrides.checkUrl(variable, value.strip()); // names the variable, not just the field
                urls.put(key, value.strip());
            }
            if (!urls.isEmpty()) result.put(service, UrlOverrides.fromMap(urls));
        }
        return result;
    }

    private static ProviderCatalog readBundled() {
        try (InputStream in = ProviderCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is not on the classpath");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    /**
     * Parses a catalogue document.
     *
     * @throws IllegalArgumentException describing the first problem found
     */
    static ProviderCatalog parse(String yaml) {
        JsonNode root = readYaml(yaml);
        if (!(root instanceof ObjectNode rootObject)) throw new IllegalArgumentException("The catalogue must be a mapping");
        checkKeys("catalogue", rootObject, Set.of("providers"));
        JsonNode providers = root.path("providers");
        if (!providers.isArray()) throw new IllegalArgumentException("'providers' must be a list");
        Map<OAuthService, ProviderSpec> specs = new EnumMap<>(OAuthService.class);
        for (JsonNode entry : providers) {
            ProviderSpec spec = readProvider(entry);
            if (specs.put(spec.service(), spec) != null) {
                throw new IllegalArgumentException("Service " + spec.service() + " has more than one entry");
            }
        }
        List<OAuthService> missing = new ArrayList<>();
        for (OAuthService service : OAuthService.values()) if (!specs.containsKey(service)) missing.add(service);
        if (!missing.isEmpty()) throw new IllegalArgumentException("No catalogue entry for " + missing);
        try {
            return new ProviderCatalog(specs);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static JsonNode readYaml(String yaml) {
        YAMLMapper mapper = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
        try {
            return mapper.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The catalogue is not valid YAML: " + e.getOriginalMessage(), e);
        }
    }

    private static ProviderSpec readProvider(JsonNode node) {
        if (!(node instanceof ObjectNode entry)) throw new IllegalArgumentException("A provider entry must be a mapping");
        OAuthService service = enumValue(OAuthService.class, "service", text(entry, "service", "provider"));
        String where = service.name();
        checkKeys(where, entry, PROVIDER_KEYS);
        ProviderSpec.AuthMode authMode = enumValue(ProviderSpec.AuthMode.class, where + ".auth_mode", text(entry, "auth_mode", where));
        Optional<String> requestTokenUrl = optionalUrl(entry, "request_token_url", where);
        if ((authMode == ProviderSpec.AuthMode.OAUTH1A) != requestTokenUrl.isPresent()) {
            throw new IllegalArgumentException(where + ": request_token_url is required for OAUTH1A and only allowed there");
        }
        String separator = text(entry, "scope_separator", where);
        if (!separator.equals(" ") && !separator.equals(",")) {
            throw new IllegalArgumentException(where + ".scope_separator must be \" \" or \",\"");
        }
        String scopeParameter = text(entry, "scope_parameter", where);
        if (!scopeParameter.equals("scope") && !scopeParameter.equals("user_scope")) {
            throw new IllegalArgumentException(where + ".scope_parameter must be scope or user_scope");
        }
        List<String> scopes = strings(entry, "default_scopes", where);
        for (String scope : scopes) {
            if (scope.isBlank() || scope.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',')) {
                throw new IllegalArgumentException(where + ": scope '" + scope + "' must be one scope without spaces or commas");
            }
        }
        boolean pkce = bool(entry, "pkce", where);
        if (pkce && authMode == ProviderSpec.AuthMode.OAUTH1A) {
            throw new IllegalArgumentException(where + ": OAuth 1.0a has no PKCE");
        }
        return new ProviderSpec(
                service,
                authMode,
                url(entry, "authorize_url", where),
                url(entry, "token_url", where),
                requestTokenUrl,
                scopes,
                separator,
                scopeParameter,
                authorizeParameters(entry, where),
                enumValue(ProviderSpec.ClientAuth.class, where + ".client_auth", text(entry, "client_auth", where)),
                enumValue(ProviderSpec.BodyFormat.class, where + ".token_body_format", text(entry, "token_body_format", where)),
                pkce,
                enumValue(ProviderSpec.RefreshMode.class, where + ".refresh", text(entry, "refresh", where)),
                identity(entry.get("identity"), where),
                optionalUrl(entry, "revoke_url", where),
                entry.hasNonNull("revoke_style") ? enumValue(ProviderSpec.RevokeStyle.class, where + ".revoke_style",
                        text(entry, "revoke_style", where)) : ProviderSpec.RevokeStyle.RFC7009,
                slug(text(entry, "callback_slug", where), where),
                strings(entry, "required_fields", where),
                url(entry, "api_base_url", where));
    }

    private static IdentitySpec identity(JsonNode node, String where) {
        String at = where + ".identity";
        if (!(node instanceof ObjectNode identity)) throw new IllegalArgumentException(at + " must be a mapping");
        checkKeys(at, identity, IDENTITY_KEYS);
        IdentitySpec.Source source = enumValue(IdentitySpec.Source.class, at + ".source", text(identity, "source", at));
        String method = text(identity, "method", at);
        if (!method.equals("GET") && !method.equals("POST")) throw new IllegalArgumentException(at + ".method must be GET or POST");
        Optional<String> url = optionalUrl(identity, "url", at);
        if ((source == IdentitySpec.Source.ENDPOINT) != url.isPresent()) {
            throw new IllegalArgumentException(at + ": url is required for ENDPOINT and not allowed for TOKEN_RESPONSE");
        }
        Optional<String> barePath = pointer(identity, "bare_token_path", at);
        Optional<String> bareId = pointer(identity, "bare_token_id_pointer", at);
        if (barePath.isPresent() != bareId.isPresent() || (barePath.isPresent() && source != IdentitySpec.Source.TOKEN_RESPONSE)) {
            throw new IllegalArgumentException(at + ": bare_token_path and bare_token_id_pointer go together, "
                    + "and only with TOKEN_RESPONSE");
        }
        return new IdentitySpec(source, method, url, pointer(identity, "id_pointer", at).orElseThrow(
                () -> new IllegalArgumentException(at + ".id_pointer is required")),
                pointer(identity, "email_pointer", at), pointer(identity, "name_pointer", at),
                barePath.map(path -> new ProviderSpec.BareTokenCheck(path, bareId.get())));
    }

    private static Map<String, String> authorizeParameters(ObjectNode entry, String where) {
        JsonNode node = entry.get("authorize_parameters");
        if (!(node instanceof ObjectNode parameters)) throw new IllegalArgumentException(where + ".authorize_parameters must be a mapping");
        Map<String, String> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = parameters.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (RESERVED_PARAMETERS.contains(e.getKey())) {
                throw new IllegalArgumentException(where + ".authorize_parameters may not set " + e.getKey());
            }
            if (!e.getValue().isTextual() || e.getValue().asText().isEmpty()) {
                throw new IllegalArgumentException(where + ".authorize_parameters." + e.getKey() + " must be a non-empty string (quote numbers)");
            }
            result.put(e.getKey(), e.getValue().asText());
        }
        return result;
    }

    private static void checkKeys(String where, ObjectNode node, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) throw new IllegalArgumentException(where + ": unknown key '" + key + "'");
        }
    }

    private static String text(ObjectNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) throw new IllegalArgumentException(where + "." + key + " is required");
        if (!value.isTextual()) throw new IllegalArgumentException(where + "." + key + " must be a string");
        return value.asText();
    }

    private static boolean bool(ObjectNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null || !value.isBoolean()) throw new IllegalArgumentException(where + "." + key + " must be true or false");
        return value.booleanValue();
    }

    private static List<String> strings(ObjectNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null || !value.isArray()) throw new IllegalArgumentException(where + "." + key + " must be a list");
        List<String> result = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) throw new IllegalArgumentException(where + "." + key + " must hold strings");
            if (result.contains(item.asText())) throw new IllegalArgumentException(where + "." + key + " repeats " + item.asText());
            result.add(item.asText());
        }
        return result;
    }

    /** Bundled URLs are https only; overrides may use http (local fakes). */
    private static String url(ObjectNode node, String key, String where) {
        String url = text(node, key, where);
        UrlOverrides.checkUrl(where + "." + key, url);
        if (!url.startsWith("https://")) throw new IllegalArgumentException(where + "." + key + " must be an https URL");
        return url;
    }

    private static Optional<String> optionalUrl(ObjectNode node, String key, String where) {
        return node.has(key) ? Optional.of(url(node, key, where)) : Optional.empty();
    }

    private static Optional<String> pointer(ObjectNode node, String key, String where) {
        if (!node.has(key)) return Optional.empty();
        String pointer = text(node, key, where);
        if (!pointer.startsWith("/") || pointer.length() < 2) {
            throw new IllegalArgumentException(where + "." + key + " must be a JSON pointer such as /id");
        }
        return Optional.of(pointer);
    }

    private static String slug(String slug, String where) {
        if (!slug.matches("[a-z][a-z0-9_]*")) throw new IllegalArgumentException(where + ".callback_slug must be lower-case letters, digits and _");
        return slug;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String what, String value) {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": unknown value '" + value + "'", e);
        }
    }

    @Override
    public String toString() {
        return "ProviderCatalog" + specs.keySet();
    }
}
