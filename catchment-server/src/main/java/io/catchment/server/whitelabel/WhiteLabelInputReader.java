package io.catchment.server.whitelabel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import io.catchment.oauth.OAuthService;
import io.catchment.server.http.BodyReader;
import io.catchment.whitelabel.CredentialShape;
import io.catchment.whitelabel.SecretUpdate;
import io.catchment.whitelabel.WhiteLabel;
import io.catchment.whitelabel.WhiteLabelInput;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads Carbon's white-label inputs ({@code WhiteLabelInput}, {@code GoogleDriveWhiteLabelInput},
 * {@code OneDriveSharepointWhiteLabelInput}; the {@code data_source_type} decides which). Fields
 * of another shape are ignored, as pydantic ignores extra fields.
 *
 * <p>Secrets ({@code client_secret}, {@code api_key}): absent or null leaves the stored one as
 * it is (on create: none), an empty string removes it, and on update a mask as listed
 * ({@code "••••…"}) also leaves it, so a listed app sent back unchanged keeps its secret.
 */
final class WhiteLabelInputReader {
    static final int MAX_CLIENT_ID = 1000;
    static final int MAX_URL = 2048;
    static final int MAX_SECRET = 4096;

    enum Mode { CREATE, UPDATE }

    private WhiteLabelInputReader() {}

    /**
     * The input, or null when a problem was reported (the call then fails with a 422). A problem's
     * {@code input} never shows a secret: where pydantic would echo a whole object, secrets in it
     * are masked.
     */
    static WhiteLabelInput read(BodyReader b, Mode mode) {
        Optional<ObjectNode> given = b.raw("credentials").filter(JsonNode::isObject).map(ObjectNode.class::cast);
        OAuthService service = null;
        if (!b.has("data_source_type")) {
            ObjectNode shown = Json.object();
            b.raw("credentials").ifPresent(c -> shown.set("credentials", c.isObject() ? redacted((ObjectNode) c) : c));
            b.problem("data_source_type", "Field required", "missing", shown, null);
        } else {
            service = b.enumValue("data_source_type", OAuthService.class, null);
        }
        if (given.isEmpty()) {
            if (!b.has("credentials")) {
                b.requiredObjectNode("credentials"); // reports it missing
            } else {
                b.problem("credentials", "Input should be a valid dictionary or object to extract fields from",
                        "model_attributes_type", b.raw("credentials").orElse(NullNode.getInstance()), null);
            }
            return null;
        }
        // Read the credentials even when the type is wrong, so every problem is reported at once.
        CredentialShape shape = service == null ? CredentialShape.STANDARD : CredentialShape.of(service);
        ObjectNode shown = redacted(given.get());
        Credentials credentials = b.objectAt(List.of("credentials"), given.get(), r -> credentials(r, shown, shape, mode),
                null);
        if (service == null || credentials == null) return null;
        return new WhiteLabelInput(service, credentials.clientId(), credentials.redirectUri(), credentials.clientSecret(),
                credentials.apiKey(), credentials.filePickerClientId(), credentials.filePickerRedirectUri());
    }

    private record Credentials(String clientId, String redirectUri, SecretUpdate clientSecret, SecretUpdate apiKey,
                               Optional<String> filePickerClientId, Optional<String> filePickerRedirectUri) {}

    /** Tracks whether any field of one object failed, since BodyReader collects problems for the whole body. */
    private static final class Draft {
        boolean valid = true;

        <T> T fail(T fallback) {
            valid = false;
            return fallback;
        }
    }

    private static Credentials credentials(BodyReader r, ObjectNode shown, CredentialShape shape, Mode mode) {
        Draft d = new Draft();
        String clientId = required(r, d, shown, "client_id", MAX_CLIENT_ID);
        String redirectUri = required(r, d, shown, "redirect_uri", MAX_URL);
        if (redirectUri != null) redirectUri = url(r, d, "redirect_uri", redirectUri);
        SecretUpdate clientSecret = secret(r, d, "client_secret", mode);
        SecretUpdate apiKey = shape == CredentialShape.GOOGLE_DRIVE ? secret(r, d, "api_key", mode) : SecretUpdate.KEEP;
        Optional<String> pickerClientId = Optional.empty();
        Optional<String> pickerRedirectUri = Optional.empty();
        if (shape == CredentialShape.MICROSOFT_PICKER) {
            pickerClientId = optional(r, d, "file_picker_client_id", MAX_CLIENT_ID);
            pickerRedirectUri = optional(r, d, "file_picker_redirect_uri", MAX_URL)
                    .map(u -> url(r, d, "file_picker_redirect_uri", u));
        }
        return d.valid ? new Credentials(clientId, redirectUri, clientSecret, apiKey, pickerClientId, pickerRedirectUri)
                : null;
    }

    /** A non-blank string of at most {@code max} characters; null after reporting a problem. */
    private static String required(BodyReader r, Draft d, ObjectNode shown, String field, int max) {
        if (!r.has(field)) return d.fail(r.problem(field, "Field required", "missing", shown, null));
        Optional<JsonNode> v = r.raw(field);
        if (v.isEmpty() || !v.get().isTextual()) {
            r.requiredString(field); // reports the value as not a string
            return d.fail(null);
        }
        return length(r, d, field, v.get(), max);
    }

    /** An optional string; an empty one counts as absent. */
    private static Optional<String> optional(BodyReader r, Draft d, String field, int max) {
        Optional<JsonNode> v = r.raw(field);
        if (v.isEmpty()) return Optional.empty();
        if (!v.get().isTextual()) {
            r.optionalString(field); // reports "not a string"
            return d.fail(Optional.empty());
        }
        if (v.get().textValue().isBlank()) return Optional.empty();
        return Optional.ofNullable(length(r, d, field, v.get(), max));
    }

    private static String length(BodyReader r, Draft d, String field, JsonNode v, int max) {
        String text = v.textValue();
        if (text.isBlank()) return d.fail(r.problem(field, "String should have at least 1 character", "string_too_short", v, null));
        if (text.length() > max) {
            return d.fail(r.problem(field, "String should have at most " + max + " characters", "string_too_long", v, null));
        }
        return text.strip();
    }

    private static String url(BodyReader r, Draft d, String field, String value) {
        if (isHttpUrl(value)) return value;
        return d.fail(r.problem(field, "Value error, " + field + " must be an absolute http or https URL",
                "value_error", Json.tree(value), null));
    }

    static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null && uri.getFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static SecretUpdate secret(BodyReader r, Draft d, String field, Mode mode) {
        Optional<JsonNode> v = r.raw(field);
        if (v.isEmpty()) return SecretUpdate.KEEP;
        if (!v.get().isTextual()) {
            r.optionalString(field); // reports "not a string"
            return d.fail(SecretUpdate.KEEP);
        }
        String text = v.get().textValue();
        if (text.isEmpty()) return SecretUpdate.CLEAR;
        if (text.startsWith(WhiteLabel.MASK)) {
            if (mode == Mode.UPDATE) return SecretUpdate.KEEP;
            return d.fail(r.problem(field, "Value error, " + field + " is a masked value as Catchment lists it; send the "
                    + "secret itself", "value_error", Json.tree(WhiteLabel.MASK), SecretUpdate.KEEP));
        }
        if (text.length() > MAX_SECRET) {
            return d.fail(r.problem(field, "String should have at most " + MAX_SECRET + " characters", "string_too_long",
                    Json.tree(WhiteLabel.mask(text)), SecretUpdate.KEEP));
        }
        return new SecretUpdate.Replace(text);
    }

    /** The credentials as a problem may show them: secrets masked. */
    private static ObjectNode redacted(ObjectNode credentials) {
        ObjectNode copy = credentials.deepCopy();
        for (String field : List.of("client_secret", "api_key")) {
            JsonNode v = copy.get(field);
            if (v != null && v.isTextual()) copy.put(field, WhiteLabel.mask(v.textValue()));
        }
        return copy;
    }
}
