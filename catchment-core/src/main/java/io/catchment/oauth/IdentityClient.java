package io.catchment.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds out which account a new connection reached, as the spec's {@link ProviderSpec.IdentitySpec}
 * says: from an identity endpoint called with the access token (GET, or POST: Dropbox's RPC takes
 * the JSON body {@code null}), or from the token response itself (Slack, Notion, Salesforce,
 * Zotero). Special cases no spec field covers:
 * <ul>
 *   <li>Confluence: the endpoint lists the Atlassian sites the token reaches; the one whose host is
 *       {@code confluence_subdomain} (its first label, or the whole host) is the account;
 *   <li>Gong has no "me": the account is {@code gong_account_email} (a pointer naming a connect
 *       field reads the connect request), and calls go to the customer's {@code api_base_url_for_customer};
 *   <li>URLs may name token-response fields as templates: {@code {instance_url}} (Salesforce),
 *       {@code {api_base_url_for_customer}} (Gong).
 * </ul>
 * Thread-safe.
 */
public final class IdentityClient {
    /** The Notion API version our calls declare. */
    static final String NOTION_VERSION = "2022-06-28";
    private static final List<String> RESPONSE_TEMPLATES = List.of("instance_url", "api_base_url_for_customer");

    private final TokenHttp http;

    public IdentityClient(HttpClient http) {
        this(http, TokenHttp.DEFAULT_TIMEOUT, TokenHttp.DEFAULT_BACKOFF);
    }

    IdentityClient(HttpClient http, Duration timeout, List<Duration> backoff) {
        this.http = new TokenHttp(Objects.requireNonNull(http, "http"), timeout, backoff);
    }

    /**
     * @param connectFields the connect request's service fields as given (confluence_subdomain,
     *     gong_account_email, microsoft_tenant, sharepoint_site_name, zendesk_subdomain, ...)
     * @throws OAuthException PROVIDER_ERROR when the answer names no account (or, for Confluence,
     *     no site matches); the endpoint's refusals as {@link TokenClient} reports them
     */
    public AccountIdentity identify(ProviderSpec spec, TemplateValues values, TokenSet tokens,
                                    Map<String, String> connectFields) throws OAuthException {
        ProviderSpec.IdentitySpec identity = spec.identity();
        OAuthService service = spec.service();
        String what = TokenHttp.display(service) + " identity endpoint";
        JsonNode source;
        if (identity.source() == ProviderSpec.IdentitySpec.Source.TOKEN_RESPONSE) {
            source = tokens.response().at(identity.idPointer()).isMissingNode() && identity.bareToken().isPresent()
                    ? bareTokenIdentity(spec, identity.bareToken().get(), values, tokens) : tokens.response();
        } else {
            JsonNode answer = fetch(spec, values, tokens, what);
            source = service == OAuthService.CONFLUENCE
                    ? site(answer, field(connectFields, "confluence_subdomain").or(() -> values.get("subdomain")))
                    : answer;
        }
        Optional<String> id = resolve(source, identity.idPointer(), connectFields);
        if (id.isEmpty() && service == OAuthService.GONG) id = field(connectFields, "gong_account_email");
        if (id.isEmpty()) {
            throw new OAuthException(OAuthException.Kind.PROVIDER_ERROR, (identity.source()
                    == ProviderSpec.IdentitySpec.Source.TOKEN_RESPONSE ? TokenHttp.display(service) + " token response"
                    : what) + " names no account id at " + identity.idPointer());
        }
        Optional<String> email = identity.emailPointer().flatMap(p -> resolve(source, p, connectFields))
                .or(() -> fallbackEmail(service, source, tokens, connectFields));
        Optional<String> name = identity.namePointer().flatMap(p -> resolve(source, p, connectFields));
        ObjectNode metadata = metadata(service, source, tokens.responseWithoutSecrets(), values, connectFields);
        email.ifPresent(e -> metadata.put("email", e));
        name.ifPresent(n -> metadata.put("name", n));
        tokens.scope().ifPresent(s -> metadata.put("scope", s));
        return new AccountIdentity(id.get(), email, name, metadata);
    }

    /**
     * A token given without its token response ({@code /integrations/connect}) of a service
     * identified from that response: the provider is asked as the catalogue says (Slack's
     * {@code auth.test}, Salesforce's {@code userinfo}), and its answer's id is put where the
     * token response would have had it, so the account gets the same external id either way.
     */
    private JsonNode bareTokenIdentity(ProviderSpec spec, ProviderSpec.BareTokenCheck check, TemplateValues values,
                                       TokenSet tokens) throws OAuthException {
        String what = TokenHttp.display(spec.service()) + " token check";
        URI uri = TokenHttp.uri(values.fill(spec.apiBaseUrl()).replaceAll("/+$", "") + check.path(), what);
        JsonNode answer = call(spec, uri, "GET", tokens, what);
        JsonNode id = answer.at(check.idPointer());
        if (!id.isValueNode() || id.asText().isBlank()) {
            throw new OAuthException(OAuthException.Kind.PROVIDER_ERROR, what + " names no account id at " + check.idPointer());
        }
        ObjectNode shaped = tokens.response().deepCopy();
        place(shaped, spec.identity().idPointer(), id.asText());
        return shaped;
    }

    /** Sets {@code value} at a JSON pointer of plain object keys, making the objects on the way. */
    private static void place(ObjectNode root, String pointer, String value) {
        String[] parts = pointer.substring(1).split("/");
        ObjectNode at = root;
        for (int i = 0; i < parts.length - 1; i++) {
            at = at.get(parts[i]) instanceof ObjectNode child ? child : at.putObject(parts[i]);
        }
        at.put(parts[parts.length - 1], value);
    }

    private JsonNode fetch(ProviderSpec spec, TemplateValues values, TokenSet tokens, String what) throws OAuthException {
        ProviderSpec.IdentitySpec identity = spec.identity();
        String template = identity.url().orElseThrow(() -> new OAuthException(OAuthException.Kind.PROVIDER_ERROR,
                what + " has no URL in the catalogue"));
        URI uri = TokenHttp.uri(identityUrl(spec.service(), template, values, tokens.response()), what);
        return call(spec, uri, identity.method(), tokens, what);
    }

    private JsonNode call(ProviderSpec spec, URI uri, String method, TokenSet tokens, String what) throws OAuthException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "application/json");
        if (spec.service() == OAuthService.ZOTERO) {
            request.header("Zotero-API-Key", tokens.accessToken()).header("Zotero-API-Version", "3");
        } else {
            request.header("Authorization", "Bearer " + tokens.accessToken());
        }
        if (spec.service() == OAuthService.NOTION) request.header("Notion-Version", NOTION_VERSION);
        if ("POST".equalsIgnoreCase(method)) {
            // Dropbox's RPC endpoints without arguments take the JSON body null.
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("null"));
        } else {
            request.GET();
        }
        List<String> secrets = tokens.refreshToken().map(r -> List.of(tokens.accessToken(), r))
                .orElse(List.of(tokens.accessToken()));
        TokenHttp.Answer answer = http.send(request, what, secrets);
        if (!answer.ok()) throw TokenHttp.refusal(what, answer, secrets);
        JsonNode body;
        try {
            body = Json.mapper().readTree(answer.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !(body.isObject() || body.isArray())) {
            throw new OAuthException(OAuthException.Kind.PROVIDER_ERROR, what + " answered with something that is not JSON");
        }
        if (body.path("ok").isBoolean() && !body.path("ok").asBoolean()) throw TokenHttp.refusal(what, answer, secrets);
        return body;
    }

    /**
     * The URL with token-response templates ({@code {instance_url}}, {@code {api_base_url_for_customer}})
     * and then the connect request's templates filled. Gong's calls go to the customer's API host
     * whenever the token response names one.
     */
    static String identityUrl(OAuthService service, String template, TemplateValues values, ObjectNode response)
            throws OAuthException {
        String url = template;
        for (String field : RESPONSE_TEMPLATES) {
            if (!url.contains("{" + field + "}")) continue;
            url = url.replace("{" + field + "}", baseUrl(response, field).orElseThrow(() -> new OAuthException(
                    OAuthException.Kind.PROVIDER_ERROR, "the token response has no usable " + field)));
        }
        url = values.fill(url);
        if (service == OAuthService.GONG) {
            Optional<String> customer = baseUrl(response, "api_base_url_for_customer");
            if (customer.isPresent()) {
                URI given = URI.create(url);
                String origin = given.getScheme() + "://" + given.getRawAuthority();
                url = customer.get() + url.substring(origin.length());
            }
        }
        return url;
    }

    /**
     * A base URL from the token response: https, or http to a loopback host (tests); no query, no
     * fragment, no user info, trailing slash dropped. Anything else is not followed.
     */
    private static Optional<String> baseUrl(ObjectNode response, String field) {
        JsonNode value = response.get(field);
        if (value == null || !value.isTextual()) return Optional.empty();
        try {
            URI uri = URI.create(value.asText().strip());
            boolean loopback = uri.getHost() != null && (uri.getHost().equals("127.0.0.1") || uri.getHost().equals("localhost"));
            boolean scheme = "https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && loopback);
            if (!scheme || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || uri.getRawUserInfo() != null) {
                return Optional.empty();
            }
            String text = uri.toString();
            return Optional.of(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The Atlassian site (accessible resource) for the requested subdomain: the one whose host's
     * first label is it, or whose host is it; without a subdomain, the only site.
     */
    static JsonNode site(JsonNode sites, Optional<String> subdomain) throws OAuthException {
        if (!sites.isArray()) {
            throw new OAuthException(OAuthException.Kind.PROVIDER_ERROR,
                    "Confluence accessible-resources answered with something that is not a list of sites");
        }
        List<String> hosts = new ArrayList<>();
        for (JsonNode site : sites) {
            String host = host(site.path("url").asText(""));
            hosts.add(host);
            if (subdomain.isEmpty()) continue;
            String wanted = subdomain.get().toLowerCase(Locale.ROOT);
            if (host.equals(wanted) || host.startsWith(wanted + ".")) return site;
        }
        if (subdomain.isEmpty() && sites.size() == 1) return sites.get(0);
        String reached = hosts.isEmpty() ? "no site" : String.join(", ", hosts);
        // Not granting the named site is the user's choice at the consent screen, not a provider fault.
        throw new OAuthException(subdomain.isPresent() ? OAuthException.Kind.ACCESS_DENIED : OAuthException.Kind.PROVIDER_ERROR,
                subdomain.map(s -> "The Atlassian account did not grant access to the Confluence site " + s
                        + " (it reached " + reached + ")")
                .orElse("Name the Confluence site (confluence_subdomain): the account reached " + reached));
    }

    private static String host(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "" : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static Optional<String> fallbackEmail(OAuthService service, JsonNode source, TokenSet tokens,
                                                  Map<String, String> connectFields) {
        return switch (service) {
            // Graph's mail is empty for accounts without a mailbox; the sign-in name is an address.
            case ONEDRIVE, OUTLOOK, SHAREPOINT -> pointer(source, "/userPrincipalName").filter(u -> u.contains("@"));
            case GONG -> field(connectFields, "gong_account_email");
            // Notion tells the user's email only in the token response.
            case NOTION -> pointer(tokens.response(), "/owner/user/person/email");
            default -> Optional.empty();
        };
    }

    /** Non-secret facts about the connection, per service. */
    private static ObjectNode metadata(OAuthService service, JsonNode source, ObjectNode response, TemplateValues values,
                                       Map<String, String> fields) {
        ObjectNode meta = Json.object();
        switch (service) {
            case GMAIL, GOOGLE_DRIVE, GOOGLE_CLOUD_STORAGE -> {
                copy(meta, "sub", source, "/sub");
                copy(meta, "hosted_domain", source, "/hd");
            }
            case ONEDRIVE, OUTLOOK, SHAREPOINT -> {
                copy(meta, "user_principal_name", source, "/userPrincipalName");
                Optional.ofNullable(fields.get("microsoft_tenant")).or(() -> values.get("tenant"))
                        .ifPresent(t -> meta.put("microsoft_tenant", t));
                field(fields, "sharepoint_site_name").ifPresent(s -> meta.put("sharepoint_site_name", s));
            }
            case NOTION -> {
                for (String f : List.of("workspace_id", "workspace_name", "workspace_icon", "bot_id")) {
                    copy(meta, f, response, "/" + f);
                }
                copy(meta, "owner_type", response, "/owner/type");
                copy(meta, "owner_user_id", response, "/owner/user/id");
            }
            case SLACK -> {
                copy(meta, "team_id", response, "/team/id");
                copy(meta, "team_name", response, "/team/name");
                copy(meta, "enterprise_id", response, "/enterprise/id");
                copy(meta, "enterprise_name", response, "/enterprise/name");
                copy(meta, "user_id", response, "/authed_user/id");
                copy(meta, "bot_user_id", response, "/bot_user_id");
                copy(meta, "app_id", response, "/app_id");
                copy(meta, "team_url", source, "/url");
            }
            case SALESFORCE -> {
                copy(meta, "instance_url", response, "/instance_url");
                copy(meta, "identity_url", response, "/id");
                pointer(response, "/id").map(IdentityClient::pathSegments).filter(p -> p.size() >= 2).ifPresent(p -> {
                    meta.put("organization_id", p.get(p.size() - 2));
                    meta.put("user_id", p.get(p.size() - 1));
                });
                copy(meta, "organization_id", source, "/organization_id");
                copy(meta, "user_id", source, "/user_id");
            }
            case GONG -> {
                copy(meta, "api_base_url_for_customer", response, "/api_base_url_for_customer");
                field(fields, "gong_account_email").ifPresent(e -> meta.put("gong_account_email", e));
            }
            case INTERCOM -> {
                copy(meta, "app_id", source, "/app/id_code");
                copy(meta, "app_name", source, "/app/name");
                copy(meta, "region", source, "/app/region");
            }
            case DROPBOX -> {
                copy(meta, "account_id", source, "/account_id");
                copy(meta, "account_type", source, "/account_type/.tag");
                copy(meta, "team_name", source, "/team/name");
            }
            case BOX -> copy(meta, "login", source, "/login");
            case ZENDESK -> {
                field(fields, "zendesk_subdomain").or(() -> values.get("subdomain"))
                        .ifPresent(s -> meta.put("zendesk_subdomain", s));
                copy(meta, "role", source, "/user/role");
            }
            case SERVICENOW -> {
                values.get("instance").ifPresent(i -> meta.put("instance_subdomain", i));
                copy(meta, "user_name", source, "/result/0/user_name");
            }
            case CONFLUENCE -> {
                copy(meta, "cloud_id", source, "/id");
                copy(meta, "site_name", source, "/name");
                copy(meta, "site_url", source, "/url");
                field(fields, "confluence_subdomain").or(() -> values.get("subdomain"))
                        .ifPresent(s -> meta.put("confluence_subdomain", s));
            }
            case ZOTERO -> {
                copy(meta, "user_id", response, "/userID");
                copy(meta, "username", response, "/username");
            }
        }
        return meta;
    }

    private static List<String> pathSegments(String url) {
        try {
            String path = URI.create(url).getPath();
            List<String> out = new ArrayList<>();
            for (String s : path == null ? new String[0] : path.split("/")) if (!s.isEmpty()) out.add(s);
            return out;
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    private static void copy(ObjectNode meta, String key, JsonNode node, String pointer) {
        pointer(node, pointer).ifPresent(v -> meta.put(key, v));
    }

    /**
     * The value at {@code pointer} in {@code source}; when there is none and the pointer is one segment
     * naming a connect field ({@code /gong_account_email}), that field: the catalogue's convention for
     * services whose answers identify no user (Gong).
     */
    static Optional<String> resolve(JsonNode source, String pointer, Map<String, String> connectFields) {
        Optional<String> value = pointer(source, pointer);
        if (value.isPresent()) return value;
        String name = pointer.startsWith("/") ? pointer.substring(1) : pointer;
        return name.isEmpty() || name.contains("/") ? Optional.empty() : field(connectFields, name);
    }

    /** A scalar at a JSON pointer, as text (numeric ids too); empty for missing, null, blank or non-scalar. */
    static Optional<String> pointer(JsonNode node, String pointer) {
        JsonNode value = node.at(pointer.startsWith("/") ? pointer : "/" + pointer);
        if (value.isMissingNode() || value.isNull() || !value.isValueNode()) return Optional.empty();
        String text = value.asText();
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    private static Optional<String> field(Map<String, String> fields, String name) {
        String value = fields.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
