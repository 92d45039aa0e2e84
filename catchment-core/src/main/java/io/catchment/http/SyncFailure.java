package io.catchment.http;

import java.time.Duration;

/**
 * Why a sync (not one item) cannot go on now: a closed set the engine acts on. {@link Auth}: the
 * user has to reconnect; {@link Config}: something the user can fix (a missing bucket, a setting);
 * {@link RateLimited}: the provider asked us to wait; {@link Transient}: retry later with backoff.
 */
public abstract sealed class SyncFailure extends Exception {
    private SyncFailure(String message) {
        super(message, null, false, false);
    }

    /** The grant is gone (revoked, expired refresh token, wrong keys): the data source needs reauthorization. */
    public static final class Auth extends SyncFailure {
        public Auth(String message) {
            super(message);
        }
    }

    /** The provider refuses for a reason the user can fix (permissions, a deleted root, a bad endpoint). */
    public static final class Config extends SyncFailure {
        public Config(String message) {
            super(message);
        }
    }

    /** The provider rate-limited us for longer than is worth waiting in place. */
    public static final class RateLimited extends SyncFailure {
        private final Duration retryAfter;

        public RateLimited(String message, Duration retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /** 5xx, timeouts, broken connections that outlasted our retries. */
    public static final class Transient extends SyncFailure {
        public Transient(String message) {
            super(message);
        }
    }
}
