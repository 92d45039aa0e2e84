package io.catchment.server.http;

import io.catchment.tenancy.Customer;

/** Who is calling, as established by the auth filter. */
public sealed interface Caller {
    long organizationId();

    /** The API key the request is charged to (for an access token: the key that minted it). */
    long apiKeyId();

    /** {@code authorization: Bearer <api key>} without {@code customer-id}. */
    record Organization(long organizationId, long apiKeyId) implements Caller {}

    /** An API key plus {@code customer-id}, or {@code authorization: Token <access token>}. */
    record CustomerScoped(long organizationId, long apiKeyId, Customer customer, boolean viaAccessToken)
            implements Caller {}

    /** Endpoints that need no credentials (health, metrics). */
    record Anonymous() implements Caller {
        @Override
        public long organizationId() {
            throw new IllegalStateException("anonymous caller has no organization");
        }

        @Override
        public long apiKeyId() {
            throw new IllegalStateException("anonymous caller has no API key");
        }
    }
}
