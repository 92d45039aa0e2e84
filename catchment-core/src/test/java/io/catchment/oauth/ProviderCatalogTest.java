package io.catchment.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.catchment.oauth.ProviderSpec.ClientAuth;
import io.catchment.oauth.ProviderSpec.IdentitySpec.Source;
import io.catchment.oauth.ProviderSpec.RefreshMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProviderCatalogTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TEMPLATES = Set.of("subdomain", "tenant", "instance", "domain");

    // ---- the YAML against its schema -------------------------------------------------------------

    @Test
    void theBundledYamlValidatesAgainstItsSchema() throws IOException {
        assertThat(schema().validate(bundledYaml())).isEmpty();
    }

    @Test
    void theSchemaRejectsTheMistakesItIsThereToCatch() throws IOException {
        JsonSchema schema = schema();
        Map<String, Consumer<ObjectNode>> breakages = new LinkedHashMap<>();
        breakages.put("unknown template", box -> box.put("token_url", "https://{host}.box.com/oauth2/token"));
        breakages.put("plain http", box -> box.put("authorize_url", "http://account.box.com/api/oauth2/authorize"));
        breakages.put("missing field", box -> box.remove("callback_slug"));
        breakages.put("unknown field", box -> box.put("scopes", "root_readonly"));
        breakages.put("reserved extra parameter", box -> box.putObject("authorize_parameters").put("state", "fixed"));
        breakages.put("number as parameter", box -> box.putObject("authorize_parameters").put("access", 1));
        breakages.put("bad separator", box -> box.put("scope_separator", ";"));
        breakages.put("scope with a space", box -> box.putArray("default_scopes").add("a b"));
        breakages.put("unknown refresh mode", box -> box.put("refresh", "SOMETIMES"));
        breakages.put("bad slug", box -> box.put("callback_slug", "Box/x"));
        breakages.put("endpoint identity without url", box -> ((ObjectNode) box.get("identity")).remove("url"));
        breakages.put("token-response identity with url", box -> ((ObjectNode) box.get("identity")).put("source", "TOKEN_RESPONSE"));
        breakages.put("pointer without slash", box -> ((ObjectNode) box.get("identity")).put("id_pointer", "id"));
        breakages.put("OAuth 2 with a request token url", box -> box.put("request_token_url", "https://account.box.com/request"));
        breakages.put("OAuth 1.0a without one", box -> box.put("auth_mode", "OAUTH1A").put("pkce", false));
        breakages.put("unknown required field", box -> box.putArray("required_fields").add("box_subdomain"));

        for (Map.Entry<String, Consumer<ObjectNode>> breakage : breakages.entrySet()) {
            JsonNode document = bundledYaml();
            breakage.getValue().accept(entry(document, "BOX"));
            assertThat(schema.validate(document)).as(breakage.getKey()).isNotEmpty();
        }
    }

    // ---- structural rules, checked on the raw YAML -----------------------------------------------

    @Test
    void everyServiceHasExactlyOneEntry() throws IOException {
        Map<String, Long> counts = new HashMap<>();
        for (JsonNode entry : bundledYaml().get("providers")) counts.merge(entry.get("service").asText(), 1L, Long::sum);

        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(OAuthService.values()).map(Enum::name).toList());
        assertThat(counts.values()).containsOnly(1L);
        assertThat(ProviderCatalog.bundled().specs()).hasSize(17).containsOnlyKeys(OAuthService.values());
    }

    @Test
    void callbackSlugsAreUniqueAndCarbonsDocumentedOnesAreKept() throws IOException {
        List<String> slugs = new ArrayList<>();
        for (JsonNode entry : bundledYaml().get("providers")) slugs.add(entry.get("callback_slug").asText());
        assertThat(slugs).doesNotHaveDuplicates();

        Map<OAuthService, String> expected = new EnumMap<>(OAuthService.class);
        expected.put(OAuthService.GOOGLE_DRIVE, "google");
        expected.put(OAuthService.GMAIL, "gmail");
        expected.put(OAuthService.ONEDRIVE, "onedrive");
        expected.put(OAuthService.NOTION, "notion");
        expected.put(OAuthService.SERVICENOW, "servicenow");
        expected.put(OAuthService.BOX, "box");
        expected.put(OAuthService.CONFLUENCE, "confluence");
        expected.put(OAuthService.DROPBOX, "dropbox");
        expected.put(OAuthService.GOOGLE_CLOUD_STORAGE, "google_cloud_storage");
        expected.put(OAuthService.INTERCOM, "intercom");
        expected.put(OAuthService.OUTLOOK, "outlook");
        expected.put(OAuthService.SALESFORCE, "salesforce");
        expected.put(OAuthService.SHAREPOINT, "sharepoint");
        expected.put(OAuthService.SLACK, "slack");
        expected.put(OAuthService.ZENDESK, "zendesk");
        expected.put(OAuthService.ZOTERO, "zotero");
        expected.put(OAuthService.GONG, "gong");
        ProviderCatalog catalog = ProviderCatalog.bundled();
        expected.forEach((service, slug) -> {
            assertThat(catalog.spec(service).callbackSlug()).as(service.name()).isEqualTo(slug);
            assertThat(catalog.bySlug(slug)).map(ProviderSpec::service).contains(service);
        });
        assertThat(catalog.bySlug("google_drive")).isEmpty();
        assertThat(catalog.bySlug("")).isEmpty();
    }

    @Test
    void everyTemplatePlaceholderIsOneOfTheFourKnownOnes() throws IOException {
        List<String> strings = new ArrayList<>();
        collectStrings(bundledYaml(), strings);
        Pattern braces = Pattern.compile("\\{([^{}]*)}");
        List<String> found = new ArrayList<>();
        for (String s : strings) {
            Matcher m = braces.matcher(s);
            while (m.find()) found.add(m.group(1));
            assertThat(s.replaceAll("\\{(subdomain|tenant|instance|domain)}", "")).as(s).doesNotContain("{", "}");
        }
        assertThat(found).isNotEmpty().allSatisfy(name -> assertThat(TEMPLATES).contains(name));
    }

    @Test
    void aTemplateWithoutDefaultIsBackedByARequiredConnectField() {
        for (ProviderSpec spec : ProviderCatalog.bundled().specs().values()) {
            String urls = String.join(" ", spec.authorizeUrl(), spec.tokenUrl(), spec.apiBaseUrl(),
                    spec.identity().url().orElse(""), spec.revokeUrl().orElse(""), spec.requestTokenUrl().orElse(""));
            if (urls.contains("{subdomain}")) {
                assertThat(spec.requiredFields()).as(spec.service().name())
                        .containsAnyOf("zendesk_subdomain", "confluence_subdomain");
            }
            if (urls.contains("{instance}")) assertThat(spec.requiredFields()).contains("servicenow_credentials");
        }
        assertThat(ProviderCatalog.bundled().spec(OAuthService.ZENDESK).authorizeUrl()).contains("{subdomain}");
        assertThat(ProviderCatalog.bundled().spec(OAuthService.SERVICENOW).tokenUrl()).contains("{instance}");
    }

    @Test
    void requiredConnectFieldsAreTheIssuesOnes() {
        Map<OAuthService, List<String>> required = new EnumMap<>(OAuthService.class);
        ProviderCatalog.bundled().specs().forEach((service, spec) -> {
            if (!spec.requiredFields().isEmpty()) required.put(service, spec.requiredFields());
        });
        assertThat(required).containsExactlyInAnyOrderEntriesOf(Map.of(
                OAuthService.ZENDESK, List.of("zendesk_subdomain"),
                OAuthService.SHAREPOINT, List.of("microsoft_tenant"),
                OAuthService.CONFLUENCE, List.of("confluence_subdomain"),
                OAuthService.SALESFORCE, List.of("salesforce_domain"),
                OAuthService.GONG, List.of("gong_account_email"),
                OAuthService.SERVICENOW, List.of("servicenow_credentials")));
    }

    // ---- token-side facts from providers.md (the authorize side is AuthorizeUrlsTest's) ------------

    @Test
    void tokenEndpointsAndClientAuthenticationMatchProvidersMd() {
        ProviderCatalog c = ProviderCatalog.bundled();
        assertThat(c.spec(OAuthService.BOX).tokenUrl()).isEqualTo("https://api.box.com/oauth2/token");
        assertThat(c.spec(OAuthService.CONFLUENCE).tokenUrl()).isEqualTo("https://auth.atlassian.com/oauth/token");
        assertThat(c.spec(OAuthService.DROPBOX).tokenUrl()).isEqualTo("https://api.dropboxapi.com/oauth2/token");
        for (OAuthService google : List.of(OAuthService.GMAIL, OAuthService.GOOGLE_DRIVE, OAuthService.GOOGLE_CLOUD_STORAGE)) {
            assertThat(c.spec(google).tokenUrl()).isEqualTo("https://oauth2.googleapis.com/token");
        }
        assertThat(c.spec(OAuthService.INTERCOM).tokenUrl()).isEqualTo("https://api.intercom.io/auth/eagle/token");
        assertThat(c.spec(OAuthService.NOTION).tokenUrl()).isEqualTo("https://api.notion.com/v1/oauth/token");
        for (OAuthService microsoft : List.of(OAuthService.ONEDRIVE, OAuthService.OUTLOOK, OAuthService.SHAREPOINT)) {
            assertThat(c.spec(microsoft).tokenUrl()).isEqualTo("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token");
        }
        assertThat(c.spec(OAuthService.SALESFORCE).tokenUrl()).isEqualTo("https://{domain}.salesforce.com/services/oauth2/token");
        assertThat(c.spec(OAuthService.SLACK).tokenUrl()).isEqualTo("https://slack.com/api/oauth.v2.access");
        assertThat(c.spec(OAuthService.ZENDESK).tokenUrl()).isEqualTo("https://{subdomain}.zendesk.com/oauth/tokens");
        assertThat(c.spec(OAuthService.ZOTERO).tokenUrl()).isEqualTo("https://www.zotero.org/oauth/access");
        assertThat(c.spec(OAuthService.ZOTERO).requestTokenUrl()).contains("https://www.zotero.org/oauth/request");
        assertThat(c.spec(OAuthService.ZOTERO).authMode()).isEqualTo(ProviderSpec.AuthMode.OAUTH1A);
        assertThat(c.spec(OAuthService.GONG).tokenUrl()).isEqualTo("https://app.gong.io/oauth2/generate-customer-token");
        assertThat(c.spec(OAuthService.SERVICENOW).tokenUrl()).isEqualTo("https://{instance}.service-now.com/oauth_token.do");

        // Basic: Notion (with a JSON body), Gong, Slack (preferred). Everyone else sends the credentials in the body.
        Map<OAuthService, ClientAuth> auth = mapOf(ProviderSpec::clientAuth);
        assertThat(keysWith(auth, ClientAuth.BASIC)).containsExactlyInAnyOrder(OAuthService.NOTION, OAuthService.GONG, OAuthService.SLACK);
        Map<OAuthService, ProviderSpec.BodyFormat> body = mapOf(ProviderSpec::tokenBodyFormat);
        assertThat(keysWith(body, ProviderSpec.BodyFormat.JSON)).containsExactlyInAnyOrder(OAuthService.NOTION, OAuthService.CONFLUENCE);
        assertThat(c.specs().values()).allSatisfy(s -> assertThat(s.authMode() == ProviderSpec.AuthMode.OAUTH1A)
                .isEqualTo(s.service() == OAuthService.ZOTERO));
    }

    @Test
    void refreshBehaviourMatchesProvidersMd() {
        Map<OAuthService, RefreshMode> refresh = mapOf(ProviderSpec::refresh);
        assertThat(keysWith(refresh, RefreshMode.STABLE)).containsExactlyInAnyOrder(OAuthService.DROPBOX,
                OAuthService.GMAIL, OAuthService.GOOGLE_DRIVE, OAuthService.GOOGLE_CLOUD_STORAGE, OAuthService.SERVICENOW);
        assertThat(keysWith(refresh, RefreshMode.NONE)).containsExactlyInAnyOrder(OAuthService.INTERCOM, OAuthService.ZOTERO);
        assertThat(keysWith(refresh, RefreshMode.ON_401)).containsExactly(OAuthService.SALESFORCE);
        assertThat(keysWith(refresh, RefreshMode.ROTATING)).containsExactlyInAnyOrder(OAuthService.BOX,
                OAuthService.CONFLUENCE, OAuthService.NOTION, OAuthService.ONEDRIVE, OAuthService.OUTLOOK,
                OAuthService.SHAREPOINT, OAuthService.SLACK, OAuthService.ZENDESK, OAuthService.GONG);
    }

    @Test
    void identityFollowsEachProvidersIdentifyRow() {
        ProviderCatalog c = ProviderCatalog.bundled();
        assertIdentity(c, OAuthService.BOX, Source.ENDPOINT, "GET", "https://api.box.com/2.0/users/me", "/id", "/login");
        assertIdentity(c, OAuthService.DROPBOX, Source.ENDPOINT, "POST",
                "https://api.dropboxapi.com/2/users/get_current_account", "/account_id", "/email");
        for (OAuthService google : List.of(OAuthService.GMAIL, OAuthService.GOOGLE_DRIVE, OAuthService.GOOGLE_CLOUD_STORAGE)) {
            assertIdentity(c, google, Source.ENDPOINT, "GET", "https://openidconnect.googleapis.com/v1/userinfo", "/sub", "/email");
            assertThat(c.spec(google).defaultScopes()).as(google.name()).contains("openid", "email");
        }
        for (OAuthService microsoft : List.of(OAuthService.ONEDRIVE, OAuthService.OUTLOOK, OAuthService.SHAREPOINT)) {
            assertIdentity(c, microsoft, Source.ENDPOINT, "GET", "https://graph.microsoft.com/v1.0/me", "/id", "/mail");
        }
        assertIdentity(c, OAuthService.CONFLUENCE, Source.ENDPOINT, "GET",
                "https://api.atlassian.com/oauth/token/accessible-resources", "/id", null);
        assertIdentity(c, OAuthService.INTERCOM, Source.ENDPOINT, "GET", "https://api.intercom.io/me", "/id", "/email");
        assertIdentity(c, OAuthService.ZENDESK, Source.ENDPOINT, "GET",
                "https://{subdomain}.zendesk.com/api/v2/users/me.json", "/user/id", "/user/email");
        assertIdentity(c, OAuthService.SERVICENOW, Source.ENDPOINT, "GET",
                "https://{instance}.service-now.com/api/now/table/sys_user?sysparm_query=user_name%3Djavascript%3Ags.getUserName()"
                        + "&sysparm_limit=1&sysparm_fields=sys_id,user_name,email,name", "/result/0/sys_id", "/result/0/email");
        assertIdentity(c, OAuthService.NOTION, Source.TOKEN_RESPONSE, "GET", null, "/workspace_id", "/owner/user/person/email");
        assertIdentity(c, OAuthService.SALESFORCE, Source.TOKEN_RESPONSE, "GET", null, "/id", null);
        assertIdentity(c, OAuthService.SLACK, Source.TOKEN_RESPONSE, "GET", null, "/authed_user/id", null);
        assertIdentity(c, OAuthService.ZOTERO, Source.TOKEN_RESPONSE, "GET", null, "/userID", null);
        assertIdentity(c, OAuthService.GONG, Source.TOKEN_RESPONSE, "GET", null, "/gong_account_email", "/gong_account_email");
    }

    @Test
    void revokeEndpointsWhereDocumented() {
        Map<OAuthService, Optional<String>> revoke = mapOf(ProviderSpec::revokeUrl);
        Map<OAuthService, String> present = new EnumMap<>(OAuthService.class);
        revoke.forEach((service, url) -> url.ifPresent(u -> present.put(service, u)));
        assertThat(present).containsExactlyInAnyOrderEntriesOf(Map.of(
                OAuthService.BOX, "https://api.box.com/oauth2/revoke",
                OAuthService.DROPBOX, "https://api.dropboxapi.com/2/auth/token/revoke",
                OAuthService.GMAIL, "https://oauth2.googleapis.com/revoke",
                OAuthService.GOOGLE_DRIVE, "https://oauth2.googleapis.com/revoke",
                OAuthService.GOOGLE_CLOUD_STORAGE, "https://oauth2.googleapis.com/revoke",
                OAuthService.NOTION, "https://api.notion.com/v1/oauth/revoke",
                OAuthService.SALESFORCE, "https://{domain}.salesforce.com/services/oauth2/revoke",
                OAuthService.SLACK, "https://slack.com/api/auth.revoke",
                OAuthService.SERVICENOW, "https://{instance}.service-now.com/oauth_revoke_token.do"));
    }

    @Test
    void apiBasesMatchProvidersMd() {
        ProviderCatalog c = ProviderCatalog.bundled();
        assertThat(c.spec(OAuthService.BOX).apiBaseUrl()).isEqualTo("https://api.box.com/2.0");
        assertThat(c.spec(OAuthService.GMAIL).apiBaseUrl()).isEqualTo("https://gmail.googleapis.com/gmail/v1/users/me");
        assertThat(c.spec(OAuthService.GOOGLE_DRIVE).apiBaseUrl()).isEqualTo("https://www.googleapis.com/drive/v3");
        assertThat(c.spec(OAuthService.GOOGLE_CLOUD_STORAGE).apiBaseUrl()).isEqualTo("https://storage.googleapis.com/storage/v1");
        assertThat(c.spec(OAuthService.ONEDRIVE).apiBaseUrl()).isEqualTo("https://graph.microsoft.com/v1.0");
        assertThat(c.spec(OAuthService.ZENDESK).apiBaseUrl()).isEqualTo("https://{subdomain}.zendesk.com/api/v2");
        assertThat(c.spec(OAuthService.SERVICENOW).apiBaseUrl()).isEqualTo("https://{instance}.service-now.com/api/now");
        assertThat(c.spec(OAuthService.ZOTERO).apiBaseUrl()).isEqualTo("https://api.zotero.org");
        assertThat(c.spec(OAuthService.NOTION).apiBaseUrl()).isEqualTo("https://api.notion.com/v1");
        assertThat(c.spec(OAuthService.CONFLUENCE).apiBaseUrl()).isEqualTo("https://api.atlassian.com/ex/confluence");
    }

    // ---- the loader refuses a broken catalogue ----------------------------------------------------

    @Test
    void theLoaderRefusesABrokenCatalogue() throws IOException {
        ObjectNode secondBox = entry(bundledYaml(), "BOX");
        assertRefused(doc -> ((ArrayNode) doc.get("providers")).add(secondBox), "BOX has more than one entry");
        assertRefused(doc -> removeEntry(doc, "GONG"), "No catalogue entry for [GONG]");
        assertRefused(doc -> entry(doc, "SLACK").put("callback_slug", "box"), "Callback slug 'box' is used by both");
        assertRefused(doc -> entry(doc, "BOX").put("scopes", "x"), "BOX: unknown key 'scopes'");
        assertRefused(doc -> entry(doc, "ZENDESK").put("token_url", "https://{sub}.zendesk.com/oauth/tokens"),
                "unknown template {sub}");
        assertRefused(doc -> entry(doc, "BOX").put("token_url", "http://api.box.com/oauth2/token"), "must be an https URL");
        assertRefused(doc -> entry(doc, "NOTION").putObject("authorize_parameters").put("client_id", "x"),
                "may not set client_id");
        assertRefused(doc -> entry(doc, "ZOTERO").putObject("authorize_parameters").put("write_access", 0),
                "must be a non-empty string");
        assertRefused(doc -> entry(doc, "ZOTERO").remove("request_token_url"), "request_token_url is required for OAUTH1A");
        assertRefused(doc -> ((ObjectNode) entry(doc, "BOX").get("identity")).remove("url"), "url is required for ENDPOINT");
        assertRefused(doc -> entry(doc, "BOX").put("refresh", "SOMETIMES"), "BOX.refresh: unknown value 'SOMETIMES'");
        assertRefused(doc -> entry(doc, "BOX").put("pkce", "yes"), "BOX.pkce must be true or false");
        assertRefused(doc -> entry(doc, "SLACK").put("scope_separator", ";"), "scope_separator");
        assertRefused(doc -> entry(doc, "BOX").putArray("default_scopes").add("a b"), "must be one scope");

        String duplicateKey = "providers:\n  - service: BOX\n    service: BOX\n";
        assertThatThrownBy(() -> ProviderCatalog.parse(duplicateKey))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Duplicate field 'service'");
        // The untouched document parses: the refusals above are the edits', not the fixture's.
        assertThat(ProviderCatalog.parse(YAML.writeValueAsString(bundledYaml())).specs())
                .isEqualTo(ProviderCatalog.bundled().specs());
    }

    // ---- overrides -------------------------------------------------------------------------------

    @Test
    void overridesReplaceOnlyTheGivenUrlsOfTheGivenService() {
        ProviderCatalog bundled = ProviderCatalog.bundled();
        ProviderCatalog faked = bundled.withOverrides(Map.of(
                OAuthService.GOOGLE_DRIVE, UrlOverrides.fromMap(Map.of(
                        "authorize_url", "http://127.0.0.1:4567/o/oauth2/v2/auth",
                        "token_url", "http://127.0.0.1:4567/token",
                        "identity_url", "http://127.0.0.1:4567/userinfo",
                        "revoke_url", "http://127.0.0.1:4567/revoke",
                        "api_base_url", "http://127.0.0.1:4567/drive/v3")),
                OAuthService.NOTION, UrlOverrides.fromMap(Map.of(
                        "token_url", "http://127.0.0.1:5678/v1/oauth/token",
                        "identity_url", "http://127.0.0.1:5678/v1/users/me"))));

        ProviderSpec drive = faked.spec(OAuthService.GOOGLE_DRIVE);
        assertThat(drive.authorizeUrl()).isEqualTo("http://127.0.0.1:4567/o/oauth2/v2/auth");
        assertThat(drive.tokenUrl()).isEqualTo("http://127.0.0.1:4567/token");
        assertThat(drive.identity().url()).contains("http://127.0.0.1:4567/userinfo");
        assertThat(drive.revokeUrl()).contains("http://127.0.0.1:4567/revoke");
        assertThat(drive.apiBaseUrl()).isEqualTo("http://127.0.0.1:4567/drive/v3");
        assertThat(drive.defaultScopes()).isEqualTo(bundled.spec(OAuthService.GOOGLE_DRIVE).defaultScopes());
        assertThat(drive.callbackSlug()).isEqualTo("google");

        ProviderSpec notion = faked.spec(OAuthService.NOTION);
        assertThat(notion.tokenUrl()).isEqualTo("http://127.0.0.1:5678/v1/oauth/token");
        assertThat(notion.authorizeUrl()).isEqualTo("https://api.notion.com/v1/oauth/authorize");
        assertThat(notion.identity()).as("a token-response identity calls no endpoint")
                .isEqualTo(bundled.spec(OAuthService.NOTION).identity());

        assertThat(faked.spec(OAuthService.GMAIL)).isEqualTo(bundled.spec(OAuthService.GMAIL));
        assertThat(faked.bySlug("google")).contains(drive);
        assertThat(bundled.spec(OAuthService.GOOGLE_DRIVE).tokenUrl()).as("the bundled catalogue is unchanged")
                .isEqualTo("https://oauth2.googleapis.com/token");
    }

    @Test
    void overridesStackAndMayUseTemplates() {
        ProviderCatalog proxied = ProviderCatalog.bundled()
                .withOverrides(Map.of(OAuthService.SHAREPOINT, UrlOverrides.fromMap(Map.of(
                        "authorize_url", "https://login.microsoftonline.us/{tenant}/oauth2/v2.0/authorize"))))
                .withOverrides(Map.of(OAuthService.SHAREPOINT, UrlOverrides.fromMap(Map.of(
                        "token_url", "https://login.microsoftonline.us/{tenant}/oauth2/v2.0/token"))));

        ProviderSpec sharepoint = proxied.spec(OAuthService.SHAREPOINT);
        assertThat(sharepoint.authorizeUrl()).isEqualTo("https://login.microsoftonline.us/{tenant}/oauth2/v2.0/authorize");
        assertThat(sharepoint.tokenUrl()).isEqualTo("https://login.microsoftonline.us/{tenant}/oauth2/v2.0/token");
        assertThat(new TemplateValues(Map.of("tenant", "contoso")).fill(sharepoint.tokenUrl()))
                .isEqualTo("https://login.microsoftonline.us/contoso/oauth2/v2.0/token");
    }

    @Test
    void overridesAreCheckedUrls() {
        assertThatThrownBy(() -> UrlOverrides.fromMap(Map.of("auth_url", "https://x.example")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unknown URL override 'auth_url'");
        assertThatThrownBy(() -> UrlOverrides.fromMap(Map.of("token_url", "ftp://x.example/token")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token_url must be an absolute http(s) URL");
        assertThatThrownBy(() -> UrlOverrides.fromMap(Map.of("token_url", "/token")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
        assertThatThrownBy(() -> UrlOverrides.fromMap(Map.of("authorize_url", "https://{region}.example/authorize")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown template {region}");
        assertThat(UrlOverrides.fromMap(Map.of("token_url", "  "))).isEqualTo(UrlOverrides.NONE);
        assertThat(UrlOverrides.NONE.isEmpty()).isTrue();
    }

    @Test
    void overridesComeFromTheEnvironment() {
        Map<String, String> env = Map.of(
                "CATCHMENT_GOOGLE_DRIVE_TOKEN_URL", "http://127.0.0.1:9000/token",
                "CATCHMENT_GOOGLE_CLOUD_STORAGE_AUTHORIZE_URL", "https://accounts.example/auth",
                "CATCHMENT_ZOTERO_REQUEST_TOKEN_URL", "http://127.0.0.1:9001/oauth/request",
                "CATCHMENT_INTERCOM_API_BASE_URL", "https://api.eu.intercom.io",
                "CATCHMENT_INTERCOM_IDENTITY_URL", "https://api.eu.intercom.io/me",
                "CATCHMENT_SLACK_REVOKE_URL", "",
                "CATCHMENT_PUBLIC_URL", "https://catchment.example",
                "PATH", "/usr/bin");

        Map<OAuthService, UrlOverrides> overrides = ProviderCatalog.overridesFromEnvironment(env);

        assertThat(overrides).containsOnlyKeys(OAuthService.GOOGLE_DRIVE, OAuthService.GOOGLE_CLOUD_STORAGE,
                OAuthService.ZOTERO, OAuthService.INTERCOM);
        assertThat(overrides.get(OAuthService.GOOGLE_DRIVE).tokenUrl()).contains("http://127.0.0.1:9000/token");
        assertThat(overrides.get(OAuthService.GOOGLE_DRIVE).authorizeUrl()).isEmpty();
        assertThat(overrides.get(OAuthService.GOOGLE_CLOUD_STORAGE).authorizeUrl()).contains("https://accounts.example/auth");
        assertThat(overrides.get(OAuthService.ZOTERO).requestTokenUrl()).contains("http://127.0.0.1:9001/oauth/request");
        assertThat(overrides.get(OAuthService.INTERCOM)).isEqualTo(new UrlOverrides(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("https://api.eu.intercom.io/me"), Optional.empty(),
                Optional.of("https://api.eu.intercom.io")));

        ProviderCatalog catalog = ProviderCatalog.bundled().withOverrides(overrides);
        assertThat(catalog.spec(OAuthService.INTERCOM).identity().url()).contains("https://api.eu.intercom.io/me");
        assertThat(catalog.spec(OAuthService.ZOTERO).requestTokenUrl()).contains("http://127.0.0.1:9001/oauth/request");

        assertThatThrownBy(() -> ProviderCatalog.overridesFromEnvironment(Map.of("CATCHMENT_BOX_TOKEN_URL", "api.box.com/token")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CATCHMENT_BOX_TOKEN_URL");
        assertThat(ProviderCatalog.overridesFromEnvironment(Map.of())).isEmpty();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static void assertIdentity(ProviderCatalog c, OAuthService service, Source source, String method,
                                       String url, String idPointer, String emailPointer) {
        ProviderSpec.IdentitySpec identity = c.spec(service).identity();
        assertThat(identity.source()).as(service + " source").isEqualTo(source);
        assertThat(identity.method()).as(service + " method").isEqualTo(method);
        assertThat(identity.url()).as(service + " url").isEqualTo(Optional.ofNullable(url));
        assertThat(identity.idPointer()).as(service + " id").isEqualTo(idPointer);
        assertThat(identity.emailPointer()).as(service + " email").isEqualTo(Optional.ofNullable(emailPointer));
    }

    private static <V> Map<OAuthService, V> mapOf(Function<ProviderSpec, V> field) {
        Map<OAuthService, V> result = new EnumMap<>(OAuthService.class);
        ProviderCatalog.bundled().specs().forEach((service, spec) -> result.put(service, field.apply(spec)));
        return result;
    }

    private static <V> Set<OAuthService> keysWith(Map<OAuthService, V> map, V value) {
        return map.entrySet().stream().filter(e -> e.getValue().equals(value)).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private static void assertRefused(Consumer<JsonNode> edit, String message) throws IOException {
        JsonNode document = bundledYaml();
        edit.accept(document);
        String yaml = YAML.writeValueAsString(document);
        assertThatThrownBy(() -> ProviderCatalog.parse(yaml)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private static ObjectNode entry(JsonNode document, String service) {
        for (JsonNode entry : document.get("providers")) {
            if (entry.get("service").asText().equals(service)) return (ObjectNode) entry;
        }
        throw new AssertionError("no entry " + service);
    }

    private static void removeEntry(JsonNode document, String service) {
        ArrayNode providers = (ArrayNode) document.get("providers");
        for (int i = 0; i < providers.size(); i++) {
            if (providers.get(i).get("service").asText().equals(service)) {
                providers.remove(i);
                return;
            }
        }
    }

    private static void collectStrings(JsonNode node, List<String> out) {
        if (node.isTextual()) out.add(node.asText());
        node.fieldNames().forEachRemaining(out::add);
        for (JsonNode child : node) collectStrings(child, out);
    }

    private static JsonNode bundledYaml() throws IOException {
        return YAML.readTree(resource("providers.yaml"));
    }

    private static JsonSchema schema() throws IOException {
        JsonNode schema = JSON.readTree(resource("providers.schema.json"));
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ProviderCatalogTest.class.getResourceAsStream("/io/catchment/oauth/" + name)) {
            assertThat(in).as(name + " on the classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
