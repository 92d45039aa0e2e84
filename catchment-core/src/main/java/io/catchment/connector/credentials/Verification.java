package io.catchment.connector.credentials;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a provider said about a set of credentials. Messages are written for the person who typed
 * the credentials and never contain a secret (verifiers scrub anything the provider echoes).
 */
public sealed interface Verification {

    /**
     * The provider accepted the credentials.
     *
     * @param externalId the account at the provider, stable across reconnections so the same
     *                   account updates its data source instead of adding one (Freshdesk helpdesk
     *                   host, GitBook organization id, S3 access key id, Azure storage account
     *                   name, GitHub login, Guru user name, Document360 account email, feed URL)
     * @param metadata   JSON-ready facts about the account (strings, numbers, booleans, lists of
     *                   strings), in a stable order; no secrets
     */
    record Verified(String externalId, Map<String, Object> metadata) implements Verification {
        public Verified {
            Objects.requireNonNull(externalId, "externalId");
            if (externalId.isBlank()) {
                throw new IllegalArgumentException("externalId must not be blank");
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            metadata.forEach((key, value) -> copy.put(Objects.requireNonNull(key, "metadata key"),
                    Objects.requireNonNull(value, () -> "metadata value of " + key)));
            metadata = Collections.unmodifiableMap(copy);
        }
    }

    /**
     * The credentials are wrong, lack a permission, name an account that does not exist, or were
     * malformed before anything was sent. Retrying with the same input will not help.
     */
    record Refused(String message) implements Verification {
        public Refused {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * The provider could not be asked or did not give an answer about the credentials: network
     * failure, timeout, rate limit, 5xx. Trying again later may succeed.
     */
    record Unreachable(String message) implements Verification {
        public Unreachable {
            Objects.requireNonNull(message, "message");
        }
    }
}
