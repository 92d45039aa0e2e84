package io.catchment.server.http;

import io.catchment.tenancy.AccessTokens;
import io.catchment.tenancy.ApiKey;
import io.catchment.tenancy.ApiKeys;
import io.catchment.tenancy.Customer;
import io.catchment.tenancy.Customers;
import io.catchment.tenancy.TokenGrant;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;

/**
 * Turns the {@code authorization} (and {@code customer-id}) headers into a {@link Caller}, or
 * an {@link ApiError}: 401 for missing or unknown credentials, 403 for credentials of the
 * wrong kind for the endpoint.
 */
public final class Authenticator {
    private final ApiKeys apiKeys;
    private final AccessTokens accessTokens;
    private final Customers customers;

    public Authenticator(ApiKeys apiKeys, AccessTokens accessTokens, Customers customers) {
        this.apiKeys = apiKeys;
        this.accessTokens = accessTokens;
        this.customers = customers;
    }

    public Caller authenticate(Context ctx, Access access) {
        if (access == Access.PUBLIC) return new Caller.Anonymous();
        String header = ctx.header("authorization");
        if (header == null || header.isBlank()) {
            throw ApiError.unauthorized("Missing authorization header: send 'Bearer <API key>' or 'Token <access token>'");
        }
        String[] parts = header.strip().split("\\s+", 2);
        if (parts.length != 2) {
            throw ApiError.unauthorized("Malformed authorization header: expected 'Bearer <API key>' or 'Token <access token>'");
        }
        String scheme = parts[0].toLowerCase(Locale.ROOT);
        String secret = parts[1].strip();
        return switch (scheme) {
            case "bearer" -> withApiKey(ctx, access, secret);
            case "token" -> withAccessToken(access, secret);
            default -> throw ApiError.unauthorized("Unsupported authorization scheme '" + parts[0]
                    + "': use 'Bearer <API key>' or 'Token <access token>'");
        };
    }

    private Caller withApiKey(Context ctx, Access access, String secret) {
        ApiKey key = apiKeys.authenticate(secret)
                .orElseThrow(() -> ApiError.unauthorized("Invalid API key (unknown or revoked)"));
        String customerId = ctx.header("customer-id");
        boolean hasCustomer = customerId != null && !customerId.isBlank();
        return switch (access) {
            case ORGANIZATION -> new Caller.Organization(key.organizationId(), key.id());
            case CUSTOMER, API_KEY_WITH_CUSTOMER -> {
                if (!hasCustomer) throw missingCustomerHeader();
                yield new Caller.CustomerScoped(key.organizationId(), key.id(),
                        customer(key.organizationId(), customerId.strip()), false);
            }
            case PUBLIC -> throw new IllegalStateException("handled above");
        };
    }

    private Caller withAccessToken(Access access, String token) {
        TokenGrant grant = accessTokens.authenticate(token)
                .orElseThrow(() -> ApiError.unauthorized("Invalid access token (unknown, expired or revoked)"));
        return switch (access) {
            case CUSTOMER -> {
                Customer customer = customers.findById(grant.customerId())
                        .orElseThrow(() -> ApiError.unauthorized("Invalid access token (its customer was deleted)"));
                yield new Caller.CustomerScoped(grant.organizationId(), grant.apiKeyId(), customer, true);
            }
            case ORGANIZATION, API_KEY_WITH_CUSTOMER ->
                    throw ApiError.forbidden("This endpoint needs an API key ('Bearer <API key>'); access tokens cannot use it");
            case PUBLIC -> throw new IllegalStateException("handled above");
        };
    }

    private Customer customer(long organizationId, String suppliedId) {
        if (suppliedId.length() > Customers.MAX_SUPPLIED_ID_LENGTH) {
            throw new ValidationFailed(List.of(new Problem(List.of("header", "customer-id"),
                    "String should have at most " + Customers.MAX_SUPPLIED_ID_LENGTH + " characters", "string_too_long",
                    com.fasterxml.jackson.databind.node.TextNode.valueOf(suppliedId))));
        }
        return customers.resolve(organizationId, suppliedId);
    }

    private static ValidationFailed missingCustomerHeader() {
        return new ValidationFailed(List.of(new Problem(List.of("header", "customer-id"), "Field required", "missing",
                com.fasterxml.jackson.databind.node.NullNode.getInstance())));
    }
}
