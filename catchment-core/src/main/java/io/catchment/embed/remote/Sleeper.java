package io.catchment.embed.remote;

import java.time.Duration;

/** Waits between retries; tests pass one that records the waits instead of sleeping through them. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    Sleeper REAL = duration -> Thread.sleep(duration);
}
