package io.catchment.server.http;

/** Which credentials an endpoint accepts (Carbon's three security schemes). */
public enum Access {
    /** API key only; access tokens get 403. */
    ORGANIZATION,
    /** An access token, or an API key with a {@code customer-id} header. */
    CUSTOMER,
    /** An API key with a {@code customer-id} header; access tokens get 403 (minting tokens). */
    API_KEY_WITH_CUSTOMER,
    /** No credentials. */
    PUBLIC
}
