package io.catchment.oauth;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to connect one service, as {@code providers.yaml} declares it. URLs may hold templates filled
 * from the connect request: {@code {subdomain}} (zendesk_subdomain, confluence_subdomain),
 * {@code {tenant}} (microsoft_tenant, default {@code common}), {@code {instance}} (ServiceNow's
 * instance_subdomain), {@code {domain}} (salesforce_domain, default {@code login}).
 *
 * @param service which service
 * @param authMode OAuth 2.0 or 1.0a
 * @param authorizeUrl where the user's browser goes to consent
 * @param tokenUrl OAuth 2: the token endpoint; OAuth 1.0a: the access-token endpoint
 * @param requestTokenUrl OAuth 1.0a only: the request-token endpoint
 * @param defaultScopes read-only scopes sent when the request names none (empty: the service has none)
 * @param scopeSeparator how scopes are joined ({@code " "} or {@code ","})
 * @param scopeParameter the authorize parameter scopes go in ({@code scope}; Slack's user tokens: {@code user_scope})
 * @param authorizeParameters fixed extra authorize parameters (access_type=offline, prompt=consent, owner=user, ...)
 * @param clientAuth how the client authenticates at the token endpoint
 * @param tokenBodyFormat form or JSON token request bodies
 * @param pkce whether S256 PKCE is sent
 * @param refresh whether and how tokens refresh
 * @param identity how the connected account is identified after the token exchange
 * @param revokeUrl where a token is revoked, when the service has such an endpoint
 * @param callbackSlug the callback path is {@code /integrations/{callbackSlug}}
 * @param requiredFields connect request fields without which no URL can be built (e.g. zendesk_subdomain)
 * @param apiBaseUrl the content API base (templates allowed), for identity and connectors
 */
public record ProviderSpec(
        OAuthService service,
        AuthMode authMode,
        String authorizeUrl,
        String tokenUrl,
        Optional<String> requestTokenUrl,
        List<String> defaultScopes,
        String scopeSeparator,
        String scopeParameter,
        Map<String, String> authorizeParameters,
        ClientAuth clientAuth,
        BodyFormat tokenBodyFormat,
        boolean pkce,
        RefreshMode refresh,
        IdentitySpec identity,
        Optional<String> revokeUrl,
        String callbackSlug,
        List<String> requiredFields,
        String apiBaseUrl) {

    public ProviderSpec {
        defaultScopes = List.copyOf(defaultScopes);
        authorizeParameters = Map.copyOf(authorizeParameters);
        requiredFields = List.copyOf(requiredFields);
    }

    public enum AuthMode { OAUTH2, OAUTH1A }

    /** {@code BODY}: client_id and client_secret in the body; {@code BASIC}: HTTP Basic. */
    public enum ClientAuth { BODY, BASIC }

    public enum BodyFormat { FORM, JSON }

    /**
     * {@code ROTATING}: each refresh returns a new refresh token (the old one dies);
     * {@code STABLE}: the refresh token stays; {@code NONE}: tokens do not expire and cannot refresh;
     * {@code ON_401}: no expiry is given, refresh when the API answers 401 (Salesforce).
     */
    public enum RefreshMode { ROTATING, STABLE, NONE, ON_401 }

    /**
     * How the account is identified.
     *
     * @param source {@code ENDPOINT}: call {@code url} with the access token; {@code TOKEN_RESPONSE}:
     *     read the fields from the token response itself (Slack, Notion, Zotero, Salesforce's id)
     * @param method GET or POST (Dropbox's RPC takes POST with a JSON {@code null} body)
     * @param url the identity endpoint (templates allowed); empty for TOKEN_RESPONSE
     * @param idPointer JSON pointer to the account's stable id (the data source's external id)
     * @param emailPointer JSON pointer to an email, when there is one
     * @param namePointer JSON pointer to a display name, when there is one
     */
    public record IdentitySpec(Source source, String method, Optional<String> url, String idPointer,
                               Optional<String> emailPointer, Optional<String> namePointer) {
        public enum Source { ENDPOINT, TOKEN_RESPONSE }
    }
}
