package fusion.store;

import fusion.core.segment.SegmentCall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Segment calls for store tests, and seeded random traffic with identity merges. */
public final class Calls {
    public static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final String[] BRANDS = {"glitter", "brewline", "rivalwear"};
    private static final String[] EVENTS = {
        "Order Completed",
        "Ticket Resolved",
        "Ticket Reopened",
        "Product Viewed",
        "Membership Renewed",
        "Delivery Failed"
    };

    private Calls() {}

    /**
     * Traffic for a brand's daily series: {@link #random} (merges, incidents, events over 60 days in
     * no order) and orders with money in cents over 12 days (so that a day's sum depends on the
     * order of its terms), shuffled, then two last calls: a new pair, and an old pair's newest entry.
     */
    public static List<List<SegmentCall>> forBrandSeries(long seed) {
        List<SegmentCall> traffic = new ArrayList<>(random(seed, 500));
        Random r = new Random(seed);
        for (int i = 0; i < 300; i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("brand", BRANDS[r.nextInt(BRANDS.length)]);
            p.put("revenue", r.nextInt(20_000) / 100.0);
            traffic.add(track(
                    "cents-" + i,
                    "c" + r.nextInt(90),
                    null,
                    "Order Completed",
                    T0.plus(Duration.ofMinutes(r.nextInt(60 * 24 * 12))),
                    p));
        }
        java.util.Collections.shuffle(traffic, r);
        List<List<SegmentCall>> batches = new ArrayList<>();
        for (int i = 0; i < traffic.size(); i += 40) batches.add(traffic.subList(i, Math.min(traffic.size(), i + 40)));
        batches.add(List.of(
                track(
                        "late-new",
                        "newcomer",
                        null,
                        "Order Completed",
                        T0.plus(Duration.ofDays(3)),
                        new LinkedHashMap<>(Map.of("brand", "glitter", "revenue", 12.34))),
                track(
                        "late-old",
                        "c0",
                        null,
                        "Order Completed",
                        T0.plus(Duration.ofDays(2)),
                        new LinkedHashMap<>(Map.of("brand", "glitter", "revenue", 0.56)))));
        return batches;
    }

    public static SegmentCall track(
            String id, String userId, String anonymousId, String event, Instant at, Map<String, Object> properties) {
        return new SegmentCall(
                SegmentCall.Type.TRACK,
                id,
                userId,
                anonymousId,
                event,
                null,
                null,
                null,
                properties,
                Map.of(),
                Map.of(),
                at,
                at);
    }

    public static SegmentCall identify(
            String id, String userId, String anonymousId, Instant at, Map<String, Object> traits) {
        return new SegmentCall(
                SegmentCall.Type.IDENTIFY,
                id,
                userId,
                anonymousId,
                null,
                null,
                null,
                null,
                Map.of(),
                traits,
                Map.of(),
                at,
                at);
    }

    public static SegmentCall alias(String id, String previousId, String userId, Instant at) {
        return new SegmentCall(
                SegmentCall.Type.ALIAS,
                id,
                userId,
                null,
                null,
                null,
                null,
                previousId,
                Map.of(),
                Map.of(),
                Map.of(),
                at,
                at);
    }

    /** {@code n} calls of a few dozen people on three brands over 60 days, in random time order. */
    public static List<SegmentCall> random(long seed, int n) {
        Random r = new Random(seed);
        List<SegmentCall> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = "r" + seed + "-" + i;
            Instant at = T0.plus(Duration.ofMinutes(r.nextInt(60 * 24 * 60)));
            String anon = "a" + r.nextInt(60);
            String user = "u" + r.nextInt(40);
            String userId = r.nextInt(3) == 0 ? null : user;
            String anonymousId = userId == null || r.nextBoolean() ? anon : null;
            int kind = r.nextInt(12);
            if (kind == 0) {
                out.add(identify(
                        id, user, anon, at, Map.of("name", "N" + i, "plan", r.nextBoolean() ? "gold" : "basic")));
            } else if (kind == 1) {
                out.add(alias(id, anon, user, at));
            } else if (kind == 2) {
                out.add(track(id, userId, anonymousId, "Wishlist Synced", at, Map.of()));
            } else {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("brand", BRANDS[r.nextInt(BRANDS.length)]);
                p.put("revenue", r.nextInt(200));
                p.put("wow", r.nextInt(5) == 0);
                p.put("wait_seconds", r.nextInt(900));
                if (kind == 3) {
                    p.put("sentiment", -0.8);
                    p.put("reach", 20_000 + r.nextInt(100_000));
                    p.put("co_parties", List.of(BRANDS[r.nextInt(BRANDS.length)]));
                    out.add(track(id, userId, anonymousId, "Brand Mentioned", at, p));
                } else {
                    out.add(track(id, userId, anonymousId, EVENTS[r.nextInt(EVENTS.length)], at, p));
                }
            }
        }
        return out;
    }
}
