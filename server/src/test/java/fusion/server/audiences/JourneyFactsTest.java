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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The journey facts on a real store, against memberships worked out by hand from ten people's
 * histories. Our brands are {@code shop} and {@code cafe}; {@code rival} and {@code beans} are
 * competitors. Days are counted back from now:
 *
 * <pre>
 * a: research at shop 40                         stalled (idle 40 > 30, not a purchase)
 * b: research at shop 40, purchase at shop 35    converted: not stalled
 * c: purchase at shop 50, service at shop 31     stalled (idle 31 > 30)
 * d: research at shop 10                         stalled only for days below 10
 * e: research at rival 60                        a competitor only: stalled only with brand rival
 * f: research at shop 20, purchase at rival 10   leaked to rival (research 10 days before)
 * g: research at shop 30, purchase at rival 10   not leaked (20 days > 14); idle exactly 30 at shop
 * h: research at shop 20, purchase at rival 15,
 *    purchase at shop 5                          not leaked: the latest purchase is ours
 * i: research at cafe 12, purchase at rival 2    leaked to rival, from cafe
 * j: research at shop 3, purchase at beans 1     leaked to beans
 * k: research at shop 1, purchase at rival stamped
 *    a minute after the clock (a client ahead)   leaked to rival at once: leakedTo is not
 *                                                time-based, so it must not look at the clock
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("issue 16 audiences: the journey facts stalled, leakedTo and leaked")
class JourneyFactsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");

    private Store store;
    private AudienceService audiences;
    private int message;

    @BeforeAll
    void load(@TempDir Path dir) {
        store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()));
        audiences = new AudienceService(store, null, null, Clock.fixed(NOW, ZoneOffset.UTC));
        List<SegmentCall> calls = new ArrayList<>();
        calls.add(call("a", "shop", "research", 40));
        calls.add(call("b", "shop", "research", 40));
        calls.add(call("b", "shop", "purchase", 35));
        calls.add(call("c", "shop", "purchase", 50));
        calls.add(call("c", "shop", "service", 31));
        calls.add(call("d", "shop", "research", 10));
        calls.add(call("e", "rival", "research", 60));
        calls.add(call("f", "shop", "research", 20));
        calls.add(call("f", "rival", "purchase", 10));
        calls.add(call("g", "shop", "research", 30));
        calls.add(call("g", "rival", "purchase", 10));
        calls.add(call("h", "shop", "research", 20));
        calls.add(call("h", "rival", "purchase", 15));
        calls.add(call("h", "shop", "purchase", 5));
        calls.add(call("i", "cafe", "research", 12));
        calls.add(call("i", "rival", "purchase", 2));
        calls.add(call("j", "shop", "research", 3));
        calls.add(call("j", "beans", "purchase", 1));
        calls.add(call("k", "shop", "research", 1));
        calls.add(call("k", "rival", "purchase", NOW.plus(Duration.ofMinutes(1))));
        store.ingest(calls);
    }

    @org.junit.jupiter.api.AfterAll
    void close() {
        if (audiences != null) audiences.close();
        if (store != null) store.close();
    }

    private SegmentCall call(String user, String brand, String purpose, int daysAgo) {
        return call(user, brand, purpose, NOW.minus(Duration.ofDays(daysAgo)));
    }

    private SegmentCall call(String user, String brand, String purpose, Instant at) {
        return new SegmentCall(
                SegmentCall.Type.TRACK,
                "m" + message++,
                user,
                null,
                "Product Viewed",
                null,
                null,
                null,
                Map.of(
                        "brand",
                        brand,
                        "competitor",
                        brand.equals("rival") || brand.equals("beans"),
                        "purpose",
                        purpose,
                        "channel",
                        "web"),
                Map.of(),
                Map.of(),
                at,
                at);
    }

    @ParameterizedTest(name = "{1} selects {2}")
    @DisplayName("each journey fact selects the people worked out by hand")
    @CsvSource(
            delimiter = '|',
            value = {
                "stalled|{\"fact\":\"stalled\"}|a c",
                "stalled-7|{\"fact\":\"stalled\",\"days\":7}|a c d f g i",
                "stalled-45|{\"fact\":\"stalled\",\"days\":45}|''",
                "stalled-rival|{\"fact\":\"stalled\",\"brand\":\"rival\"}|e",
                "stalled-cafe-7|{\"fact\":\"stalled\",\"brand\":\"cafe\",\"days\":7}|i",
                "leaked|{\"fact\":\"leaked\"}|f i j k",
                "leaked-cafe|{\"fact\":\"leaked\",\"brand\":\"cafe\"}|i",
                "leaked-shop|{\"fact\":\"leaked\",\"brand\":\"shop\"}|f j k",
                "to-rival|{\"fact\":\"leakedTo\",\"eq\":\"rival\"}|f i k",
                "to-beans|{\"fact\":\"leakedTo\",\"in\":[\"beans\"]}|j",
                "to-nobody|{\"fact\":\"leakedTo\",\"exists\":false}|a b c d e g h",
                "stalled-or-leaked|{\"any\":[{\"fact\":\"stalled\"},{\"fact\":\"leaked\"}]}|a c f i j k",
            })
    void handWorkedMembership(String id, String rule, String expected) throws Exception {
        audiences.save(id, null, JSON.readTree(rule));
        Set<String> want = new TreeSet<>();
        for (String user : expected.split(" ")) {
            if (!user.isBlank()) want.add(store.profile(user).orElseThrow().id());
        }
        assertThat(audiences.members(id)).isEqualTo(want);
        assertThat(audiences.evaluateFromLog(id))
                .as("a full re-evaluation agrees")
                .isEqualTo(want);
    }
}
