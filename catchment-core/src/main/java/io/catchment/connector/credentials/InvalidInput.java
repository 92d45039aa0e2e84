package io.catchment.connector.credentials;

/**
 * Input that cannot be sent to the provider (blank, wrong shape, a host name that could steer the
 * request elsewhere). Thrown by {@link Inputs} and turned into {@link Verification.Refused} by the
 * verifier, so no request goes out.
 */
final class InvalidInput extends RuntimeException {
    InvalidInput(String message) {
        super(message, null, false, false);
    }
}
