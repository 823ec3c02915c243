package fusion.store.sql;

import static fusion.store.Calls.T0;
import static fusion.store.Calls.track;
import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Contribution;
import fusion.core.engine.Engine;
import fusion.core.engine.LedgerEntry;
import fusion.core.engine.ModelConfig;
import fusion.core.engine.Relationship;
import fusion.core.engine.StateView;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.LedgerView;
import fusion.store.Pipeline;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: the compact ledger reads back what the engine produced, bit for bit. The second
 * method is the engine itself, run in the test over a map on the same interactions: the entries
 * and states it returns are what the store had to keep, and the store's path (row binding,
 * {@link LedgerCodec}, SQL, the reads) is what is under test.
 */
class LedgerReadBackTest {
    @TempDir
    Path dir;

    private static Map<String, Object> props(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** Ana's week: a purchase, praise in public with a co-party, a late order, a rude tweet that spreads. */
    private static List<SegmentCall> story() {
        Instant t = T0;
        return List.of(
                track("s1", "ana", null, "Order Completed", t, props("brand", "glitter", "revenue", 120, "wow", true)),
                track(
                        "s2",
                        "ana",
                        null,
                        "Brand Mentioned",
                        t.plus(Duration.ofDays(1)),
                        props("brand", "glitter", "sentiment", 0.9, "reach", 50_000, "co_parties", List.of("bo"))),
                track(
                        "s3",
                        "ana",
                        null,
                        "Ticket Reopened",
                        t.plus(Duration.ofDays(2)),
                        props("brand", "glitter", "wait_seconds", 900)),
                // late: before the state's instant, so the stored state is ahead of the entry's time
                track("s4", "ana", null, "Order Completed", t.plus(Duration.ofHours(30)), props("brand", "glitter")),
                track(
                        "s5",
                        "ana",
                        null,
                        "Order Completed",
                        t.plus(Duration.ofDays(3)),
                        props("brand", "salmonella", "revenue", 80)),
                track(
                        "s6",
                        "ana",
                        null,
                        "Brand Mentioned",
                        t.plus(Duration.ofDays(4)),
                        props(
                                "brand",
                                "salmonella",
                                "sentiment",
                                -0.9,
                                "reach",
                                1_300_000,
                                "consumer_politeness",
                                "rude")),
                track(
                        "s7",
                        "ana",
                        null,
                        "Delivery Failed",
                        t.plus(Duration.ofDays(5)),
                        props("brand", "glitter", "wow", true)));
    }

    private record Produced(LedgerEntry entry, Relationship after) {}

    /** The engine alone over a map: every entry in the order produced, with the pair's state after it. */
    private static List<Produced> engineAlone(Pipeline pipeline, List<SegmentCall> calls) {
        Map<String, Relationship> state = new HashMap<>();
        StateView view = new StateView() {
            @Override
            public Optional<Relationship> relationship(String party, String brand) {
                return Optional.ofNullable(state.get(brand));
            }

            @Override
            public List<Relationship> relationshipsOf(String party) {
                return new ArrayList<>(state.values());
            }
        };
        List<Produced> out = new ArrayList<>();
        for (SegmentCall call : calls) {
            var step = pipeline.engine()
                    .apply(view, pipeline.interaction(call, "ana").orElseThrow());
            step.relationships().forEach(r -> state.put(r.brand(), r));
            for (LedgerEntry e : step.ledger()) out.add(new Produced(e, state.get(e.brand())));
        }
        return out;
    }

    @Test
    @DisplayName(
            "issue 18 the ledger: every stored entry, its contributions and its state are what the engine produced, bit for bit")
    void theStoredLedgerIsWhatTheEngineProduced() throws Exception {
        Pipeline pipeline = new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
        List<Produced> expected = engineAlone(pipeline, story());
        assertThat(expected).extracting(p -> p.entry().kind()).contains(LedgerEntry.Kind.PROPAGATED);
        assertThat(expected)
                .as("the late order leaves the state ahead of its entry")
                .anyMatch(p -> p.after().asOfMillis() > p.entry().time().toEpochMilli());
        Map<String, List<LedgerView>> api = new HashMap<>();
        try (SqlStore s = SqlStore.sqlite(dir, pipeline)) {
            s.ingest(story());
            for (String brand : List.of("glitter", "salmonella")) api.put(brand, s.ledger("ana", brand, 100));
        }
        List<Produced> stored = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT party, brand, time, event_id, kind, experience_before, "
                        + "experience_after, fusion_before, fusion_after, faded, note, contributions, state "
                        + "FROM ledger ORDER BY seq")) {
            while (rs.next()) {
                long time = rs.getLong(3);
                stored.add(new Produced(
                        new LedgerEntry(
                                rs.getString(1),
                                rs.getString(2),
                                Instant.ofEpochMilli(time),
                                rs.getString(4),
                                LedgerCodec.kind(rs.getInt(5)),
                                rs.getDouble(6),
                                rs.getDouble(7),
                                rs.getDouble(8),
                                rs.getDouble(9),
                                rs.getDouble(10),
                                LedgerCodec.contributions(rs.getBytes(12)),
                                rs.getString(11)),
                        LedgerCodec.state(rs.getString(1), rs.getString(2), time, rs.getBytes(13))));
            }
        }
        assertThat(stored.stream().map(LedgerReadBackTest::bits).toList())
                .isEqualTo(expected.stream().map(LedgerReadBackTest::bits).toList());
        // and through the API: newest first per pair, the numbers' bits and the cause as the engine reads it
        for (String brand : List.of("glitter", "salmonella")) {
            List<LedgerEntry> pair = expected.stream()
                    .map(Produced::entry)
                    .filter(e -> e.brand().equals(brand))
                    .toList();
            List<LedgerView> read = api.get(brand);
            assertThat(read).hasSameSizeAs(pair);
            for (int i = 0; i < pair.size(); i++) {
                LedgerEntry e = pair.get(pair.size() - 1 - i);
                LedgerView v = read.get(i);
                assertThat(List.of(v.kind(), v.eventId(), v.cause()))
                        .isEqualTo(List.of(e.kind().label(), e.eventId(), e.cause()));
                assertThat(rawBits(v.experienceBefore(), v.experienceAfter(), v.fusionBefore(), v.fusionAfter()))
                        .isEqualTo(
                                rawBits(e.experienceBefore(), e.experienceAfter(), e.fusionBefore(), e.fusionAfter()));
            }
        }
    }

    /** Every field, doubles as their raw bits, so that -0.0 and 0.0 or two NaNs cannot pass for each other. */
    static List<Object> bits(Produced p) {
        LedgerEntry e = p.entry();
        Relationship r = p.after();
        List<Object> out = new ArrayList<>(List.of(e.party(), e.brand(), e.time(), e.eventId(), e.kind(), e.note()));
        out.addAll(rawBits(e.experienceBefore(), e.experienceAfter(), e.fusionBefore(), e.fusionAfter(), e.faded()));
        for (Contribution c : e.contributions()) {
            out.addAll(List.of(c.rule(), c.target(), Double.doubleToRawLongBits(c.points()), c.detail()));
        }
        out.addAll(List.of(r.party(), r.brand(), r.asOfMillis(), r.events(), r.firstSeenMillis()));
        out.addAll(rawBits(
                r.needsMet(),
                r.needsFailed(),
                r.easeGood(),
                r.easeBad(),
                r.delight(),
                r.brandGives(),
                r.consumerGives(),
                r.association(),
                r.money()));
        return out;
    }

    private static List<Long> rawBits(double... ds) {
        List<Long> out = new ArrayList<>();
        for (double d : ds) out.add(Double.doubleToRawLongBits(d));
        return out;
    }
}
