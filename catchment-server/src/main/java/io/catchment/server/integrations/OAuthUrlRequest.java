package io.catchment.server.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import io.catchment.oauth.ClientApp;
import io.catchment.oauth.OAuthService;
import io.catchment.oauth.ProviderCatalog;
import io.catchment.oauth.ProviderSpec;
import io.catchment.oauth.TemplateValues;
import io.catchment.server.http.BodyReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Carbon's {@code OAuthURLRequest}, validated: the service, its connect inputs (a 422 names a
 * missing one), the scopes, and the sync settings kept with the flow and then the data source.
 */
record OAuthUrlRequest(OAuthService service, List<String> scopes, TemplateValues values, Map<String, String> connectFields,
                       Optional<ClientApp> serviceNowApp, ObjectNode syncSettings, ObjectNode dataSourceTags,
                       OptionalLong dataSourceId, boolean connectingNewAccount) {

    /** Fields copied as given into the data source's sync settings (every file synced gets them). */
    static final List<String> SYNC_SETTINGS = List.of("chunk_size", "chunk_overlap", "skip_embedding_generation",
            "embedding_model", "generate_sparse_vectors", "prepend_filename_to_chunks", "max_items_per_chunk",
            "set_page_as_boundary", "request_id", "use_ocr", "parse_pdf_tables_with_ocr", "enable_file_picker",
            "sync_source_items", "incremental_sync", "file_sync_config", "automatically_open_file_picker",
            "sync_files_on_connection", "tags");

    /** Connect inputs and the template each fills. */
    private static final Map<String, String> TEXT_FIELDS = Map.of("zendesk_subdomain", "subdomain",
            "confluence_subdomain", "subdomain", "microsoft_tenant", "tenant", "salesforce_domain", "domain",
            "sharepoint_site_name", "", "gong_account_email", "");

    static OAuthUrlRequest read(BodyReader b, ProviderCatalog catalog) {
        OAuthService service = b.requiredEnum("service", OAuthService.class);
        ProviderSpec spec = catalog.spec(service);
        List<String> scopes = new ArrayList<>(b.optionalStringList("scopes", 200).orElse(List.of()));
        // One element is one scope (Carbon's contract): an element holding a space or the provider's
        // separator would silently request several, so it is the caller's mistake (422), not ours.
        JsonNode given = b.raw("scopes").filter(JsonNode::isArray).orElse(Json.mapper().createArrayNode());
        for (int i = 0; i < given.size(); i++) {
            String scope = given.get(i).isTextual() ? given.get(i).textValue() : null;
            if (scope != null && (scope.isBlank() || scope.chars().anyMatch(Character::isWhitespace)
                    || scope.contains(spec.scopeSeparator()))) {
                b.problemAt(List.of("scopes", i), "Value error, each element must be one scope, without spaces or '"
                        + spec.scopeSeparator() + "'", "value_error", given.get(i), null);
            }
        }
        if (scopes.isEmpty()) {
            b.optionalString("scope").ifPresent(s -> {
                for (String part : s.trim().split("[\\s,]+")) if (!part.isEmpty()) scopes.add(part);
            });
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        // Where each template's value came from, so a bad one is reported at the field the caller filled.
        Map<String, List<Object>> origins = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : TEXT_FIELDS.entrySet()) {
            Optional<String> v = b.optionalString(f.getKey()).map(String::strip).filter(s -> !s.isEmpty());
            v.ifPresent(value -> fields.put(f.getKey(), value));
        }
        // A full My Domain host ("acme.my.salesforce.com", even as a URL) means its prefix.
        fields.computeIfPresent("salesforce_domain", (k, v) -> v.replaceFirst("^https?://", "")
                .replaceFirst("/+$", "").replaceFirst("\\.salesforce\\.com$", ""));
        if (fields.containsKey("gong_account_email")
                && !fields.get("gong_account_email").matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            b.problem("gong_account_email", "value is not a valid email address", "value_error",
                    Json.tree(fields.get("gong_account_email")), null);
        }
        for (String required : spec.requiredFields()) {
            if (required.equals("servicenow_credentials")) continue;
            if (!fields.containsKey(required)) {
                b.problem(required, "Field required: " + service + " needs " + required, "missing",
                        Json.object(), null);
            }
        }
        // Only the fields of this service fill its templates (a stray zendesk_subdomain does not reach Confluence).
        fields.forEach((name, value) -> {
            String template = TEXT_FIELDS.get(name);
            boolean applies = !template.isEmpty() && switch (name) {
                case "zendesk_subdomain" -> service == OAuthService.ZENDESK;
                case "confluence_subdomain" -> service == OAuthService.CONFLUENCE;
                case "microsoft_tenant" -> service == OAuthService.ONEDRIVE || service == OAuthService.OUTLOOK
                        || service == OAuthService.SHAREPOINT;
                case "salesforce_domain" -> service == OAuthService.SALESFORCE;
                default -> false;
            };
            if (applies) {
                values.put(template, value);
                origins.put(template, List.of(name));
            }
        });
        Optional<ClientApp> serviceNowApp = Optional.empty();
        if (service == OAuthService.SERVICENOW) {
            if (b.raw("servicenow_credentials").isEmpty()) {
                b.problem("servicenow_credentials", "Field required: SERVICENOW needs servicenow_credentials "
                        + "(instance_subdomain, client_id, client_secret, redirect_uri)", "missing", Json.object(), null);
            } else {
                record Sn(String instance, ClientApp app) {}
                Sn sn = b.object("servicenow_credentials", r -> new Sn(r.requiredString("instance_subdomain"),
                        new ClientApp(r.requiredString("client_id"), r.requiredString("client_secret"),
                                Optional.of(r.requiredString("redirect_uri")))), null);
                if (sn != null && !sn.instance().isEmpty()) { // a missing one is already reported
                    values.put("instance", sn.instance());
                    origins.put("instance", List.of("servicenow_credentials", "instance_subdomain"));
                    fields.put("servicenow_instance", sn.instance());
                    serviceNowApp = Optional.of(sn.app());
                }
            }
        }
        boolean hostSafe = true;
        for (Map.Entry<String, String> v : values.entrySet()) {
            try {
                new TemplateValues(Map.of(v.getKey(), v.getValue()));
            } catch (IllegalArgumentException e) {
                hostSafe = false;
                List<Object> at = origins.get(v.getKey());
                b.problemAt(at, "Value error, " + at.getLast() + " must be a host name part: letters, digits, dots "
                        + "and hyphens", "value_error", Json.tree(v.getValue()), null);
            }
        }
        TemplateValues templateValues = hostSafe ? new TemplateValues(values) : TemplateValues.NONE;
        ObjectNode settings = Json.object();
        for (String name : SYNC_SETTINGS) b.raw(name).ifPresent(v -> settings.set(name, v));
        ObjectNode tags = CredentialConnectApi.dataSourceTags(b);
        OptionalLong dataSourceId = b.raw("data_source_id").isPresent()
                ? OptionalLong.of(b.integer("data_source_id", 0, 1, Long.MAX_VALUE)) : OptionalLong.empty();
        boolean newAccount = b.bool("connecting_new_account", false);
        return new OAuthUrlRequest(service, List.copyOf(scopes), templateValues, fields, serviceNowApp, settings, tags,
                dataSourceId, newAccount);
    }
}
