package io.catchment.tenancy;

/** A freshly created key: {@code secret} is the only time the plaintext exists outside the caller. */
public record NewApiKey(ApiKey key, String secret) {
    @Override
    public String toString() {
        return "NewApiKey[" + key + ", secret=<hidden>]";
    }
}
