package io.catchment.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again and when it is given up: exponential backoff from
 * {@code first}, doubling up to {@code cap}, each delay drawn uniformly from its upper half
 * ("equal jitter": receivers that failed together do not get retried in lockstep, and no delay
 * shrinks to nothing).
 *
 * <p>A delivery is given up only when both hold: {@code giveUpAfter} has passed since it was
 * created (its first attempt is due then), and it has had at least {@link #minimumAttempts()},
 * the attempts the undelayed schedule makes in {@code giveUpAfter}. The second condition keeps a
 * dispatcher that was stopped for a day from giving up after a single try.
 */
public record RetrySchedule(Duration first, Duration cap, Duration giveUpAfter) {
    /** 10 s doubling to at most 1 h, for 24 h: about 30 attempts. */
    public static final RetrySchedule DEFAULT =
            new RetrySchedule(Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofHours(24));

    public RetrySchedule {
        if (first.isNegative() || first.isZero()) throw new IllegalArgumentException("first must be positive");
        if (cap.compareTo(first) < 0) throw new IllegalArgumentException("cap must be at least first");
        if (giveUpAfter.isNegative()) throw new IllegalArgumentException("giveUpAfter must not be negative");
    }

    /** The nominal (unjittered) wait after the {@code attempts}-th failed attempt (1-based). */
    public Duration nominalDelay(int attempts) {
        Duration d = first;
        for (int i = 1; i < attempts && d.compareTo(cap) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(cap) > 0 ? cap : d;
    }

    /** The wait after the {@code attempts}-th failed attempt, jittered with {@code random} in [0, 1). */
    public Duration delay(int attempts, DoubleSupplier random) {
        long nominal = nominalDelay(attempts).toMillis();
        return Duration.ofMillis(nominal / 2 + (long) (random.getAsDouble() * (nominal - nominal / 2)));
    }

    /** How many attempts the undelayed schedule makes within {@code giveUpAfter}. */
    public int minimumAttempts() {
        int attempts = 1;
        Duration elapsed = Duration.ZERO;
        while (true) {
            elapsed = elapsed.plus(nominalDelay(attempts));
            if (elapsed.compareTo(giveUpAfter) > 0) return attempts;
            attempts++;
        }
    }

    /** Whether a delivery created at {@code createdAt} that has failed {@code attempts} times is given up. */
    public boolean exhausted(Instant createdAt, int attempts, Instant now) {
        return attempts >= minimumAttempts() && !now.isBefore(createdAt.plus(giveUpAfter));
    }
}
