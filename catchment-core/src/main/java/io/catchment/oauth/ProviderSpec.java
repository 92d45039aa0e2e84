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
 * @param revokeStyle how the revoke call is made and authenticated
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
        RevokeStyle revokeStyle,
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
     * How a token is revoked. {@code RFC7009}: a form with {@code token}, the client authenticated as
     * at the token endpoint. The others are the providers' own shapes; where the token authenticates
     * its own revocation ({@link #authenticatesWithToken()}), a refresh token cannot be sent and a
     * dead token is refused like any dead token.
     */
    public enum RevokeStyle {
        RFC7009(false),
        /** Notion: a JSON {@code {"token"}} body, client credentials in Basic. */
        JSON_BASIC(false),
        /** ServiceNow: the token in the query string, no client authentication. */
        TOKEN_QUERY_GET(false),
        /** Dropbox: POST with the token as bearer and the JSON body {@code null}. */
        BEARER_POST_JSON_NULL(true),
        /** Slack, Intercom: POST with the token as bearer, no body. */
        BEARER_POST(true),
        /** Zendesk: DELETE with the token as bearer. */
        BEARER_DELETE(true),
        /** Zotero: DELETE with the key in {@code Zotero-API-Key}. */
        API_KEY_DELETE(true);

        private final boolean authenticatesWithToken;

        RevokeStyle(boolean authenticatesWithToken) {
            this.authenticatesWithToken = authenticatesWithToken;
        }

        public boolean authenticatesWithToken() {
            return authenticatesWithToken;
        }
    }

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
     * @param bareToken for TOKEN_RESPONSE services: how a token that came without its response
     *     ({@code /integrations/connect}) is identified by asking the provider
     */
    public record IdentitySpec(Source source, String method, Optional<String> url, String idPointer,
                               Optional<String> emailPointer, Optional<String> namePointer,
                               Optional<BareTokenCheck> bareToken) {
        public enum Source { ENDPOINT, TOKEN_RESPONSE }

        public IdentitySpec(Source source, String method, Optional<String> url, String idPointer,
                            Optional<String> emailPointer, Optional<String> namePointer) {
            this(source, method, url, idPointer, emailPointer, namePointer, Optional.empty());
        }
    }

    /**
     * A GET of {@code path} under the API base with the token as bearer; the account id is at
     * {@code idPointer} of the answer (the same id the token response would have named).
     */
    public record BareTokenCheck(String path, String idPointer) {}
}
