package fusion.server.audiences;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.server.FusionServer;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rule the service classes as not time-based is never re-evaluated because time passed, so its
 * answer must not depend on the clock: an event the store holds counts whatever its time, also one
 * stamped a little after the service's clock (the same millisecond, or a client clock ahead).
 */
@DisplayName("issue 16 audiences: rules that are not time-based do not depend on the clock")
class TimeIndependenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-05-10T12:00:00.123Z");

    @Test
    @DisplayName(
            "issue 16 (CI defect): a purchase stamped in the same millisecond as the settle, or ahead of the clock, makes its buyer a member at once")
    void anEventAheadOfTheClockCounts(@TempDir Path dir) throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (Store store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            AudienceService audiences = new AudienceService(store, null, null, clock);
            audiences.save("buyers", null, JSON.readTree("{\"fact\":\"events\",\"purpose\":\"purchase\",\"gte\":1}"));
            audiences.save(
                    "complainers",
                    null,
                    JSON.readTree("{\"fact\":\"lastPurpose\",\"in\":[\"service\",\"commentary\"]}"));
            store.ingest(List.of(
                    // 456 microseconds after the clock's millisecond: what a fast settle sees in production
                    AudienceCalls.track("m1", "same-ms", "Order Completed", NOW.plusNanos(456_000)),
                    AudienceCalls.track("m2", "ahead", "Order Completed", NOW.plus(Duration.ofHours(1))),
                    AudienceCalls.track("m3", "ahead", "Product Reviewed", NOW.plus(Duration.ofHours(2))),
                    AudienceCalls.track("m4", "before", "Product Viewed", NOW.minus(Duration.ofDays(1)))));
            audiences.settle();
            // by hand: same-ms and ahead bought once each; before only viewed; ahead's latest event is a review
            assertThat(audiences.members("buyers")).containsExactlyInAnyOrder("same-ms", "ahead");
            assertThat(audiences.members("complainers")).containsExactly("ahead");
        }
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private volatile Instant now = NOW;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14})
    @DisplayName(
            "property: for every audience not marked time-based, the membership kept live equals a full evaluation 90 days later")
    void membershipOfRulesThatAreNotTimeBasedIgnoresTheClock(long seed, @TempDir Path dir) throws Exception {
        Random rnd = new Random(seed);
        MovingClock clock = new MovingClock();
        try (Store store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            AudienceService audiences = new AudienceService(store, null, null, clock);
            for (var e : MembershipPropertyTest.AUDIENCES.entrySet())
                audiences.save(e.getKey(), null, JSON.readTree(e.getValue()));
            List<String> stable = audiences.list().stream()
                    .filter(d -> !d.timeBased() && d.dependsOn().isEmpty())
                    .map(AudienceService.Definition::id)
                    .toList();
            assertThat(stable)
                    .as("the fixture has rules that are not time-based")
                    .contains("buyers", "complainers");
            List<String> events = List.of("Order Completed", "Product Viewed", "Product Reviewed", "Order Refunded");
            List<SegmentCall> batch = new ArrayList<>();
            for (int k = 0; k < 150; k++) {
                // times within two days either side of the clock
                Instant at = NOW.plusMillis(rnd.nextInt(4 * 86_400_000) - 2L * 86_400_000);
                batch.add(AudienceCalls.track(
                        "s" + seed + "-" + k, "u" + rnd.nextInt(25), events.get(rnd.nextInt(events.size())), at));
            }
            store.ingest(batch);
            audiences.settle();
            clock.now = NOW.plus(Duration.ofDays(90));
            for (String a : stable) {
                Set<String> live = audiences.members(a);
                assertThat(live)
                        .as("audience %s: kept live at the old clock vs evaluated 90 days later", a)
                        .isEqualTo(audiences.evaluateFromLog(a));
            }
        }
    }
}
