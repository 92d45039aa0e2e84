package io.catchment.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    final RetrySchedule schedule = RetrySchedule.DEFAULT;

    @Test
    void doublesFromTenSecondsUpToAnHour() {
        assertThat(schedule.nominalDelay(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(schedule.nominalDelay(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(schedule.nominalDelay(9)).isEqualTo(Duration.ofSeconds(2560));
        assertThat(schedule.nominalDelay(10)).isEqualTo(Duration.ofHours(1));
        assertThat(schedule.nominalDelay(500)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void jitterStaysInTheUpperHalfOfTheDelay() {
        assertThat(schedule.delay(3, () -> 0.0)).isEqualTo(Duration.ofSeconds(20));
        assertThat(schedule.delay(3, () -> 0.5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(schedule.delay(3, () -> 0.999999)).isBetween(Duration.ofMillis(39_999), Duration.ofSeconds(40));
    }

    @Test
    void givesUpOnlyAfterTheWindowAndTheAttemptsItWouldHaveMade() {
        // 10+20+...+2560 s (9 delays, 5110 s) then hourly: 32 attempts cover 24 h.
        assertThat(schedule.minimumAttempts()).isEqualTo(32);
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        Instant dayLater = created.plus(Duration.ofHours(24));

        assertThat(schedule.exhausted(created, 40, dayLater.minusSeconds(1))).isFalse();
        // A dispatcher that was down all day does not give up after one try.
        assertThat(schedule.exhausted(created, 1, dayLater.plusSeconds(3600))).isFalse();
        assertThat(schedule.exhausted(created, 32, dayLater)).isTrue();
    }
}
