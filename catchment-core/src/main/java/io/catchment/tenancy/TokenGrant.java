package io.catchment.tenancy;

/** What a valid access token stands for: a customer of an organization, minted with an API key. */
public record TokenGrant(long organizationId, long customerId, long apiKeyId) {}
