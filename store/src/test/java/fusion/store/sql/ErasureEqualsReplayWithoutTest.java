package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.Calls;
import fusion.store.Pipeline;
import fusion.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14 item 5, as a property: whatever way an erasure takes (in place, or the full rebuild
 * when the person's events reached anyone else), the store afterwards has exactly the digests of
 * a store that was only ever sent the calls of everyone else. Seeded random traffic: people with
 * ids of their own, some sharing a device id with another person, aliases, identifies, consent,
 * unknown events and group calls; three people erased one after another, one of them always a
 * person whose events reached no one else (so the in-place way is exercised every time).
 */
class ErasureEqualsReplayWithoutTest {
    private static final String[] BRANDS = {"glitter", "brewline", "rivalwear"};
    private static final String[] EVENTS = {
        "Order Completed",
        "Ticket Resolved",
        "Ticket Reopened",
        "Product Viewed",
        "Membership Renewed",
        "Delivery Failed"
    };

    @TempDir
    Path dir;

    private int stores;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (long seed = 1; seed <= 12; seed++) out.add(Arguments.of(seed, "sqlite"));
        for (long seed = 101; seed <= 103; seed++) out.add(Arguments.of(seed, "postgresql"));
        return out.stream();
    }

    @ParameterizedTest(name = "seed {0} on {1}")
    @MethodSource("cases")
    @DisplayName("issue 14 item 5: erasing random people one after another leaves exactly the digests of a replay "
            + "without them")
    void erasureEqualsReplayWithout(long seed, String kind) {
        Random r = new Random(seed);
        List<SegmentCall> calls = traffic(r, 30, 900);
        try (Store live = open(kind)) {
            for (int i = 0; i < calls.size(); i += 200) live.ingest(calls.subList(i, Math.min(calls.size(), i + 200)));
            Set<String> gone = new HashSet<>();
            List<String> victims = new ArrayList<>(List.of(loner(calls)));
            while (victims.size() < 3) {
                String v = "user-" + r.nextInt(30);
                if (!victims.contains(v)) victims.add(v);
            }
            for (String who : victims) {
                var profile = live.profile(who);
                if (profile.isEmpty()) continue; // merged into someone erased before
                String id = profile.get().id();
                live.forEachEventOf(id, (s, call) -> gone.add(call.messageId()));
                ByteArrayOutputStream said = new ByteArrayOutputStream();
                live.erase(id, "token:test", new PrintStream(said, true, StandardCharsets.UTF_8));
                if (who.equals(victims.get(0))) {
                    assertThat(said.toString(StandardCharsets.UTF_8))
                            .as("the loner is erased in place")
                            .contains("reached no one else");
                }
                List<SegmentCall> rest = calls.stream()
                        .filter(c -> !gone.contains(c.messageId()))
                        .toList();
                try (Store expected = open(kind)) {
                    for (int i = 0; i < rest.size(); i += 200) {
                        expected.ingest(rest.subList(i, Math.min(rest.size(), i + 200)));
                    }
                    assertThat(live.digest().differences(expected.digest()))
                            .as("after erasing " + who + " (seed " + seed + ")")
                            .isEmpty();
                }
            }
            // and the store goes on numbering where a replay would
            live.ingest(List.of(
                    Calls.track("after", "user-0", null, "Order Completed", Calls.T0, Map.of("brand", "glitter"))));
            List<SegmentCall> rest = new ArrayList<>(
                    calls.stream().filter(c -> !gone.contains(c.messageId())).toList());
            try (Store expected = open(kind)) {
                for (int i = 0; i < rest.size(); i += 200)
                    expected.ingest(rest.subList(i, Math.min(rest.size(), i + 200)));
                expected.ingest(List.of(
                        Calls.track("after", "user-0", null, "Order Completed", Calls.T0, Map.of("brand", "glitter"))));
                assertThat(live.digest().differences(expected.digest())).isEmpty();
            }
        }
    }

    private static String loner(List<SegmentCall> calls) {
        return calls.get(calls.size() - 1).userId();
    }

    private Store open(String kind) {
        Pipeline pipeline = new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
        // runs of 5 entries: the erasures find and delete the person's rows through runs and merges
        StoreSettings runs = StoreSettings.defaults().withIndexRun(5);
        if (kind.equals("sqlite")) return SqlStore.sqlite(dir.resolve("s" + (++stores)), pipeline, runs);
        var pg = PostgresServer.shared();
        if (!PostgresServer.required()) Assumptions.assumeTrue(pg.isPresent(), "PostgreSQL is not installed");
        return SqlStore.postgres(pg.orElseThrow().newDatabase(), pipeline, true, runs);
    }

    /**
     * {@code n} calls of {@code people} people (user-i with device anon-i) and one loner with ids
     * no one else uses, in random time order; one call in 15 uses another person's device.
     */
    static List<SegmentCall> traffic(Random r, int people, int n) {
        Instant t0 = Calls.T0;
        List<SegmentCall> out = new ArrayList<>(n);
        String loner = "loner-" + r.nextLong();
        for (int i = 0; i < n; i++) {
            String id = "m" + i;
            Instant at = t0.plus(Duration.ofMinutes(r.nextInt(60 * 24 * 60)));
            int p = r.nextInt(people + 1);
            boolean lonely = p == people;
            String user = lonely ? loner : "user-" + p;
            String anon = lonely ? "device-" + loner : "anon-" + (r.nextInt(15) == 0 ? r.nextInt(people) : p);
            String userId = r.nextInt(3) == 0 ? null : user;
            String anonymousId = userId == null || r.nextBoolean() ? anon : null;
            int kind = r.nextInt(14);
            if (kind == 0) {
                out.add(Calls.identify(id, user, anon, at, Map.of("name", "N" + i)));
            } else if (kind == 1) {
                out.add(Calls.alias(id, anon, user, at));
            } else if (kind == 2 && !lonely) { // an unknown event is counted per name, for everyone
                out.add(Calls.track(id, userId, anonymousId, "Wishlist Synced", at, Map.of()));
            } else if (kind == 3) {
                out.add(Calls.track(id, userId, anonymousId, "Consent Granted", at, Map.of("purpose", "marketing")));
            } else if (kind == 4 && !lonely && r.nextInt(4) == 0) {
                out.add(new SegmentCall(
                        SegmentCall.Type.GROUP,
                        id,
                        user,
                        null,
                        null,
                        null,
                        BRANDS[r.nextInt(3)],
                        null,
                        Map.of(),
                        Map.of("name", "Brand " + r.nextInt(3)),
                        Map.of(),
                        at,
                        at));
            } else {
                Map<String, Object> props = new LinkedHashMap<>();
                props.put("brand", BRANDS[r.nextInt(BRANDS.length)]);
                if (!lonely && r.nextInt(40) == 0) props.put("competitor", true);
                props.put("revenue", r.nextInt(200));
                props.put("wow", r.nextInt(5) == 0);
                props.put("wait_seconds", r.nextInt(900));
                out.add(Calls.track(id, userId, anonymousId, EVENTS[r.nextInt(EVENTS.length)], at, props));
            }
        }
        // the brands come first through someone else: a brand the loner introduced would take the full rebuild
        for (int b = 0; b < BRANDS.length; b++) {
            out.add(b, Calls.track("brand-" + b, "user-0", null, "Product Viewed", t0, Map.of("brand", BRANDS[b])));
        }
        // the loner's last call names them by user id, so the test can find their profile
        out.add(Calls.track(
                "loner-last",
                loner,
                "device-" + loner,
                "Order Completed",
                t0,
                Map.of("brand", "glitter", "revenue", 10)));
        return out;
    }
}
