package fusion.flink;

import fusion.core.segment.SegmentCall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded traffic for the job's tests: {@code people} persons, each with a user id, a browser id
 * and sometimes a second device, on three brands over 60 days. Anonymous browsing that an
 * identify later links (a merge), aliases from the second device (a merge), now and then a
 * shared device (an identify of someone else's browser: a refused merge, noted), public
 * incidents with co-parties (propagation), consent grants and revocations, unknown events.
 * Event times are random (late events); arrival ({@code receivedAt}) is 10 ms apart in list
 * order, which is the log's order.
 */
final class Traffic {
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final String[] BRANDS = {"glitter", "brewline", "rivalwear"};
    private static final String[] EVENTS = {
        "Order Completed",
        "Ticket Resolved",
        "Ticket Reopened",
        "Product Viewed",
        "Membership Renewed",
        "Delivery Failed"
    };

    private Traffic() {}

    static List<SegmentCall> of(long seed, int people, int n) {
        Random r = new Random(seed);
        Instant arrival = T0.plus(Duration.ofDays(61));
        List<SegmentCall> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int p = r.nextInt(people);
            String id = "m" + seed + "-" + i;
            Instant at = T0.plus(Duration.ofMinutes(r.nextInt(60 * 24 * 60)));
            Instant received = arrival.plusMillis(10L * i);
            String user = "u" + p;
            String browser = "b" + p;
            int kind = r.nextInt(40);
            if (kind < 2) {
                out.add(call(
                        SegmentCall.Type.IDENTIFY,
                        id,
                        user,
                        browser,
                        null,
                        null,
                        Map.of(),
                        Map.of("name", "Person " + p, "plan", r.nextBoolean() ? "gold" : "basic"),
                        at,
                        received));
            } else if (kind == 2) {
                out.add(call(SegmentCall.Type.ALIAS, id, user, null, null, "d" + p, Map.of(), Map.of(), at, received));
            } else if (kind == 3) {
                // a shared device: someone else's browser seen with this user
                out.add(call(
                        SegmentCall.Type.IDENTIFY,
                        id,
                        user,
                        "b" + r.nextInt(people),
                        null,
                        null,
                        Map.of(),
                        Map.of(),
                        at,
                        received));
            } else if (kind == 4) {
                Map<String, Object> props = new LinkedHashMap<>();
                props.put("purpose", r.nextBoolean() ? "marketing" : "personalisation");
                props.put("channel", r.nextBoolean() ? "email" : "sms");
                out.add(call(
                        SegmentCall.Type.TRACK,
                        id,
                        user,
                        null,
                        r.nextInt(3) == 0 ? "Consent Revoked" : "Consent Granted",
                        null,
                        props,
                        Map.of(),
                        at,
                        received));
            } else if (kind == 5) {
                out.add(call(
                        SegmentCall.Type.TRACK,
                        id,
                        null,
                        browser,
                        "Wishlist Synced",
                        null,
                        Map.of(),
                        Map.of(),
                        at,
                        received));
            } else {
                Map<String, Object> props = new LinkedHashMap<>();
                props.put("brand", BRANDS[r.nextInt(BRANDS.length)]);
                props.put("revenue", r.nextInt(200));
                props.put("wow", r.nextInt(5) == 0);
                props.put("wait_seconds", r.nextInt(900));
                String userId = r.nextInt(3) == 0 ? null : user;
                String anonymousId = userId == null ? (r.nextInt(4) == 0 ? "d" + p : browser) : null;
                if (kind == 6) {
                    props.put("sentiment", -0.8);
                    props.put("reach", 20_000 + r.nextInt(100_000));
                    props.put("co_parties", List.of(BRANDS[r.nextInt(BRANDS.length)]));
                    out.add(call(
                            SegmentCall.Type.TRACK,
                            id,
                            userId,
                            anonymousId,
                            "Brand Mentioned",
                            null,
                            props,
                            Map.of(),
                            at,
                            received));
                } else {
                    out.add(call(
                            SegmentCall.Type.TRACK,
                            id,
                            userId,
                            anonymousId,
                            EVENTS[r.nextInt(EVENTS.length)],
                            null,
                            props,
                            Map.of(),
                            at,
                            received));
                }
            }
        }
        return out;
    }

    private static SegmentCall call(
            SegmentCall.Type type,
            String id,
            String userId,
            String anonymousId,
            String event,
            String previousId,
            Map<String, Object> properties,
            Map<String, Object> traits,
            Instant at,
            Instant received) {
        return new SegmentCall(
                type,
                id,
                userId,
                anonymousId,
                event,
                null,
                null,
                previousId,
                properties,
                traits,
                Map.of(),
                at,
                received);
    }
}
