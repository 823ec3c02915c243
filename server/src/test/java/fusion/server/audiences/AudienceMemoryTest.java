package fusion.server.audiences;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.engine.ModelConfig;
import fusion.core.model.Brand;
import fusion.core.model.Channel;
import fusion.core.model.ContactPoint;
import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.Outcome;
import fusion.core.model.Purpose;
import fusion.core.segment.SegmentCall;
import fusion.server.FusionServer;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the audience service keeps in memory (issue 18: everyone's interactions, held as objects,
 * were most of what each young collection copied under ingest): nothing while no audience is
 * defined, and for each interaction only what the facts read, exactly.
 */
class AudienceMemoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, Object> ORDER = Map.of("brand", "glitter", "revenue", 25);

    private static SegmentCall call(
            SegmentCall.Type type, String message, String user, String anonymous, String event, Instant at) {
        return AudienceCalls.call(type, message, user, anonymous, event, ORDER, at);
    }

    @Test
    @DisplayName(
            "with no audience defined, settling merging batches reads no log and keeps no one; the first audience saved then counts everyone's past events")
    void nothingIsKeptWithoutAnAudience(@TempDir Path dir) throws Exception {
        AtomicInteger walks = new AtomicInteger();
        try (SqlStore store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            Store counted = AudienceCalls.countingWalks(store, walks);
            try (AudienceService audiences = new AudienceService(counted, null, null, Clock.systemUTC())) {
                Instant at = Instant.now().minusSeconds(3600);
                // person b buys twice (anonymously, then as user b, and identify merges the two);
                // person c buys once; person d only views
                store.ingest(List.of(
                        call(SegmentCall.Type.TRACK, "1", null, "anon-b", "Order Completed", at),
                        call(SegmentCall.Type.TRACK, "2", "b", null, "Order Completed", at.plusSeconds(1))));
                audiences.settle();
                store.ingest(List.of(call(SegmentCall.Type.IDENTIFY, "3", "b", "anon-b", null, at.plusSeconds(2))));
                audiences.settle();
                store.ingest(List.of(
                        call(SegmentCall.Type.TRACK, "4", "c", null, "Order Completed", at.plusSeconds(3)),
                        call(SegmentCall.Type.TRACK, "5", "d", null, "Product Viewed", at.plusSeconds(4))));
                audiences.settle();
                assertThat(walks.get())
                        .as("walks of the log with no audience defined")
                        .isZero();
                assertThat(audiences.peopleHeld())
                        .as("people held with no audience defined")
                        .isZero();

                audiences.save(
                        "twice", null, JSON.readTree("{\"fact\":\"events\",\"purpose\":\"purchase\",\"gte\":2}"));
                audiences.save(
                        "buyers", null, JSON.readTree("{\"fact\":\"events\",\"purpose\":\"purchase\",\"gte\":1}"));
                assertThat(walks.get()).as("the first save reads the log once").isEqualTo(1);
                assertThat(audiences.members("twice")).containsExactly("b");
                assertThat(audiences.members("buyers")).containsExactlyInAnyOrder("b", "c");
                assertThat(audiences.peopleHeld()).isEqualTo(3);

                // with audiences defined, a new batch is applied from memory, not from the log
                store.ingest(
                        List.of(call(SegmentCall.Type.TRACK, "6", "c", null, "Order Completed", at.plusSeconds(5))));
                audiences.settle();
                assertThat(walks.get()).isEqualTo(1);
                assertThat(audiences.members("twice")).containsExactlyInAnyOrder("b", "c");

                // the last audience deleted, the histories go at the next settle
                audiences.delete("twice");
                audiences.delete("buyers");
                store.ingest(
                        List.of(call(SegmentCall.Type.TRACK, "7", "d", null, "Order Completed", at.plusSeconds(6))));
                audiences.settle();
                assertThat(audiences.peopleHeld()).isZero();
            }
        }
    }

    static LongStream seeds() {
        return LongStream.range(1, 9);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    @DisplayName(
            "a history gives back each interaction's instant, purpose, brand, competitor flag, contact point and channel, and orders instants as Instant does")
    void aHistoryKeepsWhatTheFactsRead(long seed) {
        Random rnd = new Random(seed);
        String[] brands = {"own", "rival", "x\u00e9"};
        Channel[] channels = Channel.values();
        Purpose[] purposes = Purpose.values();
        List<Interaction> interactions = new ArrayList<>();
        for (int k = 0; k < 300; k++) {
            long seconds = switch (rnd.nextInt(4)) {
                case 0 -> Instant.MIN.getEpochSecond() + rnd.nextInt(3);
                case 1 -> Instant.MAX.getEpochSecond() - rnd.nextInt(3);
                default -> 1_700_000_000L + rnd.nextInt(5); // many equal seconds: the nanos decide
            };
            int nanos = rnd.nextBoolean() ? 0 : rnd.nextInt(1_000_000_000);
            String brand = brands[rnd.nextInt(brands.length)];
            // the same brand id with either flag, the same contact point id on two channels
            Channel channel = channels[rnd.nextInt(channels.length)];
            interactions.add(new Interaction(
                    "m" + k,
                    "p",
                    new Brand(brand, rnd.nextBoolean()),
                    new ContactPoint("cp" + rnd.nextInt(3), channel),
                    purposes[rnd.nextInt(purposes.length)],
                    Initiator.CONSUMER,
                    Instant.ofEpochSecond(seconds, nanos),
                    Outcome.NEUTRAL,
                    List.of(),
                    ""));
        }
        EventHistory h = EventHistory.of(interactions);
        assertThat(h.size()).isEqualTo(interactions.size());
        for (int k = 0; k < h.size(); k++) {
            Interaction i = interactions.get(k);
            assertThat(h.time(k)).isEqualTo(i.time());
            assertThat(h.purpose(k)).isEqualTo(i.purpose());
            assertThat(h.brand(k)).isEqualTo(i.brand().id());
            assertThat(h.competitor(k)).isEqualTo(i.brand().competitor());
            assertThat(h.contactPoint(k)).isEqualTo(i.contactPoint().id());
            assertThat(h.channel(k)).isEqualTo(i.contactPoint().channel().label());
            for (int t = 0; t < 20; t++) {
                int j = rnd.nextInt(h.size());
                Instant other = interactions.get(j).time();
                assertThat(Integer.signum(h.compareTime(k, other)))
                        .isEqualTo(Integer.signum(i.time().compareTo(other)));
                assertThat(Integer.signum(h.compareTimes(k, j)))
                        .isEqualTo(Integer.signum(i.time().compareTo(other)));
            }
            assertThat(Integer.signum(h.compareTime(k, Instant.MIN)))
                    .isEqualTo(Integer.signum(i.time().compareTo(Instant.MIN)));
            assertThat(Integer.signum(h.compareTime(k, Instant.MAX)))
                    .isEqualTo(Integer.signum(i.time().compareTo(Instant.MAX)));
        }
    }
}
