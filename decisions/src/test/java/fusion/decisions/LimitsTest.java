package fusion.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.model.Channel;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quiet hours and frequency caps on their own. */
class LimitsTest {
    private final QuietHours night = new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0));
    private final ZoneId rome = ZoneId.of("Europe/Rome");

    @Test
    void quietHoursCrossMidnightInTheCustomersZone() {
        assertThat(night.isQuiet(Instant.parse("2026-01-10T20:30:00Z"), rome)).isTrue();   // 21:30 Rome
        assertThat(night.isQuiet(Instant.parse("2026-01-10T06:59:00Z"), rome)).isTrue();   // 07:59 Rome
        assertThat(night.isQuiet(Instant.parse("2026-01-10T07:00:00Z"), rome)).isFalse();  // 08:00 Rome
        assertThat(night.isQuiet(Instant.parse("2026-01-10T12:00:00Z"), rome)).isFalse();
    }

    @Test
    void theNextAllowedInstantIsTheEndOfTheQuietSpanTheSameNightOrTheNextMorning() {
        assertThat(night.nextAllowed(Instant.parse("2026-01-10T22:00:00Z"), rome))
                .isEqualTo(Instant.parse("2026-01-11T07:00:00Z"));
        assertThat(night.nextAllowed(Instant.parse("2026-01-11T02:00:00Z"), rome))
                .isEqualTo(Instant.parse("2026-01-11T07:00:00Z"));
        Instant day = Instant.parse("2026-01-11T10:00:00Z");
        assertThat(night.nextAllowed(day, rome)).isEqualTo(day);
    }

    @Test
    void acrossTheSpringForwardNightTheMorningIsStillEightLocal() {
        // Europe/Rome moves from 02:00 to 03:00 on 2026-03-29.
        Instant next = night.nextAllowed(Instant.parse("2026-03-28T22:00:00Z"), rome);
        assertThat(next.atZone(rome).toLocalTime()).isEqualTo(LocalTime.of(8, 0));
        assertThat(next).isEqualTo(Instant.parse("2026-03-29T06:00:00Z"));
    }

    @Test
    void noQuietHoursNeverDefer() {
        assertThat(QuietHours.NONE.isQuiet(Instant.parse("2026-01-10T23:00:00Z"), rome)).isFalse();
    }

    @Test
    void aCapCountsSendsWithinItsWindowOnEitherSide() {
        FrequencyCaps.Cap cap = new FrequencyCaps.Cap(1, Duration.ofDays(1));
        Instant t = Instant.parse("2026-01-10T12:00:00Z");
        List<SentAction> later = List.of(new SentAction("a", Channel.EMAIL, t.plus(Duration.ofHours(20)), "d"));
        assertThat(cap.allows(later, Channel.EMAIL, t)).as("a deferred send 20 h later counts").isFalse();
        assertThat(cap.allows(later, Channel.APP, t)).as("another channel does not").isTrue();
        assertThat(cap.allows(later, null, t.minus(Duration.ofHours(5)))).as("25 h apart").isTrue();
    }
}
