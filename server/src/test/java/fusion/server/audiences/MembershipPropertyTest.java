package fusion.server.audiences;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.server.FusionServer;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("issue 16 audiences: live membership")
class MembershipPropertyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-05-01T00:00:00Z");
    private static final Instant NOW = START.plus(Duration.ofDays(40));
    private static final List<String> EVENTS =
            List.of("Order Completed", "Product Viewed", "Product Reviewed", "Order Refunded", "Products Searched");

    /** Audiences over counts, windows, recency, last purpose, scores and each other, in every combinator. */
    static final Map<String, String> AUDIENCES = new java.util.LinkedHashMap<>();

    static {
        AUDIENCES.put("buyers", "{\"fact\":\"events\",\"purpose\":\"purchase\",\"gte\":1}");
        AUDIENCES.put("recent-research", "{\"fact\":\"lastEvent\",\"purpose\":\"research\",\"withinDays\":10}");
        AUDIENCES.put("vip", "{\"all\":[{\"audience\":\"buyers\"},{\"fact\":\"events\",\"days\":30,\"gte\":2}]}");
        AUDIENCES.put(
                "lapsed",
                "{\"all\":[{\"audience\":\"buyers\"},"
                        + "{\"not\":{\"fact\":\"lastEvent\",\"purpose\":\"purchase\",\"withinDays\":14}}]}");
        AUDIENCES.put("complainers", "{\"fact\":\"lastPurpose\",\"in\":[\"service\",\"commentary\"]}");
        AUDIENCES.put(
                "engaged",
                "{\"any\":[{\"fact\":\"experience\",\"brand\":\"own\",\"gt\":0.05},"
                        + "{\"fact\":\"events\",\"between\":[3,5]}]}");
        AUDIENCES.put("not-vip", "{\"not\":{\"audience\":\"vip\"}}");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    @DisplayName(
            "after random event streams with merges and erasures, incremental membership equals a full re-evaluation")
    void incrementalEqualsFull(long seed, @TempDir Path dir) throws Exception {
        Random rnd = new Random(seed);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (Store store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            AudienceService audiences = new AudienceService(store, null, null, clock);
            for (var e : AUDIENCES.entrySet()) audiences.save(e.getKey(), null, JSON.readTree(e.getValue()));
            Set<String> erased = new HashSet<>();
            int merges = 0;
            int message = 0;
            for (int round = 0; round < 8; round++) {
                List<SegmentCall> batch = new ArrayList<>();
                for (int k = 0; k < 20; k++) {
                    Instant at = START.plus(Duration.ofMinutes(rnd.nextInt(40 * 24 * 60)));
                    String id = "m" + seed + "-" + message++;
                    int person = rnd.nextInt(12);
                    if (rnd.nextInt(10) == 0) { // an anonymous visitor identifies as a known user: a merge
                        batch.add(new SegmentCall(
                                SegmentCall.Type.IDENTIFY,
                                id,
                                "u" + person,
                                "anon-" + person,
                                null,
                                null,
                                null,
                                null,
                                Map.of(),
                                Map.of(),
                                Map.of(),
                                at,
                                at));
                        merges++;
                    } else {
                        boolean anonymous = rnd.nextBoolean();
                        batch.add(new SegmentCall(
                                SegmentCall.Type.TRACK,
                                id,
                                anonymous ? null : "u" + person,
                                anonymous ? "anon-" + person : null,
                                EVENTS.get(rnd.nextInt(EVENTS.size())),
                                null,
                                null,
                                null,
                                Map.of("revenue", 10),
                                Map.of(),
                                Map.of(),
                                at,
                                at));
                    }
                }
                store.ingest(batch);
                if (rnd.nextInt(3) == 0) audiences.settle(); // sometimes several batches queue up before a settle
                if (round % 3 == 2) {
                    var victim = store.profile("u" + rnd.nextInt(12));
                    if (victim.isPresent()) {
                        store.erase(victim.get().id(), "test", new PrintStream(OutputStream.nullOutputStream()));
                        erased.add(victim.get().id());
                        for (String a : AUDIENCES.keySet()) { // a later call under the same user id is a new person
                            assertThat(audiences.members(a))
                                    .as("the erased person is in no audience")
                                    .doesNotContain(victim.get().id());
                            assertThat(audiences.history(a, 100_000).changes())
                                    .extracting(AudienceService.Change::profile)
                                    .as("the erased person leaves no entered/left changes")
                                    .doesNotContain(victim.get().id());
                        }
                    }
                }
                for (String a : AUDIENCES.keySet()) {
                    assertThat(audiences.members(a))
                            .as("audience %s after round %d", a, round)
                            .isEqualTo(audiences.evaluateFromLog(a));
                }
            }
            assertThat(merges).as("the stream merged profiles").isPositive();
            assertThat(erased).as("the stream erased people").isNotEmpty();
            // the union of audience sizes is not trivial: some audiences have members, some people are outside
            assertThat(AUDIENCES.keySet().stream()
                            .mapToInt(a -> audiences.members(a).size())
                            .sum())
                    .isPositive();
        }
    }
}
